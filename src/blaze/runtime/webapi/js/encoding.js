// encoding.js: TextEncoder, TextDecoder (UTF-8 only, as in workerd), atob and btoa.
//
// Streaming decode keeps an incomplete trailing sequence between calls, so the one-shot
// codec in lib.utf8Decode (host native or fallback) never sees a split code point.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { DOMException } = lib;

  class TextEncoder {
    get encoding() { return 'utf-8'; }

    encode(input = '') {
      return lib.utf8Encode(String(input));
    }

    encodeInto(source, destination) {
      if (!(destination instanceof Uint8Array)) {
        throw new TypeError('Failed to execute \'encodeInto\': parameter 2 is not a Uint8Array.');
      }
      const s = String(source);
      let read = 0, written = 0;
      // Encode code point by code point so a character that does not fit is not split.
      for (let i = 0; i < s.length;) {
        const c = s.codePointAt(i);
        const width = c >= 0xd800 && c <= 0xdfff ? 1 : (c > 0xffff ? 2 : 1);
        const cp = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
        const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (written + size > destination.length) break;
        destination.set(lib.utf8EncodeJs(String.fromCodePoint(cp)), written);
        written += size;
        read += width;
        i += width;
      }
      return { read, written };
    }
  }
  lib.tagClass(TextEncoder, 'TextEncoder');

  const kUtf8Labels = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8',
    'utf8', 'x-unicode20utf8']);

  // Length of a trailing byte sequence that is a valid-so-far but unfinished UTF-8 character.
  function incompleteTail(bytes) {
    const n = bytes.length;
    for (let back = 1; back <= 3 && back <= n; back++) {
      const b = bytes[n - back];
      if (b >= 0x80 && b <= 0xbf) continue; // continuation byte: keep looking for the lead
      const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3
        : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      if (need <= back) return 0;
      if (back >= 2) {
        const second = bytes[n - back + 1];
        const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
        const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
        if (second < lo || second > hi) return 0;
      }
      return back;
    }
    return 0;
  }

  class TextDecoder {
    #fatal;
    #ignoreBOM;
    #pending = new Uint8Array(0);
    #started = false; // a BOM is only stripped at the very start of a stream

    constructor(label = 'utf-8', options = {}) {
      const name = String(label).trim().toLowerCase();
      if (!kUtf8Labels.has(name)) {
        throw new RangeError(`"${label}" is not a valid encoding.`);
      }
      const opts = options === undefined || options === null ? {} : options;
      this.#fatal = Boolean(opts.fatal);
      this.#ignoreBOM = Boolean(opts.ignoreBOM);
    }

    get encoding() { return 'utf-8'; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }

    decode(input = undefined, options = {}) {
      const stream = Boolean(options && options.stream);
      let bytes;
      if (input === undefined || input === null) {
        bytes = new Uint8Array(0);
      } else if (lib.isBufferSource(input)) {
        bytes = lib.viewBytes(input);
      } else {
        throw new TypeError('Failed to execute \'decode\': parameter 1 is not of type ' +
          '\'ArrayBuffer or ArrayBufferView\'.');
      }
      if (this.#pending.length) bytes = lib.concatBytes([this.#pending, bytes]);
      let hold = stream ? incompleteTail(bytes) : 0;
      // Held bytes of a possible BOM at the start must wait too, or the BOM would be missed.
      const body = hold ? bytes.subarray(0, bytes.length - hold) : bytes;
      this.#pending = hold ? bytes.slice(bytes.length - hold) : new Uint8Array(0);
      const keepBOM = this.#ignoreBOM || this.#started;
      if (body.length) this.#started = true;
      let out;
      try {
        out = lib.utf8Decode(body, this.#fatal, keepBOM);
      } catch (e) {
        this.#reset();
        throw new TypeError('Failed to decode input.');
      }
      if (!stream) this.#reset();
      return out;
    }

    #reset() {
      this.#pending = new Uint8Array(0);
      this.#started = false;
    }
  }
  lib.tagClass(TextDecoder, 'TextDecoder');

  // ---- forgiving-base64 -------------------------------------------------------------------
  const kAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const kIndex = new Map([...kAlphabet].map((ch, i) => [ch, i]));

  function btoa(data) {
    if (arguments.length === 0) {
      throw new TypeError('Failed to execute \'btoa\': 1 argument required, but only 0 present.');
    }
    const s = String(data);
    let out = '';
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) {
        throw new DOMException('btoa() can only operate on characters in the Latin1 ' +
          '(ISO/IEC 8859-1) range.', 'InvalidCharacterError');
      }
      const rest = s.length - i;
      const n = (a << 16) | ((rest > 1 ? b : 0) << 8) | (rest > 2 ? c : 0);
      out += kAlphabet[n >> 18] + kAlphabet[(n >> 12) & 63] +
        (rest > 1 ? kAlphabet[(n >> 6) & 63] : '=') + (rest > 2 ? kAlphabet[n & 63] : '=');
    }
    return out;
  }

  function atob(data) {
    if (arguments.length === 0) {
      throw new TypeError('Failed to execute \'atob\': 1 argument required, but only 0 present.');
    }
    let s = String(data).replace(/[\t\n\f\r ]/g, '');
    if (s.length % 4 === 0) s = s.replace(/={1,2}$/, '');
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) {
      throw new DOMException('atob() called with invalid base64-encoded data. (Only ' +
        'whitespace, \'+\', \'/\', alphanumeric ASCII, and up to two terminal \'=\' signs when ' +
        'the input data length is divisible by 4 are allowed.)', 'InvalidCharacterError');
    }
    let out = '';
    let buffer = 0, bits = 0;
    for (const ch of s) {
      buffer = (buffer << 6) | kIndex.get(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((buffer >> bits) & 0xff);
      }
    }
    return out;
  }

  lib.defineGlobal('TextEncoder', TextEncoder);
  lib.defineGlobal('TextDecoder', TextDecoder);
  lib.defineGlobal('btoa', btoa);
  lib.defineGlobal('atob', atob);
})();
