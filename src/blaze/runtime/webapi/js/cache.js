// cache.js: the Cache API — `caches` (CacheStorage with `default` and `open(name)`) and `Cache`
// (`match`, `put`, `delete`), with workerd's argument handling and messages (pinned against
// wrangler dev in tests/workers/scenarios/cache). The host side is bindings/cache_binding.cc
// (ops open, match, put, delete); the HTTP rules (what is kept, for how long, how a hit is
// answered) are storage/cache/http_cache.h.
//
// The cache is a platform service, not an `env` binding: every worker gets a binding of kind
// 'cache' with an empty name, and its factory below only records the handle. Until the engine
// has built `env` for a first request (module top level), using a cache throws workerd's
// "Disallowed operation called within global scope" error.
//   match(request | url, {ignoreMethod}) → Response | undefined: only GET unless ignoreMethod;
//     a hit carries CF-Cache-Status: HIT, Age, Date, Content-Length and immutable headers.
//   put(request | url, response) → undefined: TypeErrors for non-GET requests, 206 responses,
//     `Vary: *` and used bodies; whether it is kept follows the response's Cache-Control.
//   delete(request | url, {ignoreMethod}) → boolean.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const kConstruct = Symbol('Cache');
  const kGlobalScope = 'Disallowed operation called within global scope. Asynchronous I/O ' +
    '(ex: fetch() or connect()), setting a timeout, and generating random values are not ' +
    'allowed within global scope. To fix this error, perform this operation within a handler. ' +
    'https://developers.cloudflare.com/workers/runtime-apis/handlers/';
  // Headers of a request that decide how a hit is answered.
  const kConditionalHeaders = ['if-none-match', 'if-modified-since', 'range'];

  let handle = null;  // the cache binding of the current worker, once env is built
  lib.bindings.register('cache', (h) => {
    handle = h;
    return undefined;
  });

  function notImplemented(cls, method) {
    return new Error(`Failed to execute '${method}' on '${cls}': the method is not implemented.`);
  }

  async function call(op, args) {
    if (handle === null) throw new Error(kGlobalScope);
    try {
      return await lib.bindings.call(handle, op, args);
    } catch (e) {
      const message = e && e.message !== undefined ? e.message : String(e);
      throw e && e.code === 'InvalidArgument' ? new TypeError(message) : new Error(message);
    }
  }

  // A Request as given, or one built from a string (URL objects and others are stringified).
  function toRequest(method, args) {
    const input = args[0];
    if (args.length === 0 || input === undefined) {
      throw new TypeError(`Failed to execute '${method}' on 'Cache': parameter 1 is not of ` +
        'type \'Request or string\'.');
    }
    if (input instanceof globalThis.Request) return input;
    return new globalThis.Request(String(input));
  }

  function ignoresMethod(options) {
    return options !== undefined && options !== null && Boolean(options.ignoreMethod);
  }

  function headerPairs(headers, names) {
    return lib.headers.pairs(headers).filter(([name]) => names === null || names.includes(name));
  }

  class Cache {
    #name;
    constructor(key, name) {
      if (key !== kConstruct) throw new TypeError('Illegal constructor');
      this.#name = name;
    }

    async match(...args) {
      const request = toRequest('match', args);
      if (request.method !== 'GET' && !ignoresMethod(args[1])) return undefined;
      const hit = await call('match', {
        cache: this.#name,
        url: request.url,
        headers: headerPairs(request.headers, kConditionalHeaders),
      });
      if (hit === null) return undefined;
      const body = hit.status === 304 || hit.status === 416 || hit.body === undefined ? null
        : hit.body;
      const response = new globalThis.Response(body, { status: hit.status, headers: hit.headers });
      lib.headers.setImmutable(response.headers);
      return response;
    }

    async put(...args) {
      const request = toRequest('put', args);
      const response = args[1];
      if (!lib.isResponse(response)) {
        throw new TypeError('Failed to execute \'put\' on \'Cache\': parameter 2 is not of ' +
          'type \'Response\'.');
      }
      if (request.method !== 'GET') throw new TypeError('Cannot cache response to non-GET request.');
      if (response.status === 206) {
        throw new TypeError('Cannot cache response to a range request (206 Partial Content).');
      }
      const vary = response.headers.get('vary');
      if (vary !== null && vary.split(',').some((field) => field.trim() === '*')) {
        throw new TypeError('Cannot cache response with \'Vary: *\' header.');
      }
      const source = lib.sourceOfResponse(response);
      lib.body.checkUsable(source);
      const body = await lib.body.consume(source);
      await call('put', {
        cache: this.#name,
        url: request.url,
        method: request.method,
        status: response.status,
        headers: headerPairs(response.headers, null),
        authorization: request.headers.has('authorization'),
        body,
      });
      return undefined;
    }

    async delete(...args) {
      const request = toRequest('delete', args);
      if (request.method !== 'GET' && !ignoresMethod(args[1])) return false;
      return await call('delete', { cache: this.#name, url: request.url });
    }

    async add() { throw notImplemented('Cache', 'add'); }
    async addAll() { throw notImplemented('Cache', 'addAll'); }
    async matchAll() { throw notImplemented('Cache', 'matchAll'); }
    async keys() { throw notImplemented('Cache', 'keys'); }
  }
  lib.tagClass(Cache, 'Cache');

  class CacheStorage {
    constructor(key) {
      if (key !== kConstruct) throw new TypeError('Illegal constructor');
      // workerd: an own, read-only, enumerable data property.
      Object.defineProperty(this, 'default', {
        value: new Cache(kConstruct, ''), writable: false, enumerable: true, configurable: true,
      });
    }

    async open(...args) {
      if (args.length === 0 || args[0] === undefined) {
        throw new TypeError('Failed to execute \'open\' on \'CacheStorage\': parameter 1 is not ' +
          'of type \'string\'.');
      }
      const name = String(args[0]);
      await call('open', { name });
      return new Cache(kConstruct, name);
    }

    async match() { throw notImplemented('CacheStorage', 'match'); }
    async has() { throw notImplemented('CacheStorage', 'has'); }
    async delete() { throw notImplemented('CacheStorage', 'delete'); }
    async keys() { throw notImplemented('CacheStorage', 'keys'); }
  }
  lib.tagClass(CacheStorage, 'CacheStorage');

  lib.defineGlobal('Cache', Cache);
  lib.defineGlobal('CacheStorage', CacheStorage);
  lib.defineGlobal('caches', new CacheStorage(kConstruct));
})();
