// service.js: service bindings (`env.AUTH`, a Fetcher): fetch() runs the bound worker in-process
// through the host (node/service_binding.cc). The request is built like fetch()'s, so argument
// errors match; its body is read whole before the call (the target gets a byte body), and the
// answer is a Response like a fetched one (immutable headers). An exception in the target is
// a 500 answer whose JSON body names the error, as under wrangler dev.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;

  class Fetcher {
    #handle;
    constructor(handle) { this.#handle = handle; }

    async fetch(input, init = undefined) {
      const request = new globalThis.Request(input, init);
      const source = lib.sourceOfRequest(request);
      const body = source === null ? null : await lib.body.consume(source);
      const result = await lib.bindings.call(this.#handle, 'fetch', {
        method: request.method,
        url: request.url,
        headers: lib.headers.pairs(request.headers),
        body,
      });
      return lib.newFetchedResponse(result, request.url);
    }

    connect() {
      throw new Error('connect() on a service binding is not supported by Blaze');
    }
  }
  lib.tagClass(Fetcher, 'Fetcher');

  lib.bindings.register('service', (handle) => new Fetcher(handle));
})();
