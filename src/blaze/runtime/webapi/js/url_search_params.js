// url_search_params.js: URLSearchParams.
//
// A URLSearchParams made by a URL is linked to it: every mutation re-serializes the list into
// the URL's query through the `update` callback the URL passes to lib.newLinkedSearchParams,
// and URL's search setter replaces the list through lib.resetSearchParams.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { percent } = lib;

  const kInternal = Symbol('URLSearchParams internal');

  // Most strings hold no surrogate at all: one quick test spares them the replace.
  const kSurrogate = /[\ud800-\udfff]/;
  function toUSVString(v) {
    const s = String(v);
    if (!kSurrogate.test(s)) return s;
    return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd');
  }

  function requireArgs(name, args, n) {
    if (args.length < n) {
      throw new TypeError(`Failed to execute '${name}' on 'URLSearchParams': ${n} argument` +
        `${n > 1 ? 's' : ''} required, but only ${args.length} present.`);
    }
  }

  class URLSearchParams {
    #list = [];
    #update = null;

    constructor(init = '') {
      if (init === kInternal) return;
      if (init !== null && typeof init === 'object' || typeof init === 'function') {
        if (typeof init[Symbol.iterator] === 'function') {
          for (const pair of init) {
            const items = typeof pair === 'string' || pair === null || pair === undefined ||
              typeof pair[Symbol.iterator] !== 'function' ? null : Array.from(pair);
            if (items === null || items.length !== 2) {
              throw new TypeError('Each query pair must be an iterable [name, value] tuple');
            }
            this.#list.push([toUSVString(items[0]), toUSVString(items[1])]);
          }
        } else {
          for (const key of Reflect.ownKeys(init)) {
            const desc = Reflect.getOwnPropertyDescriptor(init, key);
            if (desc === undefined || !desc.enumerable || typeof key === 'symbol') continue;
            this.#list.push([toUSVString(key), toUSVString(init[key])]);
          }
        }
      } else {
        let s = toUSVString(init);
        if (s.startsWith('?')) s = s.slice(1);
        this.#list = percent.formParse(s);
      }
    }

    static #link(params, list, update) {
      params.#list = list;
      params.#update = update;
    }

    static #reset(params, list) {
      params.#list = list;
    }

    static {
      lib.newLinkedSearchParams = (query, update) => {
        const params = new URLSearchParams(kInternal);
        URLSearchParams.#link(params, percent.formParse(query || ''), update);
        return params;
      };
      lib.resetSearchParams = (params, query) => {
        URLSearchParams.#reset(params, percent.formParse(query || ''));
      };
    }

    #changed() {
      if (this.#update !== null) this.#update(this.#serialize());
    }

    #serialize() {
      return percent.formSerialize(this.#list);
    }

    get size() { return this.#list.length; }

    append(name, value) {
      requireArgs('append', arguments, 2);
      this.#list.push([toUSVString(name), toUSVString(value)]);
      this.#changed();
    }

    delete(name, value = undefined) {
      requireArgs('delete', arguments, 1);
      const n = toUSVString(name);
      const v = value === undefined ? undefined : toUSVString(value);
      this.#list = this.#list.filter(([k, x]) => !(k === n && (v === undefined || x === v)));
      this.#changed();
    }

    get(name) {
      requireArgs('get', arguments, 1);
      const n = toUSVString(name);
      const entry = this.#list.find(([k]) => k === n);
      return entry === undefined ? null : entry[1];
    }

    getAll(name) {
      requireArgs('getAll', arguments, 1);
      const n = toUSVString(name);
      return this.#list.filter(([k]) => k === n).map(([, v]) => v);
    }

    has(name, value = undefined) {
      requireArgs('has', arguments, 1);
      const n = toUSVString(name);
      const v = value === undefined ? undefined : toUSVString(value);
      return this.#list.some(([k, x]) => k === n && (v === undefined || x === v));
    }

    set(name, value) {
      requireArgs('set', arguments, 2);
      const n = toUSVString(name);
      const v = toUSVString(value);
      const first = this.#list.findIndex(([k]) => k === n);
      if (first < 0) {
        this.#list.push([n, v]);
      } else {
        this.#list[first][1] = v;
        this.#list = this.#list.filter(([k], i) => i <= first || k !== n);
      }
      this.#changed();
    }

    sort() {
      // Array.prototype.sort is stable (ES2019); names compare by UTF-16 code units.
      this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.#changed();
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== 'function') {
        throw new TypeError('The "callback" argument must be of type function');
      }
      for (let i = 0; i < this.#list.length; i++) {
        const [k, v] = this.#list[i];
        callback.call(thisArg, v, k, this);
      }
    }

    *entries() {
      // Index-based so that mutation during iteration behaves like the spec's live iterator.
      for (let i = 0; i < this.#list.length; i++) yield [this.#list[i][0], this.#list[i][1]];
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

    toString() {
      return this.#serialize();
    }
  }
  lib.tagClass(URLSearchParams, 'URLSearchParams');
  lib.toUSVString = toUSVString;
  lib.defineGlobal('URLSearchParams', URLSearchParams);
})();
