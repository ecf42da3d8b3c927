// fetch.js: fetch(input, init) over host.fetch. The host does the network I/O, redirects
// included, and rejects with a TypeError on network errors; we build the Request (so all
// argument errors match `new Request`), send its bytes, and wrap the result in a Response
// with immutable headers, `url` and `redirected`.
// The host takes and returns whole bodies: a stream body (e.g. an incoming request's body) is
// read fully before the request is sent, and the response body is a stream over the bytes
// received.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;

  async function fetch(input, init = undefined) {
    const request = new globalThis.Request(input, init);
    const url = request.url;
    if (!/^https?:/i.test(url)) throw new TypeError(`Fetch API cannot load: ${url}`);
    const source = lib.sourceOfRequest(request);
    const body = source === null ? null : await lib.body.consume(source);
    const result = await host.fetch({
      method: request.method,
      url: url.replace(/#.*$/, ''), // fragments never go on the wire
      headers: lib.headers.pairs(request.headers),
      body,
      redirect: request.redirect,
    });
    return lib.newFetchedResponse(result, url);
  }

  lib.defineGlobal('fetch', fetch);
})();
