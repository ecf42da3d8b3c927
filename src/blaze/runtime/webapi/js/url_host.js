// url_host.js: the URL Standard's host parser and serializer.
//
// A parsed host is a string (domain, opaque host or empty host), a number (IPv4) or an
// array of eight numbers (IPv6). parse() returns null on failure.
// Provides lib.urlHost = { parse, serialize }.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { percent, punycode } = lib;

  const kForbiddenHost = /[\x00\t\n\r #/:<>?@[\\\]^|]/;
  const kForbiddenDomain = /[\x00-\x1f #%/:<>?@[\\\]^|\x7f]/;

  function parse(input, isOpaque) {
    if (input.startsWith('[')) {
      if (!input.endsWith(']')) return null;
      return parseIPv6(input.slice(1, -1));
    }
    if (isOpaque) {
      if (kForbiddenHost.test(input)) return null;
      return percent.encodeString(input, percent.sets.c0Control);
    }
    const domain = percent.decodeString(input);
    const ascii = punycode.domainToASCII(domain);
    if (ascii === null || ascii === '' || kForbiddenDomain.test(ascii)) return null;
    if (endsInANumber(ascii)) return parseIPv4(ascii);
    return ascii;
  }

  function endsInANumber(s) {
    const parts = s.split('.');
    if (parts[parts.length - 1] === '') {
      if (parts.length === 1) return false;
      parts.pop();
    }
    const last = parts[parts.length - 1];
    if (/^[0-9]+$/.test(last)) return true;
    return parseIPv4Number(last) !== null;
  }

  // Decimal, 0x-hex and 0-octal parts, as inet_aton accepts them.
  function parseIPv4Number(s) {
    if (s === '') return null;
    let radix = 10;
    if (/^0[xX]/.test(s)) { radix = 16; s = s.slice(2); }
    else if (s.length > 1 && s[0] === '0') { radix = 8; s = s.slice(1); }
    if (s === '') return 0;
    const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    if (!valid.test(s)) return null;
    // Digits beyond 2^32 make the address invalid either way; parseInt's precision loss on
    // huge inputs cannot turn an invalid value into a valid one.
    return parseInt(s, radix);
  }

  function parseIPv4(s) {
    const parts = s.split('.');
    if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
    if (parts.length > 4) return null;
    const numbers = [];
    for (const part of parts) {
      const n = parseIPv4Number(part);
      if (n === null) return null;
      numbers.push(n);
    }
    for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) return null;
    const last = numbers[numbers.length - 1];
    if (last >= 256 ** (5 - numbers.length)) return null;
    let ipv4 = last;
    for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * 256 ** (3 - i);
    return ipv4;
  }

  function isHex(c) { return c !== undefined && /^[0-9a-fA-F]$/.test(c); }
  function isDigit(c) { return c !== undefined && c >= '0' && c <= '9'; }

  function parseIPv6(input) {
    const address = [0, 0, 0, 0, 0, 0, 0, 0];
    const cs = Array.from(input);
    let piece = 0, compress = null, p = 0;
    if (cs[0] === ':') {
      if (cs[1] !== ':') return null;
      p = 2;
      compress = ++piece;
    }
    while (p < cs.length) {
      if (piece === 8) return null;
      if (cs[p] === ':') {
        if (compress !== null) return null;
        p++;
        compress = ++piece;
        continue;
      }
      let value = 0, length = 0;
      while (length < 4 && isHex(cs[p])) {
        value = value * 16 + parseInt(cs[p], 16);
        p++;
        length++;
      }
      if (cs[p] === '.') {
        if (length === 0) return null;
        p -= length;
        if (piece > 6) return null;
        const end = parseEmbeddedIPv4(cs, p, address, piece);
        if (end === null) return null;
        piece += 2;
        p = cs.length;
        break;
      }
      if (cs[p] === ':') {
        p++;
        if (p >= cs.length) return null;
      } else if (p < cs.length) {
        return null;
      }
      address[piece++] = value;
    }
    if (compress !== null) {
      let swaps = piece - compress;
      piece = 7;
      while (piece !== 0 && swaps > 0) {
        const other = compress + swaps - 1;
        [address[piece], address[other]] = [address[other], address[piece]];
        piece--;
        swaps--;
      }
    } else if (piece !== 8) {
      return null;
    }
    return address;
  }

  // The dotted-quad tail of an IPv6 address (::ffff:1.2.3.4) fills two pieces.
  function parseEmbeddedIPv4(cs, p, address, piece) {
    let seen = 0;
    while (p < cs.length) {
      let part = null;
      if (seen > 0) {
        if (cs[p] === '.' && seen < 4) p++;
        else return null;
      }
      if (!isDigit(cs[p])) return null;
      while (isDigit(cs[p])) {
        const n = cs[p].charCodeAt(0) - 48;
        if (part === null) part = n;
        else if (part === 0) return null;
        else part = part * 10 + n;
        if (part > 255) return null;
        p++;
      }
      address[piece] = address[piece] * 0x100 + part;
      seen++;
      if (seen === 2 || seen === 4) piece++;
    }
    return seen === 4 ? p : null;
  }

  function serializeIPv6(address) {
    // The first longest run of two or more zero pieces becomes "::".
    let bestStart = -1, bestLen = 1;
    for (let i = 0; i < 8;) {
      if (address[i] !== 0) { i++; continue; }
      let j = i;
      while (j < 8 && address[j] === 0) j++;
      if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
      i = j;
    }
    let out = '';
    let ignore0 = false;
    for (let i = 0; i < 8; i++) {
      if (ignore0 && address[i] === 0) continue;
      ignore0 = false;
      if (i === bestStart) {
        out += i === 0 ? '::' : ':';
        ignore0 = true;
        continue;
      }
      out += address[i].toString(16);
      if (i !== 7) out += ':';
    }
    return `[${out}]`;
  }

  function serialize(host) {
    if (typeof host === 'number') {
      const parts = [];
      for (let i = 3; i >= 0; i--) parts.push(Math.floor(host / 256 ** i) % 256);
      return parts.join('.');
    }
    if (Array.isArray(host)) return serializeIPv6(host);
    return host;
  }

  lib.urlHost = { parse, serialize };
})();
