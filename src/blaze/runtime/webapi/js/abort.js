// abort.js: AbortController and AbortSignal (DOM Standard), with workerd's messages.
//
// A signal holds its abort algorithms (prelude-internal callbacks, run before the `abort`
// event) and, for AbortSignal.any(), its dependent signals. Dependents are held strongly by
// their sources until they abort: a long-lived source (a controller in global scope) that
// feeds many any() calls keeps those signals alive.
// AbortSignal.timeout() uses the host timer directly (not the setTimeout global a worker may
// replace); like workerd, a timer that never fires does not keep anything alive by itself.
// Provides lib.isAbortSignal(x), lib.onAbort(signal, fn) → unsubscribe, and
// lib.newAbortController() → { signal, abort(reason) } for Request.signal and fetch.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const { DOMException } = lib;

  const kConstruct = Symbol('AbortSignal construct');
  // Captured now: a worker may replace EventTarget.prototype.dispatchEvent later.
  const dispatchEvent = lib.EventTarget.prototype.dispatchEvent;

  function abortError() {
    return new DOMException('The operation was aborted', 'AbortError');
  }

  class AbortSignal extends lib.EventTarget {
    #aborted = false;
    #reason = undefined;
    #algorithms = new Set();
    #dependents = new Set(); // signals made by any() that follow this one
    #sources = null;         // for a dependent signal: the signals it follows

    constructor(token) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
      super();
    }

    static #check(s) {
      if (!lib.isAbortSignal(s)) throw lib.illegalInvocation();
      return s;
    }

    static {
      lib.isAbortSignal = (s) => s !== null && typeof s === 'object' && #aborted in s;
      lib.onAbort = (signal, fn) => {
        const s = AbortSignal.#check(signal);
        const entry = () => fn(s.#reason);
        s.#algorithms.add(entry);
        return () => { s.#algorithms.delete(entry); };
      };
      lib.newAbortSignal = () => new AbortSignal(kConstruct);
      lib.signalAbort = (s, reason) => AbortSignal.#signalAbort(s, reason);
    }

    // The DOM Standard's "signal abort": dependents get their reason before any event fires,
    // then each signal runs its algorithms and fires `abort`. A throwing listener propagates
    // to the caller (workerd), after the remaining signals have been aborted.
    static #signalAbort(signal, reason) {
      if (signal.#aborted) return;
      signal.#aborted = true;
      signal.#reason = reason === undefined ? abortError() : reason;
      const dependents = [];
      for (const d of signal.#dependents) {
        if (d.#aborted) continue;
        d.#aborted = true;
        d.#reason = signal.#reason;
        dependents.push(d);
      }
      signal.#dependents.clear();
      let error = null;
      for (const s of [signal, ...dependents]) {
        try {
          s.#runAbortSteps();
        } catch (e) {
          if (error === null) error = { e };
        }
      }
      if (error !== null) throw error.e;
    }

    #runAbortSteps() {
      const algorithms = [...this.#algorithms];
      this.#algorithms.clear();
      for (const fn of algorithms) {
        try {
          fn();
        } catch (e) {
          lib.reportError(e);
        }
      }
      if (this.#sources !== null) {
        for (const source of this.#sources) source.#dependents.delete(this);
        this.#sources = null;
      }
      dispatchEvent.call(this, lib.newTrustedEvent('abort'));
    }

    static abort(reason = undefined) {
      const s = new AbortSignal(kConstruct);
      s.#aborted = true;
      s.#reason = reason === undefined ? abortError() : reason;
      return s;
    }

    static timeout(ms) {
      if (arguments.length === 0) {
        throw new TypeError('Failed to execute \'timeout\' on \'AbortSignal\': parameter 1 is ' +
          'not of type \'number\'.');
      }
      const n = Number(ms);
      const delay = Number.isFinite(n) && n > 0 ? n : 0;
      const s = new AbortSignal(kConstruct);
      host.setTimer(() => {
        try {
          AbortSignal.#signalAbort(s, new DOMException('The operation was aborted due to ' +
            'timeout', 'TimeoutError'));
        } catch (e) {
          lib.reportError(e);
        }
      }, delay, false);
      return s;
    }

    static any(signals) {
      if (!Array.isArray(signals)) {
        throw new TypeError('Failed to execute \'any\' on \'AbortSignal\': parameter 1 is not ' +
          'of type \'Array\'.');
      }
      signals.forEach((s, i) => {
        if (!lib.isAbortSignal(s)) {
          throw new TypeError(`Incorrect type for array element ${i}: the provided value is ` +
            'not of type \'AbortSignal\'.');
        }
      });
      for (const s of signals) {
        if (s.#aborted) return AbortSignal.abort(s.#reason);
      }
      const result = new AbortSignal(kConstruct);
      result.#sources = new Set();
      for (const s of signals) {
        // A dependent signal follows the sources of its sources, never another dependent.
        for (const source of s.#sources === null ? [s] : s.#sources) {
          result.#sources.add(source);
          source.#dependents.add(result);
        }
      }
      return result;
    }

    get aborted() { return AbortSignal.#check(this).#aborted; }
    get reason() { return AbortSignal.#check(this).#reason; }
    get onabort() { return lib.eventHandler(AbortSignal.#check(this), 'abort'); }
    set onabort(value) { lib.setEventHandler(AbortSignal.#check(this), 'abort', value); }

    throwIfAborted() {
      if (AbortSignal.#check(this).#aborted) throw this.#reason;
    }
  }
  lib.tagClass(AbortSignal, 'AbortSignal');

  class AbortController {
    #signal = new AbortSignal(kConstruct);

    static #check(c) {
      if (c === null || typeof c !== 'object' || !(#signal in c)) throw lib.illegalInvocation();
      return c;
    }

    get signal() { return AbortController.#check(this).#signal; }

    abort(reason = undefined) {
      lib.signalAbort(AbortController.#check(this).#signal, reason);
    }
  }
  lib.tagClass(AbortController, 'AbortController');

  lib.newAbortController = () => {
    const signal = lib.newAbortSignal();
    return { signal, abort: (reason) => lib.signalAbort(signal, reason) };
  };

  lib.defineGlobal('AbortController', AbortController);
  lib.defineGlobal('AbortSignal', AbortSignal);
})();
