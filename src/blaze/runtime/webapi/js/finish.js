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

  // init: {method, url, headers: [[name, value], ...], body: Uint8Array|null, traceId, cf}
  internal.newRequest = function newRequest(init) {
    return lib.newIncomingRequest(init.method, init.url, init.headers, init.body, init.cf);
  };

  // The engine is buffered for now: a stream body (the worker's own ReadableStream included) is
  // read to the end here before anything is sent. A streaming variant (say
  // internal.readResponseStreaming, handing the engine a reader) is the seam for sending
  // chunks as they are produced; nothing else has to change for it.
  internal.readResponse = async function readResponse(response) {
    if (!lib.isResponse(response)) {
      throw new TypeError('Incorrect type for Promise: the Promise did not resolve to ' +
        '\'Response\'.');
    }
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

  internal.formatLog = function formatLog(args) {
    return lib.formatLog(Array.from(args));
  };

  delete globalThis.__blazeHost;
})();
