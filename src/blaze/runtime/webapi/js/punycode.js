// punycode.js: RFC 3492 Punycode plus the domain-to-ASCII step the URL host parser needs.
//
// Full UTS #46 needs Unicode mapping tables we do not ship; NFKC normalisation followed by
// lower-casing covers the common cases (full-width forms, ligatures, upper case, ideographic
// full stops). Provides lib.punycode = { encode, decode, domainToASCII }.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  const kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  const kInitialBias = 72, kInitialN = 128;
  const kMaxInt = 0x7fffffff;

  function adapt(delta, numPoints, firstTime) {
    let d = firstTime ? Math.floor(delta / kDamp) : delta >> 1;
    d += Math.floor(d / numPoints);
    let k = 0;
    while (d > ((kBase - kTMin) * kTMax) >> 1) {
      d = Math.floor(d / (kBase - kTMin));
      k += kBase;
    }
    return k + Math.floor(((kBase - kTMin + 1) * d) / (d + kSkew));
  }

  function digitChar(d) {
    return String.fromCharCode(d < 26 ? 97 + d : 22 + d); // a-z then 0-9
  }

  function charDigit(c) {
    if (c >= 48 && c <= 57) return c - 22;
    if (c >= 65 && c <= 90) return c - 65;
    if (c >= 97 && c <= 122) return c - 97;
    return kBase;
  }

  // Returns null when the result would overflow (the RFC's failure case).
  function encode(input) {
    const cps = Array.from(input, (ch) => ch.codePointAt(0));
    let out = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
    const basic = out.length;
    let handled = basic;
    if (basic > 0) out += '-';
    let n = kInitialN, delta = 0, bias = kInitialBias;
    while (handled < cps.length) {
      let m = kMaxInt;
      for (const c of cps) if (c >= n && c < m) m = c;
      if (m - n > Math.floor((kMaxInt - delta) / (handled + 1))) return null;
      delta += (m - n) * (handled + 1);
      n = m;
      for (const c of cps) {
        if (c < n && ++delta > kMaxInt) return null;
        if (c !== n) continue;
        let q = delta;
        for (let k = kBase; ; k += kBase) {
          const t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
          if (q < t) break;
          out += digitChar(t + ((q - t) % (kBase - t)));
          q = Math.floor((q - t) / (kBase - t));
        }
        out += digitChar(q);
        bias = adapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
      delta++;
      n++;
    }
    return out;
  }

  function decode(input) {
    const cps = [];
    const dash = input.lastIndexOf('-');
    for (let j = 0; j < (dash > 0 ? dash : 0); j++) {
      const c = input.charCodeAt(j);
      if (c >= 0x80) return null;
      cps.push(c);
    }
    let n = kInitialN, bias = kInitialBias, i = 0;
    for (let at = dash > 0 ? dash + 1 : 0; at < input.length;) {
      const oldi = i;
      for (let w = 1, k = kBase; ; k += kBase) {
        if (at >= input.length) return null;
        const digit = charDigit(input.charCodeAt(at++));
        if (digit >= kBase || digit > Math.floor((kMaxInt - i) / w)) return null;
        i += digit * w;
        const t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
        if (digit < t) break;
        if (w > Math.floor(kMaxInt / (kBase - t))) return null;
        w *= kBase - t;
      }
      const len = cps.length + 1;
      bias = adapt(i - oldi, len, oldi === 0);
      if (Math.floor(i / len) > kMaxInt - n) return null;
      n += Math.floor(i / len);
      i %= len;
      if (n > 0x10ffff) return null;
      cps.splice(i++, 0, n);
    }
    return String.fromCodePoint(...cps);
  }

  // Characters that UTS #46 maps to U+002E FULL STOP.
  const kDots = /[\u3002\uff0e\uff61]/g;

  // Domain to ASCII with beStrict = false. Returns null on failure.
  function domainToASCII(domain) {
    let mapped = domain.replace(kDots, '.');
    // Soft hyphen, zero-width joiners and variation selectors are "ignored" in UTS #46.
    mapped = mapped.replace(/[\u00ad\u200b\u2060\ufeff\u034f\u180b-\u180d\ufe00-\ufe0f]/g, '');
    mapped = mapped.normalize('NFKC').toLowerCase().normalize('NFC');
    const labels = mapped.split('.');
    const out = [];
    for (const label of labels) {
      if (label.startsWith('xn--')) {
        const decoded = decode(label.slice(4));
        if (decoded === null || decoded === '' || /^[\x00-\x7f]*$/.test(decoded)) return null;
        if (decoded.normalize('NFC') !== decoded) return null;
        out.push(label);
      } else if (/[^\x00-\x7f]/.test(label)) {
        const encoded = encode(label);
        if (encoded === null) return null;
        out.push('xn--' + encoded);
      } else {
        out.push(label);
      }
    }
    return out.join('.');
  }

  lib.punycode = { encode, decode, domainToASCII };
})();
