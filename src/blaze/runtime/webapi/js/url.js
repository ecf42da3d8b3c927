// url.js: the URL class over lib.urlParser. Each instance owns one URL record; its
// searchParams object is created on first use (most URLs never need one) and from then on kept
// in sync in both directions.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { urlParser: P, percent, toUSVString } = lib;
  const S = P.States;

  function cannotHaveCredentialsOrPort(url) {
    return url.host === null || url.host === '' || url.scheme === 'file';
  }

  // Clearing the query or fragment of an opaque path drops the spaces the parser kept
  // before them, so that "sc:a ?x" does not serialize with a trailing space.
  function stripTrailingSpaces(url) {
    if (typeof url.path !== 'string' || url.fragment !== null || url.query !== null) return;
    url.path = url.path.replace(/ +$/, '');
  }

  class URL {
    #url;
    #searchParams;

    constructor(url, base = undefined) {
      if (arguments.length === 0) {
        throw new TypeError('Failed to construct \'URL\': 1 argument required, but only 0 ' +
          'present.');
      }
      let parsedBase = null;
      if (base !== undefined) {
        parsedBase = P.parse(toUSVString(base));
        if (parsedBase === null) throw new TypeError('Invalid base URL string.');
      }
      const record = P.parse(toUSVString(url), parsedBase);
      if (record === null) throw new TypeError('Invalid URL string.');
      this.#url = record;
      this.#searchParams = null;
    }

    static canParse(url, base = undefined) {
      let parsedBase = null;
      if (base !== undefined) {
        parsedBase = P.parse(toUSVString(base));
        if (parsedBase === null) return false;
      }
      return P.parse(toUSVString(url), parsedBase) !== null;
    }

    // Lets other prelude files (Request, fetch) reach the record without re-parsing.
    static {
      lib.urlRecordOf = (u) => (#url in u ? u.#url : null);
    }

    get href() { return P.serialize(this.#url); }
    set href(value) {
      const record = P.parse(toUSVString(value));
      if (record === null) throw new TypeError('Invalid URL string.');
      this.#url = record;
      if (this.#searchParams !== null) lib.resetSearchParams(this.#searchParams, record.query);
    }

    get origin() { return P.origin(this.#url); }

    get protocol() { return this.#url.scheme + ':'; }
    set protocol(value) {
      P.parse(toUSVString(value) + ':', null, this.#url, S.SCHEME_START);
    }

    get username() { return this.#url.username; }
    set username(value) {
      if (cannotHaveCredentialsOrPort(this.#url)) return;
      this.#url.username = percent.encodeString(toUSVString(value), percent.sets.userinfo);
    }

    get password() { return this.#url.password; }
    set password(value) {
      if (cannotHaveCredentialsOrPort(this.#url)) return;
      this.#url.password = percent.encodeString(toUSVString(value), percent.sets.userinfo);
    }

    get host() {
      const url = this.#url;
      if (url.host === null) return '';
      const host = lib.urlHost.serialize(url.host);
      return url.port === null ? host : `${host}:${url.port}`;
    }
    set host(value) {
      if (typeof this.#url.path === 'string') return;
      this.#edit(toUSVString(value), S.HOST);
    }

    get hostname() {
      return this.#url.host === null ? '' : lib.urlHost.serialize(this.#url.host);
    }
    set hostname(value) {
      if (typeof this.#url.path === 'string') return;
      this.#edit(toUSVString(value), S.HOSTNAME);
    }

    get port() { return this.#url.port === null ? '' : String(this.#url.port); }
    set port(value) {
      if (cannotHaveCredentialsOrPort(this.#url)) return;
      const s = toUSVString(value);
      if (s === '') this.#url.port = null;
      else this.#edit(s, S.PORT);
    }

    get pathname() { return P.serializePath(this.#url); }
    set pathname(value) {
      if (typeof this.#url.path === 'string') return;
      const saved = this.#url.path;
      this.#url.path = [];
      if (!P.parse(toUSVString(value), null, this.#url, S.PATH_START)) this.#url.path = saved;
    }

    get search() {
      const q = this.#url.query;
      return q === null || q === '' ? '' : '?' + q;
    }
    set search(value) {
      const url = this.#url;
      let s = toUSVString(value);
      if (s === '') {
        url.query = null;
        if (this.#searchParams !== null) lib.resetSearchParams(this.#searchParams, '');
        stripTrailingSpaces(url);
        return;
      }
      if (s.startsWith('?')) s = s.slice(1);
      url.query = '';
      P.parse(s, null, url, S.QUERY);
      if (this.#searchParams !== null) lib.resetSearchParams(this.#searchParams, s);
    }

    get searchParams() {
      if (this.#searchParams === null) {
        this.#searchParams = lib.newLinkedSearchParams(this.#url.query, (query) => {
          this.#url.query = query === '' ? null : query;
          stripTrailingSpaces(this.#url);
        });
      }
      return this.#searchParams;
    }

    get hash() {
      const f = this.#url.fragment;
      return f === null || f === '' ? '' : '#' + f;
    }
    set hash(value) {
      const url = this.#url;
      let s = toUSVString(value);
      if (s === '') {
        url.fragment = null;
        stripTrailingSpaces(url);
        return;
      }
      if (s.startsWith('#')) s = s.slice(1);
      url.fragment = '';
      P.parse(s, null, url, S.FRAGMENT);
    }

    toString() { return this.href; }
    toJSON() { return this.href; }

    // As in the spec, a setter that fails half-way keeps what it already changed
    // (host = "new.com:99999" changes the host, not the port).
    #edit(input, state) {
      P.parse(input, null, this.#url, state);
    }
  }
  lib.tagClass(URL, 'URL');
  for (const name of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname',
    'port', 'pathname', 'search', 'searchParams', 'hash']) {
    Object.defineProperty(URL.prototype, name,
      Object.assign(Object.getOwnPropertyDescriptor(URL.prototype, name), { enumerable: true }));
  }
  lib.defineGlobal('URL', URL);
})();
