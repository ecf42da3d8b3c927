// streams_writable.js: WritableStream, WritableStreamDefaultWriter and
// WritableStreamDefaultController, following the Streams Standard's abstract operations
// (states writable → erroring → errored, or writable → closed; one write or close in flight
// at a time; backpressure through the writer's ready promise).
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const S = lib.streams;
  const kConstruct = S.kConstruct;
  const kCloseSentinel = Symbol('close');
  const kWriterLocked = 'This WritableStream is currently locked to a writer.';
  const kWriterReleased = 'This WritableStream writer has been released.';
  const kClosing = 'This WritableStream has been closed.';

  function newStreamRecord() {
    return { state: 'writable', storedError: undefined, writer: undefined,
      controller: undefined, inFlightWriteRequest: undefined, closeRequest: undefined,
      inFlightCloseRequest: undefined, pendingAbortRequest: undefined, writeRequests: [],
      backpressure: false, pub: undefined };
  }

  class WritableStream {
    #w;
    constructor(underlyingSink = undefined, strategy = undefined) {
      if (underlyingSink === kConstruct) { this.#w = strategy; strategy.pub = this; return; }
      const sink = S.toDict(underlyingSink, 'WritableStream');
      const strat = S.toDict(strategy, 'WritableStream');
      if (sink.type !== undefined) throw new RangeError('Invalid type is specified');
      const w = newStreamRecord();
      w.pub = this;
      this.#w = w;
      const size = S.extractSizeAlgorithm(strat);
      const hwm = S.extractHighWaterMark(strat, 1);
      const start = S.getMethod(sink, 'start', 'WritableStream');
      const write = S.getMethod(sink, 'write', 'WritableStream');
      const close = S.getMethod(sink, 'close', 'WritableStream');
      const abort = S.getMethod(sink, 'abort', 'WritableStream');
      const c = newController();
      setUpController(w, c,
        start ? (pub) => Reflect.apply(start, sink, [pub]) : () => undefined,
        write ? (chunk) => S.promiseCall(write, sink, [chunk, c.pub]) : () => S.resolved(),
        close ? () => S.promiseCall(close, sink, []) : () => S.resolved(),
        abort ? (reason) => S.promiseCall(abort, sink, [reason]) : () => S.resolved(),
        hwm, size);
    }
    static {
      S.writableOf = (s) => {
        if (s === null || typeof s !== 'object' || !(#w in s)) return undefined;
        return s.#w;
      };
    }
    get locked() { return isLocked(brand(this)); }
    abort(reason = undefined) {
      const w = S.writableOf(this);
      if (w === undefined) return S.rejected(new TypeError('Illegal invocation'));
      if (isLocked(w)) return S.rejected(new TypeError(kWriterLocked));
      return abortStream(w, reason);
    }
    close() {
      const w = S.writableOf(this);
      if (w === undefined) return S.rejected(new TypeError('Illegal invocation'));
      if (isLocked(w)) return S.rejected(new TypeError(kWriterLocked));
      if (closeQueuedOrInFlight(w)) return S.rejected(new TypeError(kClosing));
      return closeStream(w);
    }
    getWriter() { return acquireWriter(brand(this)).pub; }
  }
  S.enumerable(WritableStream, ['locked', 'abort', 'close', 'getWriter']);
  lib.tagClass(WritableStream, 'WritableStream');

  function brand(s) {
    const w = S.writableOf(s);
    if (w === undefined) throw new TypeError('Illegal invocation');
    return w;
  }

  S.createWritable = function createWritable(start, write, close, abort, hwm, size) {
    const w = newStreamRecord();
    new WritableStream(kConstruct, w); // eslint-disable-line no-new
    setUpController(w, newController(), start, write, close, abort, hwm, size);
    return w;
  };

  function isLocked(w) { return w.writer !== undefined; }
  S.isWritableLocked = isLocked;

  function abortStream(w, reason) {
    if (w.state === 'closed' || w.state === 'errored') return S.resolved(undefined);
    if (w.pendingAbortRequest !== undefined) return w.pendingAbortRequest.d.promise;
    const wasAlreadyErroring = w.state === 'erroring';
    const d = S.deferred();
    w.pendingAbortRequest = { d, reason: wasAlreadyErroring ? undefined : reason,
      wasAlreadyErroring };
    if (!wasAlreadyErroring) startErroring(w, reason);
    return d.promise;
  }
  S.abortWritable = abortStream;

  function closeStream(w) {
    if (w.state === 'closed' || w.state === 'errored') {
      return S.rejected(new TypeError(kClosing));
    }
    const d = S.deferred();
    w.closeRequest = d;
    if (w.writer !== undefined && w.backpressure && w.state === 'writable') {
      w.writer.ready.resolve(undefined);
    }
    S.enqueueValueWithSize(w.controller, kCloseSentinel, 0);
    advanceQueueIfNeeded(w.controller);
    return d.promise;
  }

  function dealWithRejection(w, error) {
    if (w.state === 'writable') startErroring(w, error);
    else finishErroring(w);
  }

  function startErroring(w, reason) {
    w.state = 'erroring';
    w.storedError = reason;
    if (w.writer !== undefined) ensureReadyRejected(w.writer, reason);
    if (!hasOperationInFlight(w) && w.controller.started) finishErroring(w);
  }

  function finishErroring(w) {
    w.state = 'errored';
    S.resetQueue(w.controller);
    const requests = w.writeRequests;
    w.writeRequests = [];
    for (const d of requests) d.reject(w.storedError);
    const abortRequest = w.pendingAbortRequest;
    if (abortRequest === undefined) { rejectCloseAndClosed(w); return; }
    w.pendingAbortRequest = undefined;
    if (abortRequest.wasAlreadyErroring) {
      abortRequest.d.reject(w.storedError);
      rejectCloseAndClosed(w);
      return;
    }
    const c = w.controller;
    const result = c.abortAlgorithm(abortRequest.reason);
    clearAlgorithms(c);
    S.react(result, () => {
      abortRequest.d.resolve(undefined);
      rejectCloseAndClosed(w);
    }, (e) => {
      abortRequest.d.reject(e);
      rejectCloseAndClosed(w);
    });
  }

  function rejectCloseAndClosed(w) {
    if (w.closeRequest !== undefined) {
      w.closeRequest.reject(w.storedError);
      w.closeRequest = undefined;
    }
    if (w.writer !== undefined) {
      w.writer.closed.reject(w.storedError);
      S.markHandled(w.writer.closed.promise);
    }
  }

  function closeQueuedOrInFlight(w) {
    return w.closeRequest !== undefined || w.inFlightCloseRequest !== undefined;
  }
  S.writableCloseQueuedOrInFlight = closeQueuedOrInFlight;

  function hasOperationInFlight(w) {
    return w.inFlightWriteRequest !== undefined || w.inFlightCloseRequest !== undefined;
  }

  function updateBackpressure(w, backpressure) {
    if (w.writer !== undefined && backpressure !== w.backpressure) {
      if (backpressure) w.writer.ready = S.deferred();
      else w.writer.ready.resolve(undefined);
    }
    w.backpressure = backpressure;
  }

  // ---- writer -----------------------------------------------------------------------------
  function acquireWriter(w) {
    if (isLocked(w)) throw new TypeError(kWriterLocked);
    const writer = { stream: w, ready: undefined, closed: undefined, pub: undefined };
    w.writer = writer;
    const state = w.state;
    if (state === 'writable') {
      writer.ready = !closeQueuedOrInFlight(w) && w.backpressure ? S.deferred()
        : S.resolvedDeferred(undefined);
      writer.closed = S.deferred();
    } else if (state === 'erroring') {
      writer.ready = S.rejectedDeferred(w.storedError);
      writer.closed = S.deferred();
    } else if (state === 'closed') {
      writer.ready = S.resolvedDeferred(undefined);
      writer.closed = S.resolvedDeferred(undefined);
    } else {
      writer.ready = S.rejectedDeferred(w.storedError);
      writer.closed = S.rejectedDeferred(w.storedError);
    }
    writer.pub = new WritableStreamDefaultWriter(kConstruct, writer);
    return writer;
  }
  S.acquireWriter = acquireWriter;

  function ensureReadyRejected(writer, error) {
    if (writer.ready.state === 'pending') writer.ready.reject(error);
    else writer.ready = S.rejectedDeferred(error);
    S.markHandled(writer.ready.promise);
  }

  function ensureClosedRejected(writer, error) {
    if (writer.closed.state === 'pending') writer.closed.reject(error);
    else writer.closed = S.rejectedDeferred(error);
    S.markHandled(writer.closed.promise);
  }

  function writerRelease(writer) {
    const w = writer.stream;
    const error = new TypeError(kWriterReleased);
    ensureReadyRejected(writer, error);
    ensureClosedRejected(writer, error);
    w.writer = undefined;
    writer.stream = undefined;
  }
  S.writerRelease = writerRelease;

  function writerDesiredSize(writer) {
    const w = writer.stream;
    if (w.state === 'errored' || w.state === 'erroring') return null;
    if (w.state === 'closed') return 0;
    return w.controller.strategyHWM - w.controller.queueTotalSize;
  }

  function writerWrite(writer, chunk) {
    const w = writer.stream;
    const c = w.controller;
    const size = getChunkSize(c, chunk);
    if (w !== writer.stream) return S.rejected(new TypeError(kWriterReleased));
    if (w.state === 'errored') return S.rejected(w.storedError);
    if (closeQueuedOrInFlight(w) || w.state === 'closed') {
      return S.rejected(new TypeError(kClosing));
    }
    if (w.state === 'erroring') return S.rejected(w.storedError);
    const d = S.deferred();
    w.writeRequests.push(d);
    controllerWrite(c, chunk, size);
    return d.promise;
  }
  S.writerWrite = writerWrite;

  S.writerCloseWithErrorPropagation = function writerCloseWithErrorPropagation(writer) {
    const w = writer.stream;
    if (closeQueuedOrInFlight(w) || w.state === 'closed') return S.resolved(undefined);
    if (w.state === 'errored') return S.rejected(w.storedError);
    return closeStream(w);
  };

  class WritableStreamDefaultWriter {
    #writer;
    constructor(stream, record = undefined) {
      if (stream === kConstruct) { this.#writer = record; return; }
      const w = S.writableOf(stream);
      if (w === undefined) {
        throw new TypeError('Failed to construct \'WritableStreamDefaultWriter\': parameter 1 ' +
          'is not a WritableStream.');
      }
      const writer = acquireWriter(w);
      writer.pub = this;
      this.#writer = writer;
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#writer in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#writer;
    }
    static #call(self, fn) {
      let writer;
      try { writer = WritableStreamDefaultWriter.#of(self); } catch (e) { return S.rejected(e); }
      if (writer.stream === undefined) return S.rejected(new TypeError(kWriterReleased));
      return fn(writer);
    }
    get closed() {
      try { return WritableStreamDefaultWriter.#of(this).closed.promise; } catch (e) {
        return S.rejected(e);
      }
    }
    get ready() {
      try { return WritableStreamDefaultWriter.#of(this).ready.promise; } catch (e) {
        return S.rejected(e);
      }
    }
    get desiredSize() {
      const writer = WritableStreamDefaultWriter.#of(this);
      if (writer.stream === undefined) throw new TypeError(kWriterReleased);
      return writerDesiredSize(writer);
    }
    abort(reason = undefined) {
      return WritableStreamDefaultWriter.#call(this, (wr) => abortStream(wr.stream, reason));
    }
    close() {
      return WritableStreamDefaultWriter.#call(this, (wr) => {
        if (closeQueuedOrInFlight(wr.stream)) return S.rejected(new TypeError(kClosing));
        return closeStream(wr.stream);
      });
    }
    releaseLock() {
      const writer = WritableStreamDefaultWriter.#of(this);
      if (writer.stream !== undefined) writerRelease(writer);
    }
    write(chunk = undefined) {
      return WritableStreamDefaultWriter.#call(this, (wr) => writerWrite(wr, chunk));
    }
  }
  S.enumerable(WritableStreamDefaultWriter, ['closed', 'ready', 'desiredSize', 'abort', 'close',
    'releaseLock', 'write']);
  lib.tagClass(WritableStreamDefaultWriter, 'WritableStreamDefaultWriter');

  // ---- controller -------------------------------------------------------------------------
  function newController() {
    return { stream: undefined, queue: undefined, queueTotalSize: 0, started: false,
      strategyHWM: 1, strategySizeAlgorithm: undefined, writeAlgorithm: undefined,
      closeAlgorithm: undefined, abortAlgorithm: undefined, pub: undefined };
  }

  function setUpController(w, c, start, write, close, abort, hwm, size) {
    c.stream = w;
    w.controller = c;
    S.resetQueue(c);
    c.strategySizeAlgorithm = size;
    c.strategyHWM = hwm;
    c.writeAlgorithm = write;
    c.closeAlgorithm = close;
    c.abortAlgorithm = abort;
    c.pub = new WritableStreamDefaultController(kConstruct, c);
    updateBackpressure(w, getBackpressure(c));
    const startResult = start(c.pub);
    S.react(Promise.resolve(startResult), () => {
      c.started = true;
      advanceQueueIfNeeded(c);
    }, (e) => {
      c.started = true;
      dealWithRejection(w, e);
    });
  }

  function clearAlgorithms(c) {
    c.writeAlgorithm = undefined;
    c.closeAlgorithm = undefined;
    c.abortAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }

  function getChunkSize(c, chunk) {
    if (c.strategySizeAlgorithm === undefined) return 1; // already erroring or closed
    try {
      return c.strategySizeAlgorithm(chunk);
    } catch (e) {
      errorIfNeeded(c, e);
      return 1;
    }
  }

  const getBackpressure = (c) => c.strategyHWM - c.queueTotalSize <= 0;
  S.writableDesiredSize = (c) => c.strategyHWM - c.queueTotalSize;

  function controllerWrite(c, chunk, size) {
    try {
      S.enqueueValueWithSize(c, chunk, size);
    } catch (e) {
      errorIfNeeded(c, e);
      return;
    }
    const w = c.stream;
    if (!closeQueuedOrInFlight(w) && w.state === 'writable') {
      updateBackpressure(w, getBackpressure(c));
    }
    advanceQueueIfNeeded(c);
  }

  function advanceQueueIfNeeded(c) {
    const w = c.stream;
    if (!c.started || w.inFlightWriteRequest !== undefined) return;
    if (w.state === 'erroring') { finishErroring(w); return; }
    if (c.queue.length === 0) return;
    const value = S.peekQueueValue(c);
    if (value === kCloseSentinel) processClose(c);
    else processWrite(c, value);
  }

  function errorIfNeeded(c, e) {
    if (c.stream.state === 'writable') controllerError(c, e);
  }
  S.writableErrorIfNeeded = errorIfNeeded;

  function controllerError(c, e) {
    clearAlgorithms(c);
    startErroring(c.stream, e);
  }

  function processClose(c) {
    const w = c.stream;
    w.inFlightCloseRequest = w.closeRequest;
    w.closeRequest = undefined;
    S.dequeueValue(c);
    const result = c.closeAlgorithm();
    clearAlgorithms(c);
    S.react(result, () => {
      w.inFlightCloseRequest.resolve(undefined);
      w.inFlightCloseRequest = undefined;
      if (w.state === 'erroring') {
        w.storedError = undefined;
        if (w.pendingAbortRequest !== undefined) {
          w.pendingAbortRequest.d.resolve(undefined);
          w.pendingAbortRequest = undefined;
        }
      }
      w.state = 'closed';
      if (w.writer !== undefined) w.writer.closed.resolve(undefined);
    }, (e) => {
      w.inFlightCloseRequest.reject(e);
      w.inFlightCloseRequest = undefined;
      if (w.pendingAbortRequest !== undefined) {
        w.pendingAbortRequest.d.reject(e);
        w.pendingAbortRequest = undefined;
      }
      dealWithRejection(w, e);
    });
  }

  function processWrite(c, chunk) {
    const w = c.stream;
    w.inFlightWriteRequest = w.writeRequests.shift();
    S.react(c.writeAlgorithm(chunk), () => {
      w.inFlightWriteRequest.resolve(undefined);
      w.inFlightWriteRequest = undefined;
      S.dequeueValue(c);
      if (!closeQueuedOrInFlight(w) && w.state === 'writable') {
        updateBackpressure(w, getBackpressure(c));
      }
      advanceQueueIfNeeded(c);
    }, (e) => {
      if (w.state === 'writable') clearAlgorithms(c);
      w.inFlightWriteRequest.reject(e);
      w.inFlightWriteRequest = undefined;
      dealWithRejection(w, e);
    });
  }

  class WritableStreamDefaultController {
    #c;
    constructor(token = undefined, record = undefined) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
      this.#c = record;
    }
    error(e = undefined) {
      if (!(#c in this)) throw new TypeError('Illegal invocation');
      const c = this.#c;
      if (c.stream.state === 'writable') controllerError(c, e);
    }
  }
  S.enumerable(WritableStreamDefaultController, ['error']);
  lib.tagClass(WritableStreamDefaultController, 'WritableStreamDefaultController');

  lib.defineGlobal('WritableStream', WritableStream);
  lib.defineGlobal('WritableStreamDefaultWriter', WritableStreamDefaultWriter);
  lib.defineGlobal('WritableStreamDefaultController', WritableStreamDefaultController);
})();
