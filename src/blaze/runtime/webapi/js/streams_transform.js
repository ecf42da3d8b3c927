// streams_transform.js: TransformStream and TransformStreamDefaultController, following the
// Streams Standard (including the transformer `cancel` hook and the shared finish promise of
// the current edition). A TransformStream is a writable side whose sink runs the transformer
// and a readable side fed by controller.enqueue; backpressure from the readable side holds
// writes back.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const S = lib.streams;
  const kConstruct = S.kConstruct;

  class TransformStream {
    #t;
    constructor(transformer = undefined, writableStrategy = undefined,
      readableStrategy = undefined) {
      const dict = S.toDict(transformer, 'TransformStream');
      const wStrategy = S.toDict(writableStrategy, 'TransformStream');
      const rStrategy = S.toDict(readableStrategy, 'TransformStream');
      if (dict.readableType !== undefined) throw new RangeError('Invalid readableType specified');
      if (dict.writableType !== undefined) throw new RangeError('Invalid writableType specified');
      const rHWM = S.extractHighWaterMark(rStrategy, 0);
      const rSize = S.extractSizeAlgorithm(rStrategy);
      const wHWM = S.extractHighWaterMark(wStrategy, 1);
      const wSize = S.extractSizeAlgorithm(wStrategy);
      const start = S.getMethod(dict, 'start', 'TransformStream');
      const transform = S.getMethod(dict, 'transform', 'TransformStream');
      const flush = S.getMethod(dict, 'flush', 'TransformStream');
      const cancel = S.getMethod(dict, 'cancel', 'TransformStream');
      const startPromise = S.deferred();
      const t = initialize(startPromise.promise, wHWM, wSize, rHWM, rSize);
      t.pub = this;
      this.#t = t;
      const c = newController();
      setUpController(t, c,
        transform ? (chunk) => S.promiseCall(transform, dict, [chunk, c.pub])
          : (chunk) => identityTransform(c, chunk),
        flush ? () => S.promiseCall(flush, dict, [c.pub]) : () => S.resolved(undefined),
        cancel ? (reason) => S.promiseCall(cancel, dict, [reason]) : () => S.resolved());
      if (start) {
        startPromise.resolve(Reflect.apply(start, dict, [c.pub]));
      } else {
        startPromise.resolve(undefined);
      }
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#t in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#t;
    }
    get readable() { return TransformStream.#of(this).readable.pub; }
    get writable() { return TransformStream.#of(this).writable.pub; }
  }
  S.enumerable(TransformStream, ['readable', 'writable']);
  lib.tagClass(TransformStream, 'TransformStream');

  function identityTransform(c, chunk) {
    try {
      enqueue(c, chunk);
      return S.resolved(undefined);
    } catch (e) {
      return S.rejected(e);
    }
  }

  function initialize(startPromise, wHWM, wSize, rHWM, rSize) {
    const t = { readable: undefined, writable: undefined, backpressure: undefined,
      backpressureChange: undefined, controller: undefined, pub: undefined };
    const start = () => startPromise;
    t.writable = S.createWritable(start, (chunk) => sinkWrite(t, chunk), () => sinkClose(t),
      (reason) => sinkAbort(t, reason), wHWM, wSize);
    t.readable = S.createReadable(start, () => sourcePull(t), (reason) => sourceCancel(t, reason),
      rHWM, rSize);
    setBackpressure(t, true);
    return t;
  }

  function streamError(t, e) {
    S.defaultError(t.readable.controller, e);
    errorWritableAndUnblockWrite(t, e);
  }

  function errorWritableAndUnblockWrite(t, e) {
    clearAlgorithms(t.controller);
    S.writableErrorIfNeeded(t.writable.controller, e);
    unblockWrite(t);
  }

  function unblockWrite(t) {
    if (t.backpressure) setBackpressure(t, false);
  }

  function setBackpressure(t, backpressure) {
    if (t.backpressureChange !== undefined) t.backpressureChange.resolve(undefined);
    t.backpressureChange = S.deferred();
    t.backpressure = backpressure;
  }

  // ---- controller -------------------------------------------------------------------------
  function newController() {
    return { stream: undefined, transformAlgorithm: undefined, flushAlgorithm: undefined,
      cancelAlgorithm: undefined, finish: undefined, pub: undefined };
  }

  function setUpController(t, c, transform, flush, cancel) {
    c.stream = t;
    t.controller = c;
    c.transformAlgorithm = transform;
    c.flushAlgorithm = flush;
    c.cancelAlgorithm = cancel;
    c.pub = new TransformStreamDefaultController(kConstruct, c);
  }

  function clearAlgorithms(c) {
    c.transformAlgorithm = undefined;
    c.flushAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
  }

  function enqueue(c, chunk) {
    const t = c.stream;
    const rc = t.readable.controller;
    if (!S.defaultCanCloseOrEnqueue(rc)) {
      throw new TypeError('Readable side is not in a state that permits enqueue');
    }
    try {
      S.defaultEnqueue(rc, chunk);
    } catch (e) {
      errorWritableAndUnblockWrite(t, e);
      throw t.readable.storedError;
    }
    const backpressure = S.defaultHasBackpressure(rc);
    if (backpressure !== t.backpressure) setBackpressure(t, true);
  }

  function terminate(c) {
    const t = c.stream;
    S.defaultClose(t.readable.controller);
    errorWritableAndUnblockWrite(t, new TypeError('The transform stream has been terminated'));
  }

  function performTransform(c, chunk) {
    return c.transformAlgorithm(chunk).then(undefined, (e) => {
      streamError(c.stream, e);
      throw e;
    });
  }

  // ---- the writable side's sink and the readable side's source ----------------------------
  function sinkWrite(t, chunk) {
    const c = t.controller;
    if (t.backpressure) {
      return t.backpressureChange.promise.then(() => {
        const w = t.writable;
        if (w.state === 'erroring') throw w.storedError;
        return performTransform(c, chunk);
      });
    }
    return performTransform(c, chunk);
  }

  function sinkAbort(t, reason) {
    const c = t.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const readable = t.readable;
    c.finish = S.deferred();
    const result = c.cancelAlgorithm(reason);
    clearAlgorithms(c);
    S.react(result, () => {
      if (readable.state === 'errored') {
        c.finish.reject(readable.storedError);
      } else {
        S.defaultError(readable.controller, reason);
        c.finish.resolve(undefined);
      }
    }, (e) => {
      S.defaultError(readable.controller, e);
      c.finish.reject(e);
    });
    return c.finish.promise;
  }

  function sinkClose(t) {
    const c = t.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const readable = t.readable;
    c.finish = S.deferred();
    const result = c.flushAlgorithm();
    clearAlgorithms(c);
    S.react(result, () => {
      if (readable.state === 'errored') {
        c.finish.reject(readable.storedError);
      } else {
        S.defaultClose(readable.controller);
        c.finish.resolve(undefined);
      }
    }, (e) => {
      S.defaultError(readable.controller, e);
      c.finish.reject(e);
    });
    return c.finish.promise;
  }

  function sourcePull(t) {
    setBackpressure(t, false);
    return t.backpressureChange.promise;
  }

  function sourceCancel(t, reason) {
    const c = t.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const writable = t.writable;
    c.finish = S.deferred();
    const result = c.cancelAlgorithm(reason);
    clearAlgorithms(c);
    S.react(result, () => {
      if (writable.state === 'errored') {
        c.finish.reject(writable.storedError);
      } else {
        S.writableErrorIfNeeded(writable.controller, reason);
        unblockWrite(t);
        c.finish.resolve(undefined);
      }
    }, (e) => {
      S.writableErrorIfNeeded(writable.controller, e);
      unblockWrite(t);
      c.finish.reject(e);
    });
    return c.finish.promise;
  }

  class TransformStreamDefaultController {
    #c;
    constructor(token = undefined, record = undefined) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
      this.#c = record;
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#c in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#c;
    }
    get desiredSize() {
      const c = TransformStreamDefaultController.#of(this);
      return S.defaultDesiredSize(c.stream.readable.controller);
    }
    enqueue(chunk = undefined) { enqueue(TransformStreamDefaultController.#of(this), chunk); }
    error(reason = undefined) {
      streamError(TransformStreamDefaultController.#of(this).stream, reason);
    }
    terminate() { terminate(TransformStreamDefaultController.#of(this)); }
  }
  S.enumerable(TransformStreamDefaultController, ['desiredSize', 'enqueue', 'error',
    'terminate']);
  lib.tagClass(TransformStreamDefaultController, 'TransformStreamDefaultController');

  lib.defineGlobal('TransformStream', TransformStream);
  lib.defineGlobal('TransformStreamDefaultController', TransformStreamDefaultController);
})();
