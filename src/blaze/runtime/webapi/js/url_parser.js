// url_parser.js: the URL Standard's basic URL parser (a state machine over code points) and
// URL serializer, written from the spec text.
//
// A URL record is { scheme, username, password, host, port, path, query, fragment } where
// host is null or a url_host value, path is an array of segments or, for opaque paths
// (mailto:x, data:...), a string. parse() returns the record or null on failure; with a
// state override it edits `url` in place (the URL setters) and returns false on failure.
// Provides lib.urlParser = { parse, serialize, origin, isSpecial, defaultPort, States }.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { percent, urlHost } = lib;
  const sets = percent.sets;

  const kSpecial = { 'ftp': 21, 'file': null, 'http': 80, 'https': 443, 'ws': 80, 'wss': 443 };
  const isSpecial = (scheme) => Object.prototype.hasOwnProperty.call(kSpecial, scheme);
  const defaultPort = (scheme) => (isSpecial(scheme) ? kSpecial[scheme] : null);

  const S = {
    SCHEME_START: 1, SCHEME: 2, NO_SCHEME: 3, SPECIAL_RELATIVE_OR_AUTHORITY: 4,
    PATH_OR_AUTHORITY: 5, RELATIVE: 6, RELATIVE_SLASH: 7, SPECIAL_AUTHORITY_SLASHES: 8,
    SPECIAL_AUTHORITY_IGNORE_SLASHES: 9, AUTHORITY: 10, HOST: 11, HOSTNAME: 12, PORT: 13,
    FILE: 14, FILE_SLASH: 15, FILE_HOST: 16, PATH_START: 17, PATH: 18, OPAQUE_PATH: 19,
    QUERY: 20, FRAGMENT: 21,
  };

  const isAlpha = (c) => c !== undefined && /^[A-Za-z]$/.test(c);
  const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
  const isAlnumPlus = (c) => c !== undefined && /^[A-Za-z0-9+\-.]$/.test(c);

  function newRecord() {
    return { scheme: '', username: '', password: '', host: null, port: null, path: [],
      query: null, fragment: null };
  }

  function isWindowsDriveLetter(s, normalizedOnly) {
    return s.length === 2 && isAlpha(s[0]) && (s[1] === ':' || (!normalizedOnly && s[1] === '|'));
  }

  function startsWithWindowsDriveLetter(cs, p) {
    if (cs.length - p < 2 || !isAlpha(cs[p]) || (cs[p + 1] !== ':' && cs[p + 1] !== '|')) {
      return false;
    }
    return cs.length - p === 2 || '/\\?#'.includes(cs[p + 2]);
  }

  function shortenPath(url) {
    if (url.scheme === 'file' && url.path.length === 1 && isWindowsDriveLetter(url.path[0], true)) {
      return;
    }
    url.path.pop();
  }

  const isSingleDot = (s) => s === '.' || s.toLowerCase() === '%2e';
  const isDoubleDot = (s) => ['..', '.%2e', '%2e.', '%2e%2e'].includes(s.toLowerCase());
  const hasCredentials = (url) => url.username !== '' || url.password !== '';

  // The mutable state of one parse; each state handler reads `c` at `p` and may move `p`.
  class Parser {
    constructor(input, base, url, override) {
      this.cs = Array.from(input);
      this.p = 0;
      this.base = base;
      this.url = url;
      this.override = override;
      this.state = override || S.SCHEME_START;
      this.buffer = '';
      this.atSignSeen = false;
      this.insideBrackets = false;
      this.passwordTokenSeen = false;
    }

    // Returns 'ok', 'failure' or 'return' (an override stopped early).
    run() {
      for (; this.p <= this.cs.length; this.p++) {
        const c = this.cs[this.p]; // undefined is the spec's EOF
        const result = this.step(c);
        if (result !== undefined) return result;
      }
      return 'ok';
    }

    remainingStartsWith(s) {
      return this.cs.slice(this.p + 1, this.p + 1 + s.length).join('') === s;
    }

    step(c) {
      const url = this.url;
      const special = isSpecial(url.scheme);
      switch (this.state) {
        case S.SCHEME_START:
          if (isAlpha(c)) {
            this.buffer += c.toLowerCase();
            this.state = S.SCHEME;
          } else if (!this.override) {
            this.state = S.NO_SCHEME;
            this.p--;
          } else {
            return 'failure';
          }
          return undefined;
        case S.SCHEME: return this.schemeState(c);
        case S.NO_SCHEME: return this.noSchemeState(c);
        case S.SPECIAL_RELATIVE_OR_AUTHORITY:
          if (c === '/' && this.remainingStartsWith('/')) {
            this.state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
            this.p++;
          } else {
            this.state = S.RELATIVE;
            this.p--;
          }
          return undefined;
        case S.PATH_OR_AUTHORITY:
          if (c === '/') {
            this.state = S.AUTHORITY;
          } else {
            this.state = S.PATH;
            this.p--;
          }
          return undefined;
        case S.RELATIVE: return this.relativeState(c);
        case S.RELATIVE_SLASH:
          if (special && (c === '/' || c === '\\')) {
            this.state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          } else if (c === '/') {
            this.state = S.AUTHORITY;
          } else {
            const b = this.base;
            Object.assign(url, { username: b.username, password: b.password, host: b.host,
              port: b.port });
            this.state = S.PATH;
            this.p--;
          }
          return undefined;
        case S.SPECIAL_AUTHORITY_SLASHES:
          this.state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          if (c === '/' && this.remainingStartsWith('/')) this.p++;
          else this.p--;
          return undefined;
        case S.SPECIAL_AUTHORITY_IGNORE_SLASHES:
          if (c !== '/' && c !== '\\') {
            this.state = S.AUTHORITY;
            this.p--;
          }
          return undefined;
        case S.AUTHORITY: return this.authorityState(c, special);
        case S.HOST:
        case S.HOSTNAME: return this.hostState(c, special);
        case S.PORT: return this.portState(c, special);
        case S.FILE: return this.fileState(c);
        case S.FILE_SLASH: return this.fileSlashState(c);
        case S.FILE_HOST: return this.fileHostState(c, special);
        case S.PATH_START: return this.pathStartState(c, special);
        case S.PATH: return this.pathState(c, special);
        case S.OPAQUE_PATH: return this.opaquePathState(c);
        case S.QUERY: return this.queryState(c, special);
        case S.FRAGMENT:
          if (c !== undefined) url.fragment += percent.encodeString(c, sets.fragment);
          return undefined;
        default:
          return 'failure';
      }
    }

    schemeState(c) {
      const url = this.url;
      if (isAlnumPlus(c)) {
        this.buffer += c.toLowerCase();
        return undefined;
      }
      if (c !== ':') {
        if (this.override) return 'failure';
        this.buffer = '';
        this.state = S.NO_SCHEME;
        this.p = -1; // start over from the first code point
        return undefined;
      }
      if (this.override) {
        if (isSpecial(url.scheme) !== isSpecial(this.buffer)) return 'return';
        if ((hasCredentials(url) || url.port !== null) && this.buffer === 'file') return 'return';
        if (url.scheme === 'file' && url.host === '') return 'return';
      }
      url.scheme = this.buffer;
      if (this.override) {
        if (url.port === defaultPort(url.scheme)) url.port = null;
        return 'return';
      }
      this.buffer = '';
      if (url.scheme === 'file') {
        this.state = S.FILE;
      } else if (isSpecial(url.scheme) && this.base && this.base.scheme === url.scheme) {
        this.state = S.SPECIAL_RELATIVE_OR_AUTHORITY;
      } else if (isSpecial(url.scheme)) {
        this.state = S.SPECIAL_AUTHORITY_SLASHES;
      } else if (this.remainingStartsWith('/')) {
        this.state = S.PATH_OR_AUTHORITY;
        this.p++;
      } else {
        url.path = '';
        this.state = S.OPAQUE_PATH;
      }
      return undefined;
    }

    noSchemeState(c) {
      const { base, url } = this;
      const opaqueBase = base && typeof base.path === 'string';
      if (!base || (opaqueBase && c !== '#')) return 'failure';
      if (opaqueBase) {
        Object.assign(url, { scheme: base.scheme, path: base.path, query: base.query,
          fragment: '' });
        this.state = S.FRAGMENT;
      } else {
        this.state = base.scheme === 'file' ? S.FILE : S.RELATIVE;
        this.p--;
      }
      return undefined;
    }

    relativeState(c) {
      const { base, url } = this;
      url.scheme = base.scheme;
      const special = isSpecial(url.scheme);
      if (c === '/' || (special && c === '\\')) {
        this.state = S.RELATIVE_SLASH;
        return undefined;
      }
      Object.assign(url, { username: base.username, password: base.password, host: base.host,
        port: base.port, path: base.path.slice(), query: base.query });
      if (c === '?') {
        url.query = '';
        this.state = S.QUERY;
      } else if (c === '#') {
        url.fragment = '';
        this.state = S.FRAGMENT;
      } else if (c !== undefined) {
        url.query = null;
        shortenPath(url);
        this.state = S.PATH;
        this.p--;
      }
      return undefined;
    }

    authorityState(c, special) {
      const url = this.url;
      if (c === '@') {
        if (this.atSignSeen) this.buffer = '%40' + this.buffer;
        this.atSignSeen = true;
        for (const ch of this.buffer) {
          if (ch === ':' && !this.passwordTokenSeen) {
            this.passwordTokenSeen = true;
            continue;
          }
          const encoded = percent.encodeString(ch, sets.userinfo);
          if (this.passwordTokenSeen) url.password += encoded;
          else url.username += encoded;
        }
        this.buffer = '';
      } else if (c === undefined || c === '/' || c === '?' || c === '#' ||
                 (special && c === '\\')) {
        if (this.atSignSeen && this.buffer === '') return 'failure';
        this.p -= Array.from(this.buffer).length + 1;
        this.buffer = '';
        this.state = S.HOST;
      } else {
        this.buffer += c;
      }
      return undefined;
    }

    hostState(c, special) {
      const url = this.url;
      if (this.override && url.scheme === 'file') {
        this.p--;
        this.state = S.FILE_HOST;
      } else if (c === ':' && !this.insideBrackets) {
        if (this.buffer === '') return 'failure';
        if (this.override === S.HOSTNAME) return 'return';
        const host = urlHost.parse(this.buffer, !special);
        if (host === null) return 'failure';
        url.host = host;
        this.buffer = '';
        this.state = S.PORT;
      } else if (c === undefined || c === '/' || c === '?' || c === '#' ||
                 (special && c === '\\')) {
        this.p--;
        if (special && this.buffer === '') return 'failure';
        if (this.override && this.buffer === '' && (hasCredentials(url) || url.port !== null)) {
          return 'return';
        }
        const host = urlHost.parse(this.buffer, !special);
        if (host === null) return 'failure';
        url.host = host;
        this.buffer = '';
        this.state = S.PATH_START;
        if (this.override) return 'return';
      } else {
        if (c === '[') this.insideBrackets = true;
        if (c === ']') this.insideBrackets = false;
        this.buffer += c;
      }
      return undefined;
    }

    portState(c, special) {
      const url = this.url;
      if (isDigit(c)) {
        this.buffer += c;
        return undefined;
      }
      if (c === undefined || c === '/' || c === '?' || c === '#' || (special && c === '\\') ||
          this.override) {
        if (this.buffer !== '') {
          const port = parseInt(this.buffer, 10);
          if (port > 65535) return 'failure';
          url.port = port === defaultPort(url.scheme) ? null : port;
          this.buffer = '';
        }
        if (this.override) return 'return';
        this.state = S.PATH_START;
        this.p--;
        return undefined;
      }
      return 'failure';
    }

    fileState(c) {
      const { base, url } = this;
      url.scheme = 'file';
      url.host = '';
      if (c === '/' || c === '\\') {
        this.state = S.FILE_SLASH;
      } else if (base && base.scheme === 'file') {
        Object.assign(url, { host: base.host, path: base.path.slice(), query: base.query });
        if (c === '?') {
          url.query = '';
          this.state = S.QUERY;
        } else if (c === '#') {
          url.fragment = '';
          this.state = S.FRAGMENT;
        } else if (c !== undefined) {
          url.query = null;
          if (!startsWithWindowsDriveLetter(this.cs, this.p)) shortenPath(url);
          else url.path = [];
          this.state = S.PATH;
          this.p--;
        }
      } else {
        this.state = S.PATH;
        this.p--;
      }
      return undefined;
    }

    fileSlashState(c) {
      const { base, url } = this;
      if (c === '/' || c === '\\') {
        this.state = S.FILE_HOST;
        return undefined;
      }
      if (base && base.scheme === 'file') {
        url.host = base.host;
        if (!startsWithWindowsDriveLetter(this.cs, this.p) && Array.isArray(base.path) &&
            base.path.length > 0 && isWindowsDriveLetter(base.path[0], true)) {
          url.path.push(base.path[0]);
        }
      }
      this.state = S.PATH;
      this.p--;
      return undefined;
    }

    fileHostState(c, special) {
      const url = this.url;
      if (!(c === undefined || c === '/' || c === '\\' || c === '?' || c === '#')) {
        this.buffer += c;
        return undefined;
      }
      this.p--;
      if (!this.override && isWindowsDriveLetter(this.buffer, false)) {
        this.state = S.PATH; // the buffer is the drive letter, kept for the path state
      } else if (this.buffer === '') {
        url.host = '';
        if (this.override) return 'return';
        this.state = S.PATH_START;
      } else {
        let host = urlHost.parse(this.buffer, !special);
        if (host === null) return 'failure';
        if (host === 'localhost') host = '';
        url.host = host;
        if (this.override) return 'return';
        this.buffer = '';
        this.state = S.PATH_START;
      }
      return undefined;
    }

    pathStartState(c, special) {
      const url = this.url;
      if (special) {
        this.state = S.PATH;
        if (c !== '/' && c !== '\\') this.p--;
      } else if (!this.override && c === '?') {
        url.query = '';
        this.state = S.QUERY;
      } else if (!this.override && c === '#') {
        url.fragment = '';
        this.state = S.FRAGMENT;
      } else if (c !== undefined) {
        this.state = S.PATH;
        if (c !== '/') this.p--;
      } else if (this.override && url.host === null) {
        url.path.push('');
      }
      return undefined;
    }

    pathState(c, special) {
      const url = this.url;
      const slash = c === '/' || (special && c === '\\');
      if (!(c === undefined || slash || (!this.override && (c === '?' || c === '#')))) {
        this.buffer += percent.encodeString(c, sets.path);
        return undefined;
      }
      if (isDoubleDot(this.buffer)) {
        shortenPath(url);
        if (!slash) url.path.push('');
      } else if (isSingleDot(this.buffer) && !slash) {
        url.path.push('');
      } else if (!isSingleDot(this.buffer)) {
        if (url.scheme === 'file' && url.path.length === 0 &&
            isWindowsDriveLetter(this.buffer, false)) {
          this.buffer = this.buffer[0] + ':';
        }
        url.path.push(this.buffer);
      }
      this.buffer = '';
      if (c === '?') {
        url.query = '';
        this.state = S.QUERY;
      } else if (c === '#') {
        url.fragment = '';
        this.state = S.FRAGMENT;
      }
      return undefined;
    }

    opaquePathState(c) {
      const url = this.url;
      if (c === '?') {
        url.query = '';
        this.state = S.QUERY;
      } else if (c === '#') {
        url.fragment = '';
        this.state = S.FRAGMENT;
      } else if (c !== undefined) {
        url.path += percent.encodeString(c, sets.c0Control);
      }
      return undefined;
    }

    queryState(c, special) {
      const url = this.url;
      if ((!this.override && c === '#') || c === undefined) {
        if (c === '#') {
          url.fragment = '';
          this.state = S.FRAGMENT;
        }
      } else {
        url.query += percent.encodeString(c, special ? sets.specialQuery : sets.query);
      }
      return undefined;
    }
  }

  // The common case in one regular expression: an absolute http(s) or ws(s) URL whose parts
  // the state machine would take as they are — no percent-encoding to add, no dot segments, no
  // backslashes, credentials, fragment, IPv6, whitespace or upper-case scheme (a request's URL,
  // an API route). A request paid ~30 us for `new URL(request.url)` through the state machine.
  // Anything else returns null and goes the state machine's way; a domain it cannot vouch for
  // (upper case, xn-- labels, ending in a number) goes through the host parser.
  const kFastUrl = new RegExp('^(https?|wss?)://([a-zA-Z0-9.-]+)(?::([0-9]{1,5}))?' +
    '(/[A-Za-z0-9._~!$&()*+,;=:@%/-]*)?(?:\\?([A-Za-z0-9._~!$&()*+,;=:@%/?-]*))?$');
  const kDotSegment = /\/(?:\.|%2e)(?:\.|%2e)?(?=\/|$)/i;
  const kPlainDomain = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;
  const kDecimalByte = '(0|[1-9][0-9]{0,2})';
  const kDottedQuad =
    new RegExp(`^${kDecimalByte}\\.${kDecimalByte}\\.${kDecimalByte}\\.${kDecimalByte}$`);
  const kNumberLabel = /(?:^|\.)(?:[0-9]+|0[xX][0-9a-fA-F]*)\.?$/;

  function fastHost(host) {
    const quad = kDottedQuad.exec(host);
    if (quad !== null) {
      const a = +quad[1], b = +quad[2], c = +quad[3], d = +quad[4];
      if (a > 255 || b > 255 || c > 255 || d > 255) return null;
      return ((a * 256 + b) * 256 + c) * 256 + d;  // the IPv4 number, as the host parser's
    }
    if (kPlainDomain.test(host) && !kNumberLabel.test(host) && !/(?:^|\.)xn--/.test(host)) {
      return host;
    }
    return urlHost.parse(host, false);
  }

  function parseFast(s) {
    const m = kFastUrl.exec(s);
    if (m === null) return null;
    const path = m[4] === undefined ? '' : m[4];
    if (path !== '' && kDotSegment.test(path)) return null;
    const host = fastHost(m[2]);
    if (host === null) return null;
    let port = null;
    if (m[3] !== undefined) {
      port = parseInt(m[3], 10);
      if (port > 65535) return null;
      if (port === kSpecial[m[1]]) port = null;
    }
    return { scheme: m[1], username: '', password: '', host, port,
      path: path === '' ? [''] : path.slice(1).split('/'),
      query: m[5] === undefined ? null : m[5], fragment: null };
  }

  function parse(input, base = null, url = null, override = 0) {
    if (base === null && url === null) {
      const fast = parseFast(String(input));
      if (fast !== null) return fast;
    }
    return parseStateMachine(input, base, url, override);
  }

  function parseStateMachine(input, base = null, url = null, override = 0) {
    let s = String(input);
    if (url === null) {
      url = newRecord();
      s = s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
    }
    s = s.replace(/[\t\n\r]/g, '');
    const result = new Parser(s, base, url, override).run();
    if (override) return result !== 'failure';
    return result === 'failure' ? null : url;
  }

  function serializePath(url) {
    if (typeof url.path === 'string') return url.path;
    let out = '';
    for (const segment of url.path) out += '/' + segment;
    return out;
  }

  function serialize(url, excludeFragment = false) {
    let out = url.scheme + ':';
    if (url.host !== null) {
      out += '//';
      if (hasCredentials(url)) {
        out += url.username;
        if (url.password !== '') out += ':' + url.password;
        out += '@';
      }
      out += urlHost.serialize(url.host);
      if (url.port !== null) out += ':' + url.port;
    } else if (Array.isArray(url.path) && url.path.length > 1 && url.path[0] === '') {
      out += '/.'; // keeps "//x" in the path from being read back as a host
    }
    out += serializePath(url);
    if (url.query !== null) out += '?' + url.query;
    if (!excludeFragment && url.fragment !== null) out += '#' + url.fragment;
    return out;
  }

  function origin(url) {
    if (url.scheme === 'blob') {
      const inner = parse(serializePath(url));
      if (inner && (inner.scheme === 'http' || inner.scheme === 'https')) return origin(inner);
      return 'null';
    }
    if (isSpecial(url.scheme) && url.scheme !== 'file') {
      let out = `${url.scheme}://${urlHost.serialize(url.host)}`;
      if (url.port !== null) out += ':' + url.port;
      return out;
    }
    return 'null';
  }

  lib.urlParser = { parse, serialize, serializePath, origin, isSpecial, defaultPort,
    hasCredentials, States: S, parseFast, parseStateMachine };
})();
