// crypto.subtle end to end. Expected values are published test vectors (see index.js), not
// values read back from a runtime; error names are the WebCrypto spec's and match wrangler dev.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);
const get = async (path) => {
  const res = await worker.fetch(path);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
};

const kGcmTc4 = '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e' +
  '21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091';
const kRfc5869Tc1 = '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865';
const kRsaSig = '96adb2c3e0a8e27f70a5e1f5a24834f81725cde780ffe76c301416bae8b3168b0630c9d11adaf769bee7460201c48202' +
  'abde5531dff93e92640de99fceb5358cc4eeeb95e02fb4d5a533e4c7bf986ea7c40fed5703f13254a434f027d06c77f9e7501aebed6c88e5' +
  '8a23e42fa6c9511a08a4b558b4173d706cfb7a2720f094c2';

test('digest: SHA-1/256/384/512 and MD5 of "abc" match FIPS 180 / RFC 1321', async () => {
  assert.deepEqual(await get('/digest'), {
    'SHA-1': 'a9993e364706816aba3e25717850c26c9cd0d89d',
    'SHA-256': 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    'SHA-384': 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    'SHA-512': 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    MD5: '900150983cd24fb0d6963f7d28e17f72',
    dict: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    empty: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    isArrayBuffer: true,
  });
});

test('HMAC: RFC 4231 test cases 1 and 2, verify, CryptoKey fields, raw and jwk export', async () => {
  assert.deepEqual(await get('/hmac'), {
    tc1: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    verify: true,
    verifyWrong: false,
    tc2: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    algorithm: { name: 'HMAC', hash: { name: 'SHA-256' }, length: 160 },
    type: 'secret',
    extractable: true,
    usages: ['sign', 'verify'],
    isCryptoKey: true,
    jwk: { kty: 'oct', key_ops: ['sign', 'verify'], alg: 'HS256', ext: true, k: 'CwsLCwsLCwsLCwsLCwsLCwsLCws' },
    raw: '4a656665',
  });
});

