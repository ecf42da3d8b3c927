// base.js: the plumbing every other prelude file shares.
//
// Runs first. It creates `__blazeHost.lib`, a namespace private to the prelude: files talk to
// each other through it instead of through globals, so a worker can never reach our internals
// (the engine-facing `internal` object and `lib` vanish with `__blazeHost` in finish.js).
// Provides: defineGlobal, DOMException, UTF-8 codecs (host natives or pure-JS fallback),
// buffer-source helpers and reportError (uncaught callback errors → console.error).
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  if (host === null || typeof host !== 'object') {
    throw new Error('blaze prelude: __blazeHost is missing');
  }
  const lib = Object.create(null);
  host.lib = lib;
  if (host.internal === undefined) host.internal = Object.create(null);

  // Web IDL globals are writable, configurable and not enumerable.
  lib.defineGlobal = function defineGlobal(name, value) {
    Object.defineProperty(globalThis, name, {
      value, writable: true, configurable: true, enumerable: false,
    });
  };

  // Classes get a Symbol.toStringTag like Web IDL interfaces, which console formatting and
  // Object.prototype.toString rely on.
  lib.tagClass = function tagClass(cls, name) {
    Object.defineProperty(cls.prototype, Symbol.toStringTag, {
      value: name, writable: false, enumerable: false, configurable: true,
    });
  };

  // ---- DOMException --------------------------------------------------------------------
  // SpiderMonkey has no DOMException. Legacy codes are part of the Web IDL table; code 0
  // for names that have none (e.g. DataCloneError has 25, NotSupportedError 9).
  const kLegacyCodes = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4,
    InvalidCharacterError: 5, NoModificationAllowedError: 7, NotFoundError: 8,
    NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12,
    InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20,
    URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25,
  };

  class DOMException extends Error {
    #name;
    constructor(message = '', name = 'Error') {
      super(String(message));
      this.#name = String(name);
    }
    get name() { return this.#name; }
    get code() { return kLegacyCodes[this.#name] || 0; }
  }
  // The legacy constant of each name, spelled out: deriving them with regular expressions cost
  // every new realm ~0.7 ms (compiling and running three RegExps 21 times).
  const kLegacyConstants = {
    IndexSizeError: 'INDEX_SIZE_ERR', HierarchyRequestError: 'HIERARCHY_REQUEST_ERR',
    WrongDocumentError: 'WRONG_DOCUMENT_ERR', InvalidCharacterError: 'INVALID_CHARACTER_ERR',
    NoModificationAllowedError: 'NO_MODIFICATION_ALLOWED_ERR', NotFoundError: 'NOT_FOUND_ERR',
    NotSupportedError: 'NOT_SUPPORTED_ERR', InvalidStateError: 'INVALID_STATE_ERR',
    SyntaxError: 'SYNTAX_ERR', InvalidModificationError: 'INVALID_MODIFICATION_ERR',
    NamespaceError: 'NAMESPACE_ERR', InvalidAccessError: 'INVALID_ACCESS_ERR',
    TypeMismatchError: 'TYPE_MISMATCH_ERR', SecurityError: 'SECURITY_ERR',
    NetworkError: 'NETWORK_ERR', AbortError: 'ABORT_ERR', URLMismatchError: 'URL_MISMATCH_ERR',
    QuotaExceededError: 'QUOTA_EXCEEDED_ERR', TimeoutError: 'TIMEOUT_ERR',
    InvalidNodeTypeError: 'INVALID_NODE_TYPE_ERR', DataCloneError: 'DATA_CLONE_ERR',
  };
  for (const [name, code] of Object.entries(kLegacyCodes)) {
    const constant = kLegacyConstants[name];
    const desc = { value: code, enumerable: true };
    Object.defineProperty(DOMException, constant, desc);
    Object.defineProperty(DOMException.prototype, constant, desc);
  }
  lib.tagClass(DOMException, 'DOMException');
  lib.DOMException = DOMException;
  lib.defineGlobal('DOMException', DOMException);

  // ---- Buffer sources -------------------------------------------------------------------
  lib.isBufferSource = function isBufferSource(v) {
    return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  };

  // A Uint8Array view over the bytes of an ArrayBuffer / view, without copying.
  lib.viewBytes = function viewBytes(v) {
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    throw new TypeError('Expected an ArrayBuffer or ArrayBufferView.');
  };

  // A private copy: bodies must not change when the caller later mutates its buffer.
  lib.copyBytes = function copyBytes(v) {
    return lib.viewBytes(v).slice();
  };

  lib.concatBytes = function concatBytes(chunks) {
    let total = 0;
    for (const c of chunks) total += c.byteLength;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.byteLength; }
    return out;
  };

  // ---- UTF-8 ----------------------------------------------------------------------------
  function utf8EncodeJs(input) {
    const s = String(input);
    const out = new Uint8Array(s.length * 3);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else {
          c = 0xfffd; // lone surrogate
        }
      }
      if (c < 0x80) {
        out[n++] = c;
      } else if (c < 0x800) {
        out[n++] = 0xc0 | (c >> 6);
        out[n++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        out[n++] = 0xe0 | (c >> 12);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      } else {
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      }
    }
    return out.slice(0, n);
  }

  // The WHATWG Encoding Standard's UTF-8 decoder (maximal-subpart replacement).
  function utf8DecodeJs(bytes, fatal, ignoreBOM) {
    const units = [];
    let chunks = '';
    let i = 0;
    if (!ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb &&
        bytes[2] === 0xbf) {
      i = 3;
    }
    let cp = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xbf;
    const error = () => {
      if (fatal) throw new TypeError('The encoded data was not valid.');
      units.push(0xfffd);
    };
    for (; i <= bytes.length; i++) {
      if (units.length > 8000) {
        chunks += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
      if (i === bytes.length) {
        if (needed !== 0) error();
        break;
      }
      const b = bytes[i];
      if (needed === 0) {
        if (b <= 0x7f) { units.push(b); continue; }
        if (b >= 0xc2 && b <= 0xdf) { needed = 1; cp = b & 0x1f; }
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2; cp = b & 0xf;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3; cp = b & 0x7;
        } else { error(); }
        continue;
      }
      if (b < lower || b > upper) {
        cp = needed = seen = 0; lower = 0x80; upper = 0xbf;
        error();
        i--; // reprocess this byte as a potential lead byte
        continue;
      }
      lower = 0x80; upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      if (++seen !== needed) continue;
      if (cp > 0xffff) {
        cp -= 0x10000;
        units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      } else {
        units.push(cp);
      }
      cp = needed = seen = 0;
    }
    return chunks + String.fromCharCode.apply(null, units);
  }

  lib.utf8EncodeJs = utf8EncodeJs;
  lib.utf8DecodeJs = utf8DecodeJs;
  // Host natives are much faster on large bodies; the fallback keeps the prelude usable on a
  // host without them (and lets the tests check that both agree).
  lib.utf8Encode = typeof host.utf8Encode === 'function'
    ? (s) => host.utf8Encode(String(s)) : utf8EncodeJs;
  lib.utf8Decode = typeof host.utf8Decode === 'function'
    ? (u8, fatal, ignoreBOM) => host.utf8Decode(u8, !!fatal, !!ignoreBOM) : utf8DecodeJs;

  // Errors thrown by callbacks nobody awaits (timers, microtasks) are reported through
  // console.error like workerd does; console.js replaces this once it exists.
  lib.reportError = function reportError(err) {
    try {
      host.log('error', 'Uncaught ' + String(err && err.stack ? err.stack : err));
    } catch (_) { /* reporting must never throw into the event loop */ }
  };
})();
