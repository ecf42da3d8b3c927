// headers.js: Headers with workerd's semantics.
//
// Storage is the Fetch spec's header list (lower-cased name, value) in insertion order;
// iteration sorts by name and joins duplicates with ", " except Set-Cookie, whose values are
// yielded one by one. A guard makes the headers of incoming requests and of fetched or
// redirect/error responses immutable ("Can't modify immutable headers.").
// Provides Headers plus lib.headers = { fromPairs, pairs, setImmutable, append }.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  const kToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  // workerd accepts any code unit except NUL, CR and LF (non-Latin-1 is sent as UTF-8).
  const kBadValue = /[\0\r\n]/;
  const kEdgeWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;
  const kConstruct = Symbol('Headers');

  function normalizeName(name) {
    const s = String(name);
    if (!kToken.test(s)) throw new TypeError('Invalid header name.');
    return s.toLowerCase();
  }

  function normalizeValue(value) {
    const s = String(value).replace(kEdgeWhitespace, '');
    if (kBadValue.test(s)) throw new TypeError('Invalid header value.');
    return s;
  }

  const kPairError = 'To initialize a Headers object from a sequence, each inner sequence ' +
    'must have exactly two elements.';

  class Headers {
    #list = [];
    #immutable = false;

    constructor(init = undefined) {
      if (init === kConstruct || init === undefined || init === null) return;
      if (typeof init !== 'object' && typeof init !== 'function') {
        throw new TypeError('Failed to construct \'Headers\': constructor parameter 1 is not ' +
          'of type \'Headers or Sequence or object\'.');
      }
      if (init instanceof Headers) {
        for (const [k, v] of init.#list) this.#list.push([k, v]);
      } else if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') {
            throw new TypeError(kPairError);
          }
          const items = Array.from(pair);
          if (items.length !== 2) throw new TypeError(kPairError);
          this.#append(items[0], items[1]);
        }
      } else {
        for (const key of Object.keys(init)) this.#append(key, init[key]);
      }
    }

    static {
      lib.headers = {
        fromPairs(pairs, immutable) {
          const h = new Headers(kConstruct);
          for (const [k, v] of pairs) h.#append(k, v);
          h.#immutable = Boolean(immutable);
          return h;
        },
        copy(headers) {
          const h = new Headers(kConstruct);
          h.#list = headers.#list.map(([k, v]) => [k, v]);
          return h;
        },
        // The wire form: one pair per stored entry, names lower-cased.
        pairs(headers) {
          return headers.#list.map(([k, v]) => [k, v]);
        },
        setImmutable(headers) {
          headers.#immutable = true;
        },
        // For the constructors' own Content-Type defaults, which bypass the guard.
        appendUnchecked(headers, name, value) {
          headers.#list.push([name, value]);
        },
        // set() for a lower-case name and a valid value the caller vouches for (no checks).
        setUnchecked(headers, name, value) {
          const list = headers.#list;
          let first = -1;
          for (let i = 0; i < list.length; i++) {
            if (list[i][0] === name) { first = i; break; }
          }
          if (first < 0) {
            list.push([name, value]);
            return;
          }
          list[first][1] = value;
          if (list.length > first + 1) {
            headers.#list = list.filter(([k], i) => i <= first || k !== name);
          }
        },
      };
    }

    #checkMutable() {
      if (this.#immutable) throw new TypeError('Can\'t modify immutable headers.');
    }

    #append(name, value) {
      this.#list.push([normalizeName(name), normalizeValue(value)]);
    }

    append(name, value) {
      requireArgs('append', arguments.length, 2);
      this.#checkMutable();
      this.#append(name, value);
    }

    delete(name) {
      requireArgs('delete', arguments.length, 1);
      this.#checkMutable();
      const n = normalizeName(name);
      this.#list = this.#list.filter(([k]) => k !== n);
    }

    get(name) {
      requireArgs('get', arguments.length, 1);
      const n = normalizeName(name);
      const values = this.#list.filter(([k]) => k === n).map(([, v]) => v);
      return values.length === 0 ? null : values.join(', ');
    }

    getSetCookie() {
      return this.#list.filter(([k]) => k === 'set-cookie').map(([, v]) => v);
    }

    // Cloudflare's pre-standard API; only Set-Cookie is allowed, like workerd.
    getAll(name) {
      const n = normalizeName(name);
      if (n !== 'set-cookie') throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
      return this.getSetCookie();
    }

    has(name) {
      requireArgs('has', arguments.length, 1);
      const n = normalizeName(name);
      return this.#list.some(([k]) => k === n);
    }

    set(name, value) {
      requireArgs('set', arguments.length, 2);
      this.#checkMutable();
      const n = normalizeName(name);
      const v = normalizeValue(value);
      const first = this.#list.findIndex(([k]) => k === n);
      if (first < 0) {
        this.#list.push([n, v]);
        return;
      }
      this.#list[first][1] = v;
      this.#list = this.#list.filter(([k], i) => i <= first || k !== n);
    }

    // The spec's "sort and combine", recomputed per call so iteration sees live changes.
    #sorted() {
      const names = [...new Set(this.#list.map(([k]) => k))].sort();
      const out = [];
      for (const name of names) {
        const values = this.#list.filter(([k]) => k === name).map(([, v]) => v);
        if (name === 'set-cookie') for (const v of values) out.push([name, v]);
        else out.push([name, values.join(', ')]);
      }
      return out;
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== 'function') {
        throw new TypeError('Failed to execute \'forEach\' on \'Headers\': parameter 1 is not ' +
          'of type \'Function\'.');
      }
      for (const [k, v] of this.#sorted()) callback.call(thisArg, v, k, this);
    }

    *entries() {
      for (let i = 0; ; i++) {
        const sorted = this.#sorted();
        if (i >= sorted.length) return;
        yield sorted[i];
      }
    }

    *keys() {
      for (const [k] of this.entries()) yield k;
    }

    *values() {
      for (const [, v] of this.entries()) yield v;
    }

    [Symbol.iterator]() {
      return this.entries();
    }
  }

  function requireArgs(name, got, n) {
    if (got < n) {
      throw new TypeError(`Failed to execute '${name}' on 'Headers': ${n} argument` +
        `${n > 1 ? 's' : ''} required, but only ${got} present.`);
    }
  }

  lib.tagClass(Headers, 'Headers');
  lib.defineGlobal('Headers', Headers);
})();
