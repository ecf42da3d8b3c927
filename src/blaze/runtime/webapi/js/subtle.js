// subtle.js: `crypto.subtle` (WebCrypto), `SubtleCrypto` and `CryptoKey` over the byte-level
// natives on `__blazeHost.subtle` (engine/subtle_crypto_natives.h, OpenSSL 3).
// Algorithms: digest SHA-1/256/384/512 + MD5 (Cloudflare extension); HMAC; ECDSA P-256/384/521
// (IEEE P1363 signatures); RSASSA-PKCS1-v1_5; AES-GCM and AES-CBC; PBKDF2 and HKDF.
// Formats: raw, jwk (HMAC, AES, ECDSA, RSA), spki/pkcs8 (ECDSA, RSA). Cloudflare's
// `crypto.subtle.timingSafeEqual(a, b)` is provided too.
// Errors follow the spec: unknown algorithm → NotSupportedError, bad usages → SyntaxError,
// key/algorithm mismatch or missing usage → InvalidAccessError, malformed key → DataError,
// failed decryption or bad parameters → OperationError. Every method returns a Promise.
// Asymmetric keys are kept as DER (PKCS#8 private, SPKI public); secret keys as raw bytes.
// Needs crypto.js (lib.Crypto). Hosts without `__blazeHost.subtle` get no `crypto.subtle`.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const native = host.subtle;
  if (native === undefined || lib.Crypto === undefined) return;
  const { DOMException } = lib;

  const fail = (name, message) => { throw new DOMException(message, name); };
  // Runs a native call; its plain Errors become the DOMException the spec names for the step.
  function call(errorName, fn) {
    try {
      return fn();
    } catch (e) {
      if (e instanceof DOMException || e instanceof TypeError) throw e;
      throw new DOMException(e && e.message ? e.message : String(e), errorName);
    }
  }

  // ---- Bytes and base64url --------------------------------------------------------------
  function bytesOf(v, what) {
    if (!lib.isBufferSource(v)) {
      throw new TypeError(`${what} must be an ArrayBuffer or ArrayBufferView.`);
    }
    return lib.copyBytes(v);
  }
  const toBuffer = (u8) => (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength
    ? u8.buffer : u8.slice().buffer);

  const kB64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function b64urlEncode(u8) {
    let out = '';
    for (let i = 0; i < u8.length; i += 3) {
      const n = (u8[i] << 16) | ((u8[i + 1] || 0) << 8) | (u8[i + 2] || 0);
      const chars = i + 2 < u8.length ? 4 : i + 1 < u8.length ? 3 : 2;
      for (let j = 0; j < chars; j++) out += kB64[(n >> (18 - 6 * j)) & 63];
    }
    return out;
  }
  function b64urlDecode(s, member) {
    if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) {
      fail('DataError', `Invalid base64url in JWK member "${member}".`);
    }
    const out = new Uint8Array(Math.floor(s.length * 3 / 4));
    let bits = 0; let acc = 0; let o = 0;
    for (const c of s) {
      acc = (acc << 6) | kB64.indexOf(c);
      bits += 6;
      if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
    }
    return out;
  }

  // ---- Algorithm normalization ----------------------------------------------------------
  const kHashes = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
  const kAes = ['AES-GCM', 'AES-CBC'];
  const kSupported = {
    digest: [...kHashes, 'MD5'],
    sign: ['HMAC', 'ECDSA', 'RSASSA-PKCS1-v1_5'],
    encrypt: kAes,
    deriveBits: ['PBKDF2', 'HKDF'],
    importKey: ['HMAC', 'ECDSA', 'RSASSA-PKCS1-v1_5', ...kAes, 'PBKDF2', 'HKDF'],
    generateKey: ['HMAC', 'ECDSA', 'RSASSA-PKCS1-v1_5', ...kAes],
    keyLength: ['HMAC', ...kAes],
  };

  function normalize(op, alg) {
    if (typeof alg === 'string') alg = { name: alg };
    if (alg === null || typeof alg !== 'object') {
      throw new TypeError('Algorithm must be a string or an object with a name.');
    }
    if (alg.name === undefined) throw new TypeError('Algorithm name is required.');
    const wanted = String(alg.name).toUpperCase();
    const name = kSupported[op].find((n) => n.toUpperCase() === wanted);
    if (name === undefined) fail('NotSupportedError', `Unrecognized or unimplemented algorithm "${alg.name}" for ${op}.`);
    const out = { name };
    for (const key of ['hash', 'namedCurve', 'length', 'iv', 'additionalData', 'tagLength',
      'salt', 'info', 'iterations', 'modulusLength', 'publicExponent']) {
      if (alg[key] !== undefined) out[key] = alg[key];
    }
    if (out.hash !== undefined) {
      out.hash = normalize('digest', out.hash).name;
      if (out.hash === 'MD5') fail('NotSupportedError', 'MD5 can only be used with digest().');
    }
    return out;
  }
  const requireMember = (alg, member) => {
    if (alg[member] === undefined) {
      throw new TypeError(`Algorithm ${alg.name} requires the member "${member}".`);
    }
    return alg[member];
  };

  // ---- CryptoKey --------------------------------------------------------------------------
  const kKeyToken = Symbol('CryptoKey');
  const kUsageOrder = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits',
    'wrapKey', 'unwrapKey'];

  let keyDataOf; let isCryptoKey;  // set by CryptoKey's static block; never exposed
  class CryptoKey {
    #type; #extractable; #algorithm; #usages; #data;
    constructor(token, type, extractable, algorithm, usages, data) {
      if (token !== kKeyToken) throw new TypeError('Illegal constructor');
      this.#type = type;
      this.#extractable = extractable;
      this.#algorithm = algorithm;
      this.#usages = usages;
      this.#data = data;
    }
    get type() { return this.#type; }
    get extractable() { return this.#extractable; }
    get algorithm() { return this.#algorithm; }
    get usages() { return this.#usages; }
    static {
      keyDataOf = (key) => key.#data;
      isCryptoKey = (v) => v !== null && typeof v === 'object' && #type in v;
    }
  }
  lib.tagClass(CryptoKey, 'CryptoKey');

  function checkUsages(usages, allowed) {
    if (!Array.isArray(usages)) throw new TypeError('keyUsages must be an array of strings.');
    const list = [];
    for (const u of usages) {
      const s = String(u);
      if (!kUsageOrder.includes(s)) throw new TypeError(`Invalid key usage "${s}".`);
      if (!allowed.includes(s)) fail('SyntaxError', `Usage "${s}" is not allowed for this key.`);
      if (!list.includes(s)) list.push(s);
    }
    return list;
  }
  function newKey(type, extractable, algorithm, usages, data) {
    if ((type === 'secret' || type === 'private') && usages.length === 0) {
      fail('SyntaxError', 'Usages cannot be empty when creating a key.');
    }
    return new CryptoKey(kKeyToken, type, Boolean(extractable), algorithm, usages, data);
  }
  function useKey(key, algName, usage) {
    if (!isCryptoKey(key)) throw new TypeError('Expected a CryptoKey.');
    if (key.algorithm.name !== algName) {
      fail('InvalidAccessError', `The key is for ${key.algorithm.name}, not ${algName}.`);
    }
    if (!key.usages.includes(usage)) {
      fail('InvalidAccessError', `The key does not support the "${usage}" operation.`);
    }
    return keyDataOf(key);
  }

  // ---- Per-algorithm key handling -------------------------------------------------------
  const kHmacJwkAlg = { 'SHA-1': 'HS1', 'SHA-256': 'HS256', 'SHA-384': 'HS384', 'SHA-512': 'HS512' };
  const kRsaJwkAlg = { 'SHA-1': 'RS1', 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' };
  const kCurveJwkAlg = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
  const kBlockBits = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
  const kAesUsages = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];

  function checkJwkCommon(jwk, kty, extractable, usages, use) {
    if (jwk === null || typeof jwk !== 'object') throw new TypeError('JWK must be an object.');
    if (jwk.kty !== kty) fail('DataError', `JWK "kty" must be "${kty}".`);
    if (jwk.use !== undefined && jwk.use !== use) fail('DataError', `JWK "use" must be "${use}".`);
    if (jwk.key_ops !== undefined) {
      if (!Array.isArray(jwk.key_ops)) fail('DataError', 'JWK "key_ops" must be an array.');
      for (const u of usages) {
        if (!jwk.key_ops.includes(u)) fail('DataError', `JWK "key_ops" does not allow "${u}".`);
      }
    }
    if (jwk.ext === false && extractable) fail('DataError', 'JWK is not extractable ("ext": false).');
  }
  const jwkMember = (jwk, member) => {
    if (jwk[member] === undefined) fail('DataError', `JWK is missing "${member}".`);
    return b64urlDecode(jwk[member], member);
  };

  function importSecret(format, keyData, alg, extractable, usages) {
    const isHmac = alg.name === 'HMAC';
    const isKdf = alg.name === 'PBKDF2' || alg.name === 'HKDF';
    let raw;
    if (format === 'raw') {
      raw = bytesOf(keyData, 'keyData');
    } else if (format === 'jwk' && !isKdf) {
      checkJwkCommon(keyData, 'oct', extractable, usages, isHmac ? 'sig' : 'enc');
      raw = jwkMember(keyData, 'k');
      const expected = isHmac ? kHmacJwkAlg[alg.hash]
        : `A${raw.length * 8}${alg.name.slice(4)}`;
      if (keyData.alg !== undefined && keyData.alg !== expected) {
        fail('DataError', `JWK "alg" must be "${expected}".`);
      }
    } else {
      fail('NotSupportedError', `Format "${format}" is not supported for ${alg.name} keys.`);
    }
    if (isKdf) {
      if (extractable) fail('SyntaxError', `${alg.name} keys cannot be extractable.`);
      return newKey('secret', false, { name: alg.name },
        checkUsages(usages, ['deriveKey', 'deriveBits']), { raw });
    }
    if (isHmac) {
      const hash = requireMember(alg, 'hash');
      const list = checkUsages(usages, ['sign', 'verify']);
      if (raw.length === 0) fail('DataError', 'HMAC key data must not be empty.');
      let length = raw.length * 8;
      if (alg.length !== undefined) {
        length = Number(alg.length);
        if (length > raw.length * 8 || length <= (raw.length - 1) * 8) {
          fail('DataError', 'HMAC key length does not match the key data.');
        }
      }
      return newKey('secret', extractable, { name: 'HMAC', length, hash: { name: hash } }, list,
        { raw });
    }
    const list = checkUsages(usages, kAesUsages);
    if (![16, 24, 32].includes(raw.length)) {
      fail('DataError', 'AES key data must be 128, 192 or 256 bits.');
    }
    return newKey('secret', extractable, { name: alg.name, length: raw.length * 8 }, list, { raw });
  }

  function ecAlgorithm(alg) {
    const curve = requireMember(alg, 'namedCurve');
    if (!(curve in kCurveJwkAlg)) fail('NotSupportedError', `Unsupported namedCurve "${curve}".`);
    return { name: 'ECDSA', namedCurve: curve };
  }
  function rsaAlgorithm(alg, info) {
    return {
      name: alg.name, modulusLength: info.modulusLength,
      publicExponent: new Uint8Array(info.e), hash: { name: requireMember(alg, 'hash') },
    };
  }

  function importAsymmetric(format, keyData, alg, extractable, usages) {
    const isEc = alg.name === 'ECDSA';
    const algorithm = isEc ? ecAlgorithm(alg) : null;
    if (!isEc) requireMember(alg, 'hash');
    let der; let isPrivate;
    if (format === 'spki' || format === 'pkcs8') {
      der = bytesOf(keyData, 'keyData');
      isPrivate = format === 'pkcs8';
    } else if (format === 'raw' && isEc) {
      isPrivate = false;
      const point = bytesOf(keyData, 'keyData');
      der = call('DataError', () => native.ecFromComponents({ curve: algorithm.namedCurve, point }));
    } else if (format === 'jwk') {
      isPrivate = keyData !== null && typeof keyData === 'object' && keyData.d !== undefined;
      checkJwkCommon(keyData, isEc ? 'EC' : 'RSA', extractable, usages, 'sig');
      der = isEc ? ecDerFromJwk(keyData, algorithm, isPrivate) : rsaDerFromJwk(keyData, alg, isPrivate);
    } else {
      fail('NotSupportedError', `Format "${format}" is not supported for ${alg.name} keys.`);
    }
    const list = checkUsages(usages, isPrivate ? ['sign'] : ['verify']);
    const info = call('DataError', () => (isEc ? native.ecComponents(der, isPrivate)
      : native.rsaComponents(der, isPrivate)));
    if (isEc && info.curve !== algorithm.namedCurve) {
      fail('DataError', `The key's curve ${info.curve} is not ${algorithm.namedCurve}.`);
    }
    return newKey(isPrivate ? 'private' : 'public', extractable,
      isEc ? algorithm : rsaAlgorithm(alg, info), list, { der, isPrivate });
  }

  function ecDerFromJwk(jwk, algorithm, isPrivate) {
    if (jwk.crv !== algorithm.namedCurve) fail('DataError', 'JWK "crv" does not match namedCurve.');
    if (jwk.alg !== undefined && jwk.alg !== kCurveJwkAlg[jwk.crv]) fail('DataError', 'JWK "alg" does not match the curve.');
    const x = jwkMember(jwk, 'x'); const y = jwkMember(jwk, 'y');
    const point = lib.concatBytes([new Uint8Array([4]), x, y]);
    const d = isPrivate ? jwkMember(jwk, 'd') : undefined;
    return call('DataError', () => native.ecFromComponents({ curve: jwk.crv, point, d }));
  }

  function rsaDerFromJwk(jwk, alg, isPrivate) {
    if (jwk.alg !== undefined && jwk.alg !== kRsaJwkAlg[alg.hash]) fail('DataError', `JWK "alg" must be "${kRsaJwkAlg[alg.hash]}".`);
    const parts = { n: jwkMember(jwk, 'n'), e: jwkMember(jwk, 'e') };
    if (isPrivate) {
      parts.d = jwkMember(jwk, 'd');
      if (jwk.p !== undefined) {
        for (const m of ['p', 'q', 'dp', 'dq', 'qi']) parts[m] = jwkMember(jwk, m);
      }
    }
    return call('DataError', () => native.rsaFromComponents(parts));
  }

  function exportKey(format, key) {
    if (!isCryptoKey(key)) throw new TypeError('Expected a CryptoKey.');
    if (!key.extractable) fail('InvalidAccessError', 'The key is not extractable.');
    const alg = key.algorithm;
    const data = keyDataOf(key);
    if (key.type === 'secret') {
      if (format === 'raw') return toBuffer(data.raw.slice());
      if (format !== 'jwk') fail('NotSupportedError', `Format "${format}" is not supported for ${alg.name} keys.`);
      const jwk = { kty: 'oct', k: b64urlEncode(data.raw) };
      jwk.alg = alg.name === 'HMAC' ? kHmacJwkAlg[alg.hash.name] : `A${alg.length}${alg.name.slice(4)}`;
      return Object.assign(jwk, { key_ops: key.usages.slice(), ext: true });
    }
    const isEc = alg.name === 'ECDSA';
    const isPrivate = key.type === 'private';
    switch (format) {
      case 'spki':
      case 'pkcs8':
        if ((format === 'pkcs8') !== isPrivate) fail('InvalidAccessError', `A ${key.type} key cannot be exported as ${format}.`);
        return toBuffer(data.der.slice());
      case 'raw':
        if (!isEc) fail('NotSupportedError', `Format "raw" is not supported for ${alg.name} keys.`);
        if (isPrivate) fail('InvalidAccessError', 'Only public ECDSA keys can be exported as raw.');
        return toBuffer(call('OperationError', () => native.ecComponents(data.der, false)).point);
      case 'jwk': {
        if (isEc) {
          const c = call('OperationError', () => native.ecComponents(data.der, isPrivate));
          const n = (c.point.length - 1) / 2;
          const jwk = { kty: 'EC', crv: c.curve, x: b64urlEncode(c.point.subarray(1, 1 + n)),
            y: b64urlEncode(c.point.subarray(1 + n)) };
          if (isPrivate) jwk.d = b64urlEncode(c.d);
          return Object.assign(jwk, { key_ops: key.usages.slice(), ext: true });
        }
        const c = call('OperationError', () => native.rsaComponents(data.der, isPrivate));
        const jwk = { kty: 'RSA', alg: kRsaJwkAlg[alg.hash.name] };
        for (const m of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) {
          if (c[m] !== undefined) jwk[m] = b64urlEncode(c[m]);
        }
        return Object.assign(jwk, { key_ops: key.usages.slice(), ext: true });
      }
      default:
        fail('NotSupportedError', `Unknown key format "${format}".`);
    }
  }

  // ---- Operations -----------------------------------------------------------------------
  const kTagLengths = [32, 64, 96, 104, 112, 120, 128];

  function aes(encrypt, alg, key, data) {
    const bytes = bytesOf(data, 'data');
    const raw = useKey(key, alg.name, encrypt ? 'encrypt' : 'decrypt').raw;
    const iv = bytesOf(requireMember(alg, 'iv'), 'iv');
    if (alg.name === 'AES-CBC') {
      if (iv.length !== 16) fail('OperationError', 'AES-CBC iv must be 16 bytes.');
      return call('OperationError', () => native.aesCbc(encrypt, raw, iv, bytes));
    }
    const tagLength = alg.tagLength === undefined ? 128 : Number(alg.tagLength);
    if (!kTagLengths.includes(tagLength)) fail('OperationError', `Invalid AES-GCM tagLength ${alg.tagLength}.`);
    if (iv.length === 0) fail('OperationError', 'AES-GCM iv must not be empty.');
    const aad = alg.additionalData === undefined ? new Uint8Array(0)
      : bytesOf(alg.additionalData, 'additionalData');
    return call('OperationError', () => native.aesGcm(encrypt, raw, iv, aad, tagLength, bytes));
  }

  function sign(alg, key, data) {
    if (alg.name === 'HMAC') {
      return native.hmac(key.algorithm.hash.name, useKey(key, 'HMAC', 'sign').raw, data);
    }
    if (alg.name === 'ECDSA') {
      const hash = requireMember(alg, 'hash');
      return call('OperationError', () => native.ecdsaSign(hash, useKey(key, 'ECDSA', 'sign').der, data));
    }
    const der = useKey(key, alg.name, 'sign').der;
    return call('OperationError', () => native.rsaPkcs1Sign(key.algorithm.hash.name, der, data));
  }

  function verify(alg, key, signature, data) {
    if (alg.name === 'HMAC') {
      const mac = native.hmac(key.algorithm.hash.name, useKey(key, 'HMAC', 'verify').raw, data);
      return native.timingSafeEqual(mac, signature);
    }
    if (alg.name === 'ECDSA') {
      const hash = requireMember(alg, 'hash');
      const der = useKey(key, 'ECDSA', 'verify').der;
      return call('OperationError', () => native.ecdsaVerify(hash, der, data, signature));
    }
    const der = useKey(key, alg.name, 'verify').der;
    return call('OperationError', () => native.rsaPkcs1Verify(key.algorithm.hash.name, der, data, signature));
  }

  function deriveBits(alg, key, length, usage) {
    const raw = useKey(key, alg.name, usage).raw;
    if (length === null || length === undefined) fail('OperationError', `${alg.name} requires a length.`);
    length = Number(length);
    if (!Number.isInteger(length) || length <= 0 || length % 8 !== 0) {
      fail('OperationError', 'length must be a positive multiple of 8.');
    }
    const hash = requireMember(alg, 'hash');
    const salt = bytesOf(requireMember(alg, 'salt'), 'salt');
    if (alg.name === 'PBKDF2') {
      const iterations = Number(requireMember(alg, 'iterations'));
      if (!(iterations > 0)) fail('OperationError', 'iterations must be greater than 0.');
      return call('OperationError', () => native.pbkdf2(hash, raw, salt, iterations, length));
    }
    const info = bytesOf(requireMember(alg, 'info'), 'info');
    return call('OperationError', () => native.hkdf(hash, raw, salt, info, length));
  }

  function keyLength(alg) {
    if (alg.name === 'HMAC') {
      const hash = requireMember(alg, 'hash');
      if (alg.length === undefined) return kBlockBits[hash];
      const length = Number(alg.length);
      if (!(length > 0)) fail('OperationError', 'HMAC length must be positive.');
      return length;
    }
    const length = Number(requireMember(alg, 'length'));
    if (![128, 192, 256].includes(length)) fail('OperationError', 'AES key length must be 128, 192 or 256.');
    return length;
  }

  function generateKey(alg, extractable, usages) {
    if (alg.name === 'HMAC' || kAes.includes(alg.name)) {
      const bits = keyLength(alg);
      checkUsages(usages, alg.name === 'HMAC' ? ['sign', 'verify'] : kAesUsages);
      const raw = new Uint8Array(Math.ceil(bits / 8));
      host.randomFill(raw);
      return importSecret('raw', raw, alg.name === 'HMAC' ? { ...alg, length: bits } : alg,
        extractable, usages);
    }
    const isEc = alg.name === 'ECDSA';
    const publicUsages = checkUsages(usages, ['sign', 'verify']).filter((u) => u === 'verify');
    const privateUsages = usages.map(String).filter((u) => u === 'sign');
    let pair; let algorithm;
    if (isEc) {
      algorithm = ecAlgorithm(alg);
      pair = call('OperationError', () => native.generateEc(algorithm.namedCurve));
    } else {
      const bits = Number(requireMember(alg, 'modulusLength'));
      const e = bytesOf(requireMember(alg, 'publicExponent'), 'publicExponent');
      pair = call('OperationError', () => native.generateRsa(bits, e));
      algorithm = rsaAlgorithm(alg, { modulusLength: bits, e });
    }
    const privateKey = newKey('private', extractable, algorithm, [...new Set(privateUsages)],
      { der: pair.pkcs8, isPrivate: true });
    const publicKey = newKey('public', true, algorithm, publicUsages,
      { der: pair.spki, isPrivate: false });
    return { publicKey, privateKey };
  }

  function importKey(format, keyData, alg, extractable, usages) {
    format = String(format);
    if (!['raw', 'jwk', 'spki', 'pkcs8'].includes(format)) {
      throw new TypeError(`Unknown key format "${format}".`);
    }
    if (format === 'jwk' && (keyData === null || typeof keyData !== 'object' || lib.isBufferSource(keyData))) {
      throw new TypeError('JWK key data must be an object.');
    }
    if (alg.name === 'ECDSA' || alg.name === 'RSASSA-PKCS1-v1_5') {
      return importAsymmetric(format, keyData, alg, extractable, usages);
    }
    return importSecret(format, keyData, alg, extractable, usages);
  }

  // ---- SubtleCrypto ---------------------------------------------------------------------
  const kSubtleToken = Symbol('SubtleCrypto');
  // workerd checks the key against the requested algorithm name before normalizing it, so a
  // key used with an unknown name is an InvalidAccessError, not a NotSupportedError.
  function normalizeForKey(op, algorithm, key) {
    const name = typeof algorithm === 'string' ? algorithm
      : algorithm !== null && typeof algorithm === 'object' ? algorithm.name : undefined;
    if (isCryptoKey(key) && name !== undefined &&
        String(name).toUpperCase() !== key.algorithm.name.toUpperCase()) {
      fail('InvalidAccessError', `The key is for ${key.algorithm.name}, not ${name}.`);
    }
    return normalize(op, algorithm);
  }
  // Every method settles a promise: synchronous failures become rejections.
  const promised = (fn) => new Promise((resolve) => resolve(fn()));

  class SubtleCrypto {
    constructor(token) {
      if (token !== kSubtleToken) throw new TypeError('Illegal constructor');
    }
    digest(algorithm, data) {
      return promised(() => {
        const alg = normalize('digest', algorithm);
        return toBuffer(native.digest(alg.name, bytesOf(data, 'data')));
      });
    }
    sign(algorithm, key, data) {
      return promised(() => toBuffer(sign(normalizeForKey('sign', algorithm, key), key, bytesOf(data, 'data'))));
    }
    verify(algorithm, key, signature, data) {
      return promised(() => verify(normalizeForKey('sign', algorithm, key), key,
        bytesOf(signature, 'signature'), bytesOf(data, 'data')));
    }
    encrypt(algorithm, key, data) {
      return promised(() => toBuffer(aes(true, normalizeForKey('encrypt', algorithm, key), key, data)));
    }
    decrypt(algorithm, key, data) {
      return promised(() => toBuffer(aes(false, normalizeForKey('encrypt', algorithm, key), key, data)));
    }
    deriveBits(algorithm, baseKey, length) {
      return promised(() => toBuffer(deriveBits(normalizeForKey('deriveBits', algorithm, baseKey), baseKey,
        length, 'deriveBits')));
    }
    deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
      return promised(() => {
        const alg = normalizeForKey('deriveBits', algorithm, baseKey);
        const target = normalize('importKey', derivedKeyType);
        const length = keyLength(normalize('keyLength', derivedKeyType));
        const bits = deriveBits(alg, baseKey, length, 'deriveKey');
        return importKey('raw', bits, target, extractable, keyUsages);
      });
    }
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      return promised(() => importKey(format, keyData, normalize('importKey', algorithm),
        extractable, keyUsages));
    }
    exportKey(format, key) {
      return promised(() => exportKey(String(format), key));
    }
    generateKey(algorithm, extractable, keyUsages) {
      return promised(() => generateKey(normalize('generateKey', algorithm), extractable,
        keyUsages));
    }
    wrapKey() {
      return promised(() => fail('NotSupportedError', 'wrapKey is not implemented.'));
    }
    unwrapKey() {
      return promised(() => fail('NotSupportedError', 'unwrapKey is not implemented.'));
    }
    // Cloudflare extension: synchronous constant-time comparison of two equal-length buffers.
    timingSafeEqual(a, b) {
      const x = bytesOf(a, 'a');
      const y = bytesOf(b, 'b');
      if (x.byteLength !== y.byteLength) {
        throw new TypeError('Input buffers must have the same byte length.');
      }
      return native.timingSafeEqual(x, y);
    }
  }
  lib.tagClass(SubtleCrypto, 'SubtleCrypto');

  const subtle = new SubtleCrypto(kSubtleToken);
  lib.subtle = subtle;
  Object.defineProperty(lib.Crypto.prototype, 'subtle', {
    get() { return subtle; }, enumerable: true, configurable: true,
  });
  lib.defineGlobal('SubtleCrypto', SubtleCrypto);
  lib.defineGlobal('CryptoKey', CryptoKey);
})();