test('AES-GCM (GCM spec test case 4, 96-bit tag, tampering) and AES-CBC (SP 800-38A F.2.1)', async () => {
  const got = await get('/aes');
  assert.equal(got.gcm, kGcmTc4 + '5bc94fbc3221a5db94fae95ae7121a47');
  assert.equal(got.gcmTag96, kGcmTc4 + '5bc94fbc3221a5db94fae95a');
  assert.equal(got.gcmOpened, true);
  assert.equal(got.gcmTampered, 'DOMException:OperationError');
  assert.deepEqual(got.gcmAlgorithm, { name: 'AES-GCM', length: 128 });
  assert.deepEqual(got.gcmJwk, { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A128GCM', ext: true, k: '_v_pkoZlcxxtao-UZzCDCA' });
  // Two SP 800-38A blocks, then the PKCS#7 padding block WebCrypto always adds.
  assert.equal(got.cbc.slice(0, 64), '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2');
  assert.equal(got.cbc.length, 96);
  assert.equal(got.cbcOpened, true);
  assert.equal(got.cbcBadIv, 'DOMException:OperationError');
});

test('PBKDF2 (RFC 6070 + SHA-256) and HKDF (RFC 5869) through deriveBits and deriveKey', async () => {
  assert.deepEqual(await get('/kdf'), {
    pbkdf2Sha1: '4b007901b765489abead49d926f721d065a429c1',
    pbkdf2Sha256: '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b',
    hkdf: kRfc5869Tc1,
    hkdfNoSalt: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    derivedAes: 'c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a',
    derivedAlgorithm: { name: 'AES-GCM', length: 256 },
    derivedHmac: kRfc5869Tc1,
    zeroIterations: 'DOMException:OperationError',
    oddLength: 'DOMException:OperationError',
    extractableKdf: 'DOMException:SyntaxError',
  });
});

test('ECDSA: RFC 6979 P-256 signature verifies; jwk/raw/spki/pkcs8 round trips; P-384 keys', async () => {
  const got = await get('/ecdsa');
  assert.equal(got.rfc6979, true);
  assert.equal(got.rfc6979Wrong, false);
  assert.equal(got.sigLength, 64);
  assert.equal(got.roundTrip, true);
  assert.equal(got.rawExport, '04' + '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' +
    '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299');
  assert.equal(got.rawVerifies, true);
  assert.equal(got.pkcs8Signs, true);
  assert.deepEqual(got.jwkPrivate, {
    kty: 'EC', key_ops: ['sign'], ext: true, crv: 'P-256',
    x: 'YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y',
    y: 'eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk',
    d: 'ya-p2EW6dRZrXCFXZ7HWk05Qw9s26JsSe4piKxIPZyE',
  });
  assert.deepEqual(got.pubAlgorithm, { name: 'ECDSA', namedCurve: 'P-256' });
  assert.equal(got.pubType, 'public');
  assert.equal(got.privType, 'private');
  assert.deepEqual(got.generated, {
    privateUsages: ['sign'], publicUsages: ['verify'], publicExtractable: true,
    privateExtractable: false, sigLength: 96, verifies: true,
  });
  assert.equal(got.wrongCurve, 'DOMException:DataError');
  assert.equal(got.offCurve, 'DOMException:DataError');
  assert.equal(got.privateRaw, 'DOMException:InvalidAccessError');
  assert.equal(got.signWithPublic, 'DOMException:InvalidAccessError');
  assert.equal(got.badUsage, 'DOMException:SyntaxError');
});

test('RSASSA-PKCS1-v1_5: reproduces an openssl CLI signature; jwk/spki round trips; generateKey', async () => {
  const got = await get('/rsa');
  assert.equal(got.sig, kRsaSig);
  assert.equal(got.verify, true);
  assert.equal(got.verifyWrong, false);
  assert.deepEqual(got.jwkKeys, ['alg', 'd', 'dp', 'dq', 'e', 'ext', 'key_ops', 'kty', 'n', 'p', 'q', 'qi']);
  assert.equal(got.jwkAlg, 'RS256');
  assert.equal(got.jwkE, 'AQAB');
  assert.equal(got.jwkSig, kRsaSig);
  assert.deepEqual(got.pubJwkKeys, ['alg', 'e', 'ext', 'key_ops', 'kty', 'n']);
  assert.match(got.spki, /^30819f300d06092a864886f70d0101010500/);
  assert.deepEqual(got.algorithm, { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: '010001', hash: { name: 'SHA-256' } });
  assert.deepEqual(got.generated, { modulusLength: 1024, hash: { name: 'SHA-1' }, sigLength: 128, verifies: true });
  assert.equal(got.garbage, 'DOMException:DataError');
  assert.equal(got.pkcs8ForPublic, 'DOMException:InvalidAccessError');
});

test('generateKey: HMAC default length is the hash block size; AES keys work and respect extractable', async () => {
  assert.deepEqual(await get('/generate'), {
    hmacAlgorithm: { name: 'HMAC', hash: { name: 'SHA-512' }, length: 1024 },
    hmacRawLength: 128,
    aesAlgorithm: { name: 'AES-GCM', length: 256 },
    aesRoundTrip: 'round trip',
    aesNotExtractable: 'DOMException:InvalidAccessError',
    badAesLength: 'DOMException:OperationError',
    emptyUsages: 'DOMException:SyntaxError',
  });
});

test('errors are rejections with the DOMException names the spec gives', async () => {
  assert.deepEqual(await get('/errors'), {
    unknownDigest: 'DOMException:NotSupportedError',
    unknownSign: 'DOMException:InvalidAccessError', // workerd checks the key's algorithm first
    returnsPromise: true,
    hmacUsage: 'DOMException:SyntaxError',
    wrongKeyAlg: 'DOMException:InvalidAccessError',
    missingUsage: 'DOMException:InvalidAccessError',
    aesKeySize: 'DOMException:DataError',
    badJwkKty: 'DOMException:DataError',
    badJwkAlg: 'DOMException:DataError',
    notExtractable: 'DOMException:InvalidAccessError',
    hmacNoHash: 'TypeError',
    badData: 'TypeError',
    badTagLength: 'DOMException:OperationError',
  });
});

test('crypto.subtle.timingSafeEqual (Cloudflare extension) compares equal-length buffers', async () => {
  assert.deepEqual(await get('/timing'), {
    equal: true, different: false, buffers: true, lengths: 'TypeError', isFunction: true,
    subtleTag: '[object SubtleCrypto]', sameObject: true,
  });
});
