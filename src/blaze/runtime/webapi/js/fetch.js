// fetch.js: fetch(input, init) over host.fetch. The host does the network I/O, redirects
// included, and rejects with a TypeError on network errors; we build the Request (so all
// argument errors match `new Request`), send its bytes, and wrap the result in a Response
// with immutable headers, `url` and `redirected`.
// The request body is sent whole: a stream body (e.g. an incoming request's body) is read to
// its end before the request goes out. The response body streams: what arrived with the head
// comes as bytes, the rest as a host handle (lib.body.fromHost) read as the worker pulls it.
// An AbortSignal (init.signal or the input Request's) rejects the fetch with its reason, before
// or while the host works; the host request cannot be cancelled yet, so its result is dropped.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;

  async function fetch(input, init = undefined) {
    const request = new globalThis.Request(input, init);
    const url = request.url;
    if (!/^https?:/i.test(url)) throw new TypeError(`Fetch API cannot load: ${url}`);
    const signal = lib.signalOfRequest(request);
    if (signal !== null && signal.aborted) throw signal.reason;
    const source = lib.sourceOfRequest(request);
    const send = async () => {
      const body = source === null ? null : await lib.body.consume(source);
      if (signal !== null && signal.aborted) throw signal.reason;
      return await host.fetch({
        method: request.method,
        url: url.replace(/#.*$/, ''), // fragments never go on the wire
        headers: lib.headers.pairs(request.headers),
        body,
        redirect: request.redirect,
      });
    };
    const result = signal === null ? await send() : await abortable(send(), signal);
    return lib.newFetchedResponse(result, url);
  }

  // Settles like `promise`, or rejects with the signal's reason if it aborts first.
  function abortable(promise, signal) {
    return new Promise((resolve, reject) => {
      const unsubscribe = lib.onAbort(signal, (reason) => reject(reason));
      promise.then((v) => { unsubscribe(); resolve(v); },
        (e) => { unsubscribe(); reject(e); });
    });
  }

  lib.defineGlobal('fetch', fetch);
})();
