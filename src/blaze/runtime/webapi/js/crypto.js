// crypto.js: `crypto.getRandomValues` and `crypto.randomUUID` over host.randomFill (a
// CSPRNG). `crypto.subtle` is added by subtle.js.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const { DOMException } = lib;

  const kIntegerArrays = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,
    Int32Array, Uint32Array, BigInt64Array, BigUint64Array];
  const kQuota = 65536;

  class Crypto {
    constructor(key) {
      if (key !== kConstructKey) throw new TypeError('Illegal constructor');
    }

    getRandomValues(array) {
      if (!kIntegerArrays.some((T) => array instanceof T)) {
        if (ArrayBuffer.isView(array)) {
          throw new DOMException('ArrayBufferView argument to getRandomValues() must be an ' +
            'integer-typed view.', 'TypeMismatchError');
        }
        throw new TypeError('Failed to execute \'getRandomValues\': parameter 1 is not of ' +
          'type \'ArrayBufferView\'.');
      }
      if (array.byteLength > kQuota) {
        throw new DOMException('getRandomValues() only accepts buffers of size <= 64K but ' +
          `provided ${array.byteLength} bytes.`, 'QuotaExceededError');
      }
      host.randomFill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      return array;
    }

    randomUUID() {
      const b = new Uint8Array(16);
      host.randomFill(b);
      b[6] = (b[6] & 0x0f) | 0x40; // version 4
      b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
      const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-` +
        `${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
  }
  const kConstructKey = Symbol('Crypto');
  lib.tagClass(Crypto, 'Crypto');
  lib.Crypto = Crypto;  // subtle.js adds the `subtle` getter

  lib.defineGlobal('Crypto', Crypto);
  lib.defineGlobal('crypto', new Crypto(kConstructKey));
})();
