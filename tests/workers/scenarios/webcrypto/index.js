// crypto.subtle end to end with known answers: digest (FIPS 180, MD5), HMAC (RFC 4231), AES-GCM
// (GCM spec test case 4), AES-CBC (SP 800-38A F.2.1), PBKDF2 (RFC 6070), HKDF (RFC 5869), ECDSA
// (RFC 6979 A.2.5 key and signature, via JWK/raw/spki/pkcs8), RSASSA-PKCS1-v1_5 (a signature
// made by the openssl CLI), generateKey, import/export round trips, the DOMException names of
// the error paths, and Cloudflare's crypto.subtle.timingSafeEqual.
const subtle = crypto.subtle;
const enc = new TextEncoder();
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const b64url = (u8) => btoa(String.fromCharCode(...u8)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const kRsaPkcs8 =
  '30820276020100300d06092a864886f70d0101010500048202603082025c02010002818100cdbd334ddeb836fb2e65d4' +
  '38f763f444bb8b76e95db6b6b02b28250d88ad4fa43ddcdfd0cec950d113d9a5d53d09bb3951050ed5631440b3da4707' +
  '5e2f2266a4faec8dcfacbad8c71cbe56055ad89ee33cbddcc7353a3cd895d302f161aa9b154fd23ab7fbf9eac288671b' +
  '0d954ccf57d6aca09463c261d4b9745aa6fab74adf0203010001028181008b8a81db94edd8ccb0817c594ee1ca713bca' +
  'b1d2422f84e523c04cb14b3c5142127b568a67567fabef0cb5bf5570de3d57c858713e8c23fe5853c89986da8c46ae54' +
  '4e5159a149002068062556f7f4fef43b5dec103846400ddcb7d117623d040b58fa0ad54281db261cbab1abad2b64228a' +
  '0c165df8eeaf9e55020426b06b11024100e9ade9f672571f360c7a25df280406c9ecb7cbb0d3fd28a36c99339716edfe' +
  '665e2fe3b4c89625b693e4855ecfcbf652b8481455232f325a03496ff262a8d8b3024100e1641256289fd045eb7c9a51' +
  'c7433ddb736b1b4ec32add89e7063278942ed6dcaba4388efb84596b5437f095ba5f1d8078ac97c364901e24074ff26d' +
  '7f52a3250240202881e91b8527d36d5625fe16e8aef27cf43240ec7b8b6b2a17cf44bcb015f18a86b6a47b72465060fb' +
  'f2eac05806570deb45790df581cd676464d68b83470702400101f687061578d3e7329e6a012f0ec6bd645c31e4f37b1c' +
  '13b9565e6da32bf8be97b45d0748d73180a5e36077fdd6deed2b305e824396aee88d75f3015fb83502401f6e69608d7d' +
  'c5470e81986719c20d7dc44fc921fe8f7ae4e394c64064789e1eda2bb2611e087b4162ec65c00521913f4aed5995494c' +
  '0214c35ef03d04197ba3';
const kRsaSpki =
  '30819f300d06092a864886f70d010101050003818d0030818902818100cdbd334ddeb836fb2e65d438f763f444bb8b76' +
  'e95db6b6b02b28250d88ad4fa43ddcdfd0cec950d113d9a5d53d09bb3951050ed5631440b3da47075e2f2266a4faec8d' +
  'cfacbad8c71cbe56055ad89ee33cbddcc7353a3cd895d302f161aa9b154fd23ab7fbf9eac288671b0d954ccf57d6aca0' +
  '9463c261d4b9745aa6fab74adf0203010001';
const kRsaSig =
  '96adb2c3e0a8e27f70a5e1f5a24834f81725cde780ffe76c301416bae8b3168b0630c9d11adaf769bee7460201c48202' +
  'abde5531dff93e92640de99fceb5358cc4eeeb95e02fb4d5a533e4c7bf986ea7c40fed5703f13254a434f027d06c77f9' +
  'e7501aebed6c88e58a23e42fa6c9511a08a4b558b4173d706cfb7a2720f094c2';

// RFC 6979 A.2.5: P-256 key and the SHA-256 signature of "sample".
const kEcX = '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6';
const kEcY = '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';
const kEcD = 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721';
const kEcSig = 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' +
  'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8';

async function errorName(promiseOrFn) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    return 'no error';
  } catch (e) {
    return e instanceof DOMException ? `DOMException:${e.name}` : e.name;
  }
}

