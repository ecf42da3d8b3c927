// finish.js: the last prelude file. Defines navigator and self, publishes the engine-facing
// functions on __blazeHost.internal, then deletes the __blazeHost global. The engine must
// take its reference to __blazeHost (and so to `internal`) before evaluating the prelude.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const internal = host.internal;

  class Navigator {
    get userAgent() { return 'Cloudflare-Workers'; }
  }
  lib.tagClass(Navigator, 'Navigator');
  lib.defineGlobal('navigator', new Navigator());
  lib.defineGlobal('self', globalThis);

  // init: {method, url, headers: [[name, value], ...], body: Uint8Array|null, bodyHandle,
  // traceId, cf}. A streamed upload comes as bodyHandle (body null): request.body then reads it
  // from the host as the worker pulls.
  internal.newRequest = function newRequest(init) {
    const body = init.bodyHandle !== undefined ? lib.body.fromHost(init.bodyHandle) : init.body;
    return lib.newIncomingRequest(init.method, init.url, init.headers, body, init.cf);
  };

  const kNotAResponse = 'Incorrect type for Promise: the Promise did not resolve to \'Response\'.';

  // What the engine sends: {status, statusText, headers} and the body in the cheapest form the
  // source allows. `body`: a string (a string body nothing has read: the engine encodes it),
  // the bytes (a byte body, or one known up front such as a Blob: then a
  // promise of the whole, sent with a content-length); `bodyHandle`: an untouched host body
  // (`new Response(request.body)`, a fetched response) the engine passes through natively;
  // `reader`: {next, cancel} over the worker's stream, which the engine calls one chunk at a
  // time as the client reads (each call a slice, under the request's CPU and memory limits).
  // Throws TypeError for a non-Response or a used/locked body.
  internal.readResponseStreaming = function readResponseStreaming(response) {
    if (!lib.isResponse(response)) throw new TypeError(kNotAResponse);
    const head = {
      status: response.status,
      statusText: response.statusText,
      headers: lib.headers.pairs(response.headers),
    };
    const source = lib.sourceOfResponse(response);
    if (source === null) {
      head.body = null;
      return head;
    }
    lib.body.checkUsable(source);
    const text = source.textNow !== undefined ? source.textNow() : undefined;
    if (text !== undefined) {  // a string body: the engine encodes it to UTF-8 itself
      head.body = text;
      return head;
    }
    const bytes = source.bytesNow();
    if (bytes !== undefined) {
      head.body = bytes;
      return head;
    }
    const handle = source.takeHost();
    if (handle !== undefined) {
      head.bodyHandle = handle;
      return head;
    }
    if (source.fixed) return source.readAll().then((all) => Object.assign(head, { body: all }));
    head.reader = source.chunkReader();
    return head;
  };

  // The whole response at once (tests, tools): a stream body is read to its end first.
  internal.readResponse = async function readResponse(response) {
    if (!lib.isResponse(response)) throw new TypeError(kNotAResponse);
    const body = await lib.body.consume(lib.sourceOfResponse(response));
    return {
      status: response.status,
      statusText: response.statusText,
      headers: lib.headers.pairs(response.headers),
      body,
    };
  };

  class ExecutionContext {
    #pending = [];
    #passThrough = false;
    #hooks;

    static {
      lib.executionContextState = (ctx) => ({
        pending: ctx.#pending,
        passThrough: () => ctx.#passThrough,
      });
      lib.newExecutionContext = (hooks) => {
        const ctx = new ExecutionContext();
        ctx.#hooks = hooks;
        return ctx;
      };
    }

    waitUntil(promise) {
      // Rejections are the worker's business; they must not fail `settled`.
      const tracked = Promise.resolve(promise).then(() => undefined, (e) => {
        lib.reportError(e);
      });
      this.#pending.push(tracked);
      // The engine keeps the request alive until what it was handed settles.
      if (this.#hooks && typeof this.#hooks.waitUntil === 'function') this.#hooks.waitUntil(tracked);
    }

    passThroughOnException() {
      this.#passThrough = true;
    }
  }
  lib.tagClass(ExecutionContext, 'ExecutionContext');

  // hooks: {waitUntil(promise)}, called for every ctx.waitUntil so the engine can track the tail.
  internal.newExecutionContext = function newExecutionContext(hooks) {
    return lib.newExecutionContext(hooks);
  };

  // For tests and the engine's passThroughOnException: {settled(), passThrough()} of a ctx.
  internal.executionContextState = function executionContextState(ctx) {
    const state = lib.executionContextState(ctx);
    async function settled() {
      // waitUntil may be called again while we wait, so drain until nothing is left.
      let seen = 0;
      while (seen < state.pending.length) {
        const batch = state.pending.slice(seen);
        seen = state.pending.length;
        await Promise.all(batch);
      }
    }
    return { settled, passThrough: state.passThrough };
  };

  // The engine's report of a promise rejected with no handler (engine.cc).
  internal.reportUnhandledRejection = function reportUnhandledRejection(promise, reason) {
    lib.reportUnhandledRejection(promise, reason);
  };

  internal.formatLog = function formatLog(args) {
    return lib.formatLog(Array.from(args));
  };

  delete globalThis.__blazeHost;
})();
