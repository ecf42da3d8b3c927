// url_percent.js: the URL Standard's percent-encode sets, percent-encoding and -decoding,
// and the application/x-www-form-urlencoded parser and serializer.
// Provides lib.percent = { sets, encodeString, decodeToBytes, decodeString, formParse,
// formSerialize }.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  // Each set is a predicate over a byte or code point (c > 0x7e is always in the set).
  function setOf(base, extra) {
    const chars = new Set(Array.from(extra, (ch) => ch.charCodeAt(0)));
    return (c) => base(c) || chars.has(c);
  }
  const c0Control = (c) => c < 0x20 || c > 0x7e;
  const fragment = setOf(c0Control, ' "<>`');
  const query = setOf(c0Control, ' "#<>');
  const specialQuery = setOf(query, '\'');
  const path = setOf(query, '?`{}');
  const userinfo = setOf(path, '/:;=@[\\]^|');
  const component = setOf(userinfo, '$%&+,');
  const form = setOf(component, '!\'()~');
  const sets = { c0Control, fragment, query, specialQuery, path, userinfo, component, form };

  const kHex = '0123456789ABCDEF';
  function hexByte(b) {
    return '%' + kHex[b >> 4] + kHex[b & 15];
  }

  // Percent-encodes every code point of `s` that is in `inSet` (UTF-8 bytes).
  function encodeString(s, inSet, spaceAsPlus = false) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (spaceAsPlus && c === 0x20) out += '+';
        else out += inSet(c) ? hexByte(c) : s[i];
        continue;
      }
      // Non-ASCII: encode the whole code point (or a lone surrogate as U+FFFD).
      const cp = s.codePointAt(i);
      const ch = String.fromCodePoint(cp);
      if (cp > 0xffff) i++;
      for (const b of lib.utf8EncodeJs(ch)) out += hexByte(b);
    }
    return out;
  }

  function hexValue(c) {
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 65 && c <= 70) return c - 55;
    if (c >= 97 && c <= 102) return c - 87;
    return -1;
  }

  function decodeBytes(bytes) {
    const out = new Uint8Array(bytes.length);
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x25 && i + 2 < bytes.length) {
        const hi = hexValue(bytes[i + 1]), lo = hexValue(bytes[i + 2]);
        if (hi >= 0 && lo >= 0) {
          out[n++] = hi * 16 + lo;
          i += 2;
          continue;
        }
      }
      out[n++] = b;
    }
    return out.subarray(0, n);
  }

  function decodeToBytes(s) {
    return decodeBytes(lib.utf8EncodeJs(s));
  }

  function decodeString(s) {
    return lib.utf8DecodeJs(decodeToBytes(s), false, true);
  }

  function formParse(input) {
    const list = [];
    for (const part of String(input).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      list.push([decodeString(name.replace(/\+/g, ' ')), decodeString(value.replace(/\+/g, ' '))]);
    }
    return list;
  }

  function formSerialize(list) {
    return list.map(([name, value]) =>
      `${encodeString(name, form, true)}=${encodeString(value, form, true)}`).join('&');
  }

  lib.percent = { sets, encodeString, decodeToBytes, decodeString, formParse, formSerialize };
})();