const routes = {
  async '/digest'() {
    const abc = enc.encode('abc');
    const out = {};
    for (const alg of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'MD5']) out[alg] = hex(await subtle.digest(alg, abc));
    out.dict = hex(await subtle.digest({ name: 'sha-256' }, abc.buffer));
    out.empty = hex(await subtle.digest('SHA-256', new Uint8Array(0)));
    out.isArrayBuffer = (await subtle.digest('SHA-256', abc)) instanceof ArrayBuffer;
    return out;
  },

  async '/hmac'() {
    const key = await subtle.importKey('raw', new Uint8Array(20).fill(0x0b), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
    const data = enc.encode('Hi There');
    const mac = await subtle.sign('HMAC', key, data);
    const jefe = await subtle.importKey('jwk', { kty: 'oct', k: b64url(enc.encode('Jefe')), alg: 'HS384' }, { name: 'hmac', hash: { name: 'SHA-384' } }, true, ['sign']);
    return {
      tc1: hex(mac),
      verify: await subtle.verify({ name: 'HMAC' }, key, mac, data),
      verifyWrong: await subtle.verify('HMAC', key, mac, enc.encode('Hi there')),
      tc2: hex(await subtle.sign('HMAC', jefe, enc.encode('what do ya want for nothing?'))),
      algorithm: key.algorithm, type: key.type, extractable: key.extractable, usages: key.usages,
      isCryptoKey: key instanceof CryptoKey,
      jwk: await subtle.exportKey('jwk', key),
      raw: hex(await subtle.exportKey('raw', jefe)),
    };
  },

  async '/aes'() {
    const gcmKey = await subtle.importKey('raw', unhex('feffe9928665731c6d6a8f9467308308'), 'AES-GCM', true, ['encrypt', 'decrypt']);
    const iv = unhex('cafebabefacedbaddecaf888');
    const plain = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
    const additionalData = unhex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const sealed = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, gcmKey, plain);
    const opened = await subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, gcmKey, sealed);
    const tampered = new Uint8Array(sealed.slice(0));
    tampered[3] ^= 1;
    const cbcKey = await subtle.importKey('jwk', { kty: 'oct', k: b64url(unhex('2b7e151628aed2a6abf7158809cf4f3c')), alg: 'A128CBC' }, 'AES-CBC', true, ['encrypt', 'decrypt']);
    const cbcIv = unhex('000102030405060708090a0b0c0d0e0f');
    const cbcPlain = unhex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51');
    const cbc = await subtle.encrypt({ name: 'AES-CBC', iv: cbcIv }, cbcKey, cbcPlain);
    return {
      gcm: hex(sealed),
      gcmOpened: hex(opened) === hex(plain),
      gcmTag96: hex(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData, tagLength: 96 }, gcmKey, plain)),
      gcmTampered: await errorName(subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, gcmKey, tampered)),
      gcmAlgorithm: gcmKey.algorithm,
      gcmJwk: await subtle.exportKey('jwk', gcmKey),
      cbc: hex(cbc),
      cbcOpened: hex(await subtle.decrypt({ name: 'AES-CBC', iv: cbcIv }, cbcKey, cbc)) === hex(cbcPlain),
      cbcBadIv: await errorName(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(8) }, cbcKey, cbcPlain)),
    };
  },

  async '/kdf'() {
    const pw = await subtle.importKey('raw', enc.encode('password'), 'PBKDF2', false, ['deriveBits', 'deriveKey']);
    const salt = enc.encode('salt');
    const ikm = await subtle.importKey('raw', new Uint8Array(22).fill(0x0b), { name: 'HKDF' }, false, ['deriveBits', 'deriveKey']);
    const hkdf = { name: 'HKDF', hash: 'SHA-256', salt: unhex('000102030405060708090a0b0c'), info: unhex('f0f1f2f3f4f5f6f7f8f9') };
    const derived = await subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 4096 }, pw, { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    const derivedHmac = await subtle.deriveKey(hkdf, ikm, { name: 'HMAC', hash: 'SHA-256', length: 336 }, true, ['sign']);
    return {
      pbkdf2Sha1: hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt, iterations: 4096 }, pw, 160)),
      pbkdf2Sha256: hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1 }, pw, 256)),
      hkdf: hex(await subtle.deriveBits(hkdf, ikm, 336)),
      hkdfNoSalt: hex(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new Uint8Array(0) }, ikm, 336)),
      derivedAes: hex(await subtle.exportKey('raw', derived)),
      derivedAlgorithm: derived.algorithm,
      derivedHmac: hex(await subtle.exportKey('raw', derivedHmac)),
      zeroIterations: await errorName(subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 0 }, pw, 256)),
      oddLength: await errorName(subtle.deriveBits(hkdf, ikm, 12)),
      extractableKdf: await errorName(subtle.importKey('raw', enc.encode('pw'), 'PBKDF2', true, ['deriveBits'])),
    };
  },

  async '/ecdsa'() {
    const alg = { name: 'ECDSA', namedCurve: 'P-256' };
    const jwk = { kty: 'EC', crv: 'P-256', x: b64url(unhex(kEcX)), y: b64url(unhex(kEcY)) };
    const pub = await subtle.importKey('jwk', jwk, alg, true, ['verify']);
    const priv = await subtle.importKey('jwk', { ...jwk, d: b64url(unhex(kEcD)) }, alg, true, ['sign']);
    const data = enc.encode('sample');
    const ecdsa = { name: 'ECDSA', hash: 'SHA-256' };
    const sig = await subtle.sign(ecdsa, priv, data);
    const spki = await subtle.exportKey('spki', pub);
    const pkcs8 = await subtle.exportKey('pkcs8', priv);
    const fromRaw = await subtle.importKey('raw', unhex('04' + kEcX + kEcY), alg, true, ['verify']);
    const fromSpki = await subtle.importKey('spki', spki, alg, true, ['verify']);
    const fromPkcs8 = await subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
    const generated = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
    const sig384 = await subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, generated.privateKey, data);
    return {
      rfc6979: await subtle.verify(ecdsa, pub, unhex(kEcSig), data),
      rfc6979Wrong: await subtle.verify(ecdsa, pub, unhex(kEcSig), enc.encode('samplf')),
      sigLength: sig.byteLength,
      roundTrip: await subtle.verify(ecdsa, fromSpki, sig, data),
      rawExport: hex(await subtle.exportKey('raw', fromRaw)),
      rawVerifies: await subtle.verify(ecdsa, fromRaw, unhex(kEcSig), data),
      pkcs8Signs: await subtle.verify(ecdsa, pub, await subtle.sign(ecdsa, fromPkcs8, data), data),
      jwkPrivate: await subtle.exportKey('jwk', fromPkcs8),
      pubAlgorithm: pub.algorithm, pubType: pub.type, privType: priv.type,
      generated: {
        privateUsages: generated.privateKey.usages, publicUsages: generated.publicKey.usages,
        publicExtractable: generated.publicKey.extractable, privateExtractable: generated.privateKey.extractable,
        sigLength: sig384.byteLength,
        verifies: await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, generated.publicKey, sig384, data),
      },
      wrongCurve: await errorName(subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify'])),
      offCurve: await errorName(subtle.importKey('raw', unhex('04' + kEcX + kEcX), alg, true, ['verify'])),
      privateRaw: await errorName(subtle.exportKey('raw', priv)),
      signWithPublic: await errorName(subtle.sign(ecdsa, pub, data)),
      badUsage: await errorName(subtle.importKey('jwk', jwk, alg, true, ['sign'])),
    };
  },

  async '/rsa'() {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const priv = await subtle.importKey('pkcs8', unhex(kRsaPkcs8), alg, true, ['sign']);
    const pub = await subtle.importKey('spki', unhex(kRsaSpki), alg, true, ['verify']);
    const data = enc.encode('hello blaze');
    const jwk = await subtle.exportKey('jwk', priv);
    const again = await subtle.importKey('jwk', jwk, alg, true, ['sign']);
    const pubJwk = await subtle.exportKey('jwk', pub);
    const generated = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-1' }, true, ['sign', 'verify']);
    const gsig = await subtle.sign('RSASSA-PKCS1-v1_5', generated.privateKey, data);
    return {
      sig: hex(await subtle.sign('RSASSA-PKCS1-v1_5', priv, data)),
      verify: await subtle.verify('RSASSA-PKCS1-v1_5', pub, unhex(kRsaSig), data),
      verifyWrong: await subtle.verify('RSASSA-PKCS1-v1_5', pub, unhex(kRsaSig), enc.encode('hello blaze!')),
      jwkKeys: Object.keys(jwk).sort(), jwkAlg: jwk.alg, jwkE: jwk.e,
      jwkSig: hex(await subtle.sign('RSASSA-PKCS1-v1_5', again, data)),
      pubJwkKeys: Object.keys(pubJwk).sort(),
      spki: hex(await subtle.exportKey('spki', pub)),
      algorithm: { ...pub.algorithm, publicExponent: hex(pub.algorithm.publicExponent) },
      generated: {
        modulusLength: generated.publicKey.algorithm.modulusLength, hash: generated.publicKey.algorithm.hash,
        sigLength: gsig.byteLength,
        verifies: await subtle.verify('RSASSA-PKCS1-v1_5', generated.publicKey, gsig, data),
      },
      garbage: await errorName(subtle.importKey('spki', new Uint8Array([48, 3, 2, 1, 0]), alg, true, ['verify'])),
      pkcs8ForPublic: await errorName(subtle.exportKey('pkcs8', pub)),
    };
  },

  async '/generate'() {
    const hmac = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign', 'verify']);
    const aes = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, aes, enc.encode('round trip'));
    return {
      hmacAlgorithm: hmac.algorithm,
      hmacRawLength: (await subtle.exportKey('raw', hmac)).byteLength,
      aesAlgorithm: aes.algorithm,
      aesRoundTrip: new TextDecoder().decode(await subtle.decrypt({ name: 'AES-GCM', iv }, aes, sealed)),
      aesNotExtractable: await errorName(subtle.exportKey('raw', aes)),
      badAesLength: await errorName(subtle.generateKey({ name: 'AES-GCM', length: 100 }, true, ['encrypt'])),
      emptyUsages: await errorName(subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, [])),
    };
  },

  async '/errors'() {
    const hmac = await subtle.importKey('raw', enc.encode('key'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const aes = await subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']);
    return {
      unknownDigest: await errorName(subtle.digest('SHA-3', new Uint8Array(1))),
      unknownSign: await errorName(subtle.sign('FOO', hmac, new Uint8Array(1))),
      returnsPromise: subtle.digest('nope', new Uint8Array(1)).catch(() => {}) instanceof Promise,
      hmacUsage: await errorName(subtle.importKey('raw', enc.encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['encrypt'])),
      wrongKeyAlg: await errorName(subtle.sign('HMAC', aes, new Uint8Array(1))),
      missingUsage: await errorName(subtle.verify('HMAC', hmac, new Uint8Array(32), new Uint8Array(1))),
      aesKeySize: await errorName(subtle.importKey('raw', new Uint8Array(15), 'AES-GCM', true, ['encrypt'])),
      badJwkKty: await errorName(subtle.importKey('jwk', { kty: 'RSA', k: 'AAAA' }, 'AES-GCM', true, ['encrypt'])),
      badJwkAlg: await errorName(subtle.importKey('jwk', { kty: 'oct', k: b64url(new Uint8Array(16)), alg: 'A256GCM' }, 'AES-GCM', true, ['encrypt'])),
      notExtractable: await errorName(subtle.exportKey('raw', hmac)),
      hmacNoHash: await errorName(subtle.importKey('raw', enc.encode('k'), 'HMAC', false, ['sign'])),
      badData: await errorName(subtle.digest('SHA-256', 'text')),
      badTagLength: await errorName(subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 100 }, aes, new Uint8Array(1))),
    };
  },

  async '/timing'() {
    const t = subtle.timingSafeEqual;
    return {
      equal: subtle.timingSafeEqual(enc.encode('secret'), enc.encode('secret')),
      different: subtle.timingSafeEqual(enc.encode('secret'), enc.encode('secreT')),
      buffers: subtle.timingSafeEqual(new Uint8Array([1, 2]).buffer, new Uint8Array([1, 2])),
      lengths: await errorName(() => subtle.timingSafeEqual(new Uint8Array(1), new Uint8Array(2))),
      isFunction: typeof t === 'function',
      subtleTag: Object.prototype.toString.call(subtle),
      sameObject: crypto.subtle === subtle,
    };
  },
};

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    const route = routes[pathname];
    if (!route) return new Response('not found', { status: 404 });
    try {
      return Response.json(await route());
    } catch (e) {
      return Response.json({ failed: `${e.name}: ${e.message}`, stack: String(e.stack) }, { status: 500 });
    }
  },
};
