// streams_bytes.js: readable byte streams (`type: 'bytes'`): ReadableByteStreamController,
// ReadableStreamBYOBReader (with the `min` read option) and ReadableStreamBYOBRequest,
// following the Streams Standard's abstract operations. Request/Response bodies are byte
// streams, as in workerd.
//
// Deviation: buffers are never detached (SpiderMonkey 102 has no ArrayBuffer transfer), so a
// BYOB read fills and returns a view on the caller's own buffer.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const S = lib.streams;
  const kConstruct = S.kConstruct;

  function newByteController() {
    return { kind: 'bytes', stream: undefined, byobRequest: null, pendingPullIntos: [],
      queue: undefined, queueTotalSize: 0, started: false, closeRequested: false,
      pullAgain: false, pulling: false, strategyHWM: 0, pullAlgorithm: undefined,
      cancelAlgorithm: undefined, autoAllocateChunkSize: undefined, pub: undefined,
      cancelSteps(reason) {
        clearPendingPullIntos(this);
        S.resetQueue(this);
        const result = this.cancelAlgorithm(reason);
        clearAlgorithms(this);
        return result;
      },
      pullSteps(request) { pullSteps(this, request); },
      releaseSteps() {
        if (this.pendingPullIntos.length > 0) {
          const first = this.pendingPullIntos[0];
          first.readerType = 'none';
          this.pendingPullIntos = [first];
        }
      },
    };
  }

  function pullSteps(c, request) {
    const r = c.stream;
    if (c.queueTotalSize > 0) {
      fillReadRequestFromQueue(c, request);
      return;
    }
    const size = c.autoAllocateChunkSize;
    if (size !== undefined) {
      let buffer;
      try { buffer = new ArrayBuffer(size); } catch (e) { request.errorSteps(e); return; }
      c.pendingPullIntos.push({ buffer, bufferByteLength: size, byteOffset: 0, byteLength: size,
        bytesFilled: 0, minimumFill: 1, elementSize: 1, viewConstructor: Uint8Array,
        readerType: 'default' });
    }
    r.reader.readRequests.push(request);
    callPullIfNeeded(c);
  }

  function fillReadRequestFromQueue(c, request) {
    const entry = c.queue.shift();
    c.queueTotalSize -= entry.byteLength;
    handleQueueDrain(c);
    request.chunkSteps(new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength));
  }

  function handleQueueDrain(c) {
    if (c.queueTotalSize === 0 && c.closeRequested) {
      clearAlgorithms(c);
      S.closeReadable(c.stream);
    } else {
      callPullIfNeeded(c);
    }
  }

  const hasBYOBReader = (r) => r.reader !== undefined && r.reader.kind === 'byob';

  function shouldCallPull(c) {
    const r = c.stream;
    if (r.state !== 'readable' || c.closeRequested || !c.started) return false;
    if (S.hasDefaultReader(r) && r.reader.readRequests.length > 0) return true;
    if (hasBYOBReader(r) && r.reader.readIntoRequests.length > 0) return true;
    return desiredSize(c) > 0;
  }

  function callPullIfNeeded(c) {
    if (!shouldCallPull(c)) return;
    if (c.pulling) { c.pullAgain = true; return; }
    c.pulling = true;
    S.react(c.pullAlgorithm(), () => {
      c.pulling = false;
      if (c.pullAgain) { c.pullAgain = false; callPullIfNeeded(c); }
    }, (e) => byteError(c, e));
  }

  function clearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
  }

  function invalidateBYOBRequest(c) {
    if (c.byobRequest === null) return;
    c.byobRequest.controller = undefined;
    c.byobRequest.view = null;
    c.byobRequest = null;
  }

  function clearPendingPullIntos(c) {
    invalidateBYOBRequest(c);
    c.pendingPullIntos = [];
  }

  function desiredSize(c) {
    const state = c.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return c.strategyHWM - c.queueTotalSize;
  }

  function byteClose(c) {
    const r = c.stream;
    if (c.closeRequested || r.state !== 'readable') return;
    if (c.queueTotalSize > 0) { c.closeRequested = true; return; }
    if (c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos[0];
      if (first.bytesFilled % first.elementSize !== 0) {
        const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
        byteError(c, e);
        throw e;
      }
    }
    clearAlgorithms(c);
    S.closeReadable(r);
  }

  function enqueueChunk(c, buffer, byteOffset, byteLength) {
    c.queue.push({ buffer, byteOffset, byteLength });
    c.queueTotalSize += byteLength;
  }

  function enqueueClonedChunk(c, buffer, byteOffset, byteLength) {
    enqueueChunk(c, buffer.slice(byteOffset, byteOffset + byteLength), 0, byteLength);
  }

  function enqueueDetachedPullInto(c, d) {
    if (d.bytesFilled > 0) enqueueClonedChunk(c, d.buffer, d.byteOffset, d.bytesFilled);
    c.pendingPullIntos.shift();
  }

  function byteEnqueue(c, chunk) {
    const r = c.stream;
    if (c.closeRequested || r.state !== 'readable') return;
    const { buffer, byteOffset, byteLength } = chunk;
    if (c.pendingPullIntos.length > 0) {
      invalidateBYOBRequest(c);
      const first = c.pendingPullIntos[0];
      if (first.readerType === 'none') enqueueDetachedPullInto(c, first);
    }
    if (S.hasDefaultReader(r)) {
      processReadRequestsUsingQueue(c);
      if (r.reader.readRequests.length === 0) {
        enqueueChunk(c, buffer, byteOffset, byteLength);
      } else {
        if (c.pendingPullIntos.length > 0) c.pendingPullIntos.shift();
        S.fulfillReadRequest(r, new Uint8Array(buffer, byteOffset, byteLength), false);
      }
    } else if (hasBYOBReader(r)) {
      enqueueChunk(c, buffer, byteOffset, byteLength);
      for (const d of processPullIntosUsingQueue(c)) commitPullInto(r, d);
    } else {
      enqueueChunk(c, buffer, byteOffset, byteLength);
    }
    callPullIfNeeded(c);
  }

  function processReadRequestsUsingQueue(c) {
    const reader = c.stream.reader;
    while (reader.readRequests.length > 0) {
      if (c.queueTotalSize === 0) return;
      fillReadRequestFromQueue(c, reader.readRequests.shift());
    }
  }

  function processPullIntosUsingQueue(c) {
    const filled = [];
    while (c.pendingPullIntos.length > 0 && c.queueTotalSize > 0) {
      const d = c.pendingPullIntos[0];
      if (!fillPullIntoFromQueue(c, d)) break;
      c.pendingPullIntos.shift();
      filled.push(d);
    }
    return filled;
  }

  function fillPullIntoFromQueue(c, d) {
    const maxBytesToCopy = Math.min(c.queueTotalSize, d.byteLength - d.bytesFilled);
    const maxBytesFilled = d.bytesFilled + maxBytesToCopy;
    let remaining = maxBytesToCopy;
    let ready = false;
    const maxAlignedBytes = maxBytesFilled - (maxBytesFilled % d.elementSize);
    if (maxAlignedBytes >= d.minimumFill) {
      remaining = maxAlignedBytes - d.bytesFilled;
      ready = true;
    }
    while (remaining > 0) {
      const head = c.queue.peek();
      const n = Math.min(remaining, head.byteLength);
      new Uint8Array(d.buffer, d.byteOffset + d.bytesFilled, n)
        .set(new Uint8Array(head.buffer, head.byteOffset, n));
      if (head.byteLength === n) {
        c.queue.shift();
      } else {
        head.byteOffset += n;
        head.byteLength -= n;
      }
      c.queueTotalSize -= n;
      d.bytesFilled += n;
      remaining -= n;
    }
    return ready;
  }

  function convertPullInto(d) {
    return new d.viewConstructor(d.buffer, d.byteOffset, d.bytesFilled / d.elementSize);
  }

  function commitPullInto(r, d) {
    const done = r.state === 'closed';
    const view = convertPullInto(d);
    if (d.readerType === 'default') {
      S.fulfillReadRequest(r, view, done);
    } else {
      const request = r.reader.readIntoRequests.shift();
      if (done) request.closeSteps(view);
      else request.chunkSteps(view);
    }
  }

  function pullInto(c, view, min, request) {
    const r = c.stream;
    const isDataView = view instanceof DataView;
    const elementSize = isDataView ? 1 : view.BYTES_PER_ELEMENT;
    const d = { buffer: view.buffer, bufferByteLength: view.buffer.byteLength,
      byteOffset: view.byteOffset, byteLength: view.byteLength, bytesFilled: 0,
      minimumFill: min * elementSize, elementSize,
      viewConstructor: isDataView ? DataView : view.constructor, readerType: 'byob' };
    if (c.pendingPullIntos.length > 0) {
      c.pendingPullIntos.push(d);
      r.reader.readIntoRequests.push(request);
      return;
    }
    if (r.state === 'closed') {
      request.closeSteps(new d.viewConstructor(d.buffer, d.byteOffset, 0));
      return;
    }
    if (c.queueTotalSize > 0) {
      if (fillPullIntoFromQueue(c, d)) {
        const filled = convertPullInto(d);
        handleQueueDrain(c);
        request.chunkSteps(filled);
        return;
      }
      if (c.closeRequested) {
        const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
        byteError(c, e);
        request.errorSteps(e);
        return;
      }
    }
    c.pendingPullIntos.push(d);
    r.reader.readIntoRequests.push(request);
    callPullIfNeeded(c);
  }

  function respond(c, bytesWritten) {
    const first = c.pendingPullIntos[0];
    if (c.stream.state === 'closed') {
      if (bytesWritten !== 0) {
        throw new TypeError('bytesWritten must be 0 when calling respond() on a closed stream');
      }
    } else {
      if (bytesWritten === 0) {
        throw new TypeError('bytesWritten must be greater than 0 when calling respond() on a ' +
          'readable stream');
      }
      if (first.bytesFilled + bytesWritten > first.byteLength) {
        throw new RangeError('bytesWritten out of range');
      }
    }
    respondInternal(c, bytesWritten);
  }

  function respondInternal(c, bytesWritten) {
    const first = c.pendingPullIntos[0];
    invalidateBYOBRequest(c);
    if (c.stream.state === 'closed') respondInClosedState(c, first);
    else respondInReadableState(c, bytesWritten, first);
    callPullIfNeeded(c);
  }

  function respondInClosedState(c, first) {
    if (first.readerType === 'none') c.pendingPullIntos.shift();
    const r = c.stream;
    if (hasBYOBReader(r)) {
      while (r.reader.readIntoRequests.length > 0) {
        commitPullInto(r, c.pendingPullIntos.shift());
      }
    }
  }

  function respondInReadableState(c, bytesWritten, d) {
    const r = c.stream;
    d.bytesFilled += bytesWritten;
    if (d.readerType === 'none') {
      enqueueDetachedPullInto(c, d);
      for (const f of processPullIntosUsingQueue(c)) commitPullInto(r, f);
      return;
    }
    if (d.bytesFilled < d.minimumFill) return;
    c.pendingPullIntos.shift();
    const remainder = d.bytesFilled % d.elementSize;
    if (remainder > 0) {
      const end = d.byteOffset + d.bytesFilled;
      enqueueClonedChunk(c, d.buffer, end - remainder, remainder);
    }
    d.bytesFilled -= remainder;
    const filled = processPullIntosUsingQueue(c);
    commitPullInto(r, d);
    for (const f of filled) commitPullInto(r, f);
  }

  function respondWithNewView(c, view) {
    const first = c.pendingPullIntos[0];
    if (c.stream.state === 'closed') {
      if (view.byteLength !== 0) {
        throw new TypeError('The view\'s length must be 0 when calling respondWithNewView() ' +
          'on a closed stream');
      }
    } else if (view.byteLength === 0) {
      throw new TypeError('The view\'s length must be greater than 0 when calling ' +
        'respondWithNewView() on a readable stream');
    }
    if (first.byteOffset + first.bytesFilled !== view.byteOffset) {
      throw new RangeError('The region specified by view does not match byobRequest');
    }
    if (first.bufferByteLength !== view.buffer.byteLength ||
        first.bytesFilled + view.byteLength > first.byteLength) {
      throw new RangeError('The buffer of view has different capacity than byobRequest');
    }
    first.buffer = view.buffer;
    respondInternal(c, view.byteLength);
  }

  function byteError(c, e) {
    const r = c.stream;
    if (r.state !== 'readable') return;
    clearPendingPullIntos(c);
    S.resetQueue(c);
    clearAlgorithms(c);
    S.errorReadable(r, e);
  }

  function setUpByteController(r, start, pull, cancel, hwm, autoAllocateChunkSize) {
    const c = newByteController();
    c.stream = r;
    S.resetQueue(c);
    c.strategyHWM = hwm;
    c.pullAlgorithm = pull;
    c.cancelAlgorithm = cancel;
    c.autoAllocateChunkSize = autoAllocateChunkSize;
    c.pub = new ReadableByteStreamController(kConstruct, c);
    r.controller = c;
    const startResult = start(c.pub);
    S.react(Promise.resolve(startResult), () => {
      c.started = true;
      callPullIfNeeded(c);
    }, (e) => byteError(c, e));
    return c;
  }

  function setUpByteControllerFromSource(r, source, hwm) {
    const start = S.getMethod(source, 'start', 'ReadableStream');
    const pull = S.getMethod(source, 'pull', 'ReadableStream');
    const cancel = S.getMethod(source, 'cancel', 'ReadableStream');
    let autoAllocate = source.autoAllocateChunkSize;
    if (autoAllocate !== undefined) {
      autoAllocate = Math.trunc(Number(autoAllocate));
      if (!(autoAllocate > 0) || !Number.isFinite(autoAllocate)) {
        throw new TypeError('autoAllocateChunkSize must be a positive integer.');
      }
    }
    let c;
    c = setUpByteController(r,
      start ? (pub) => Reflect.apply(start, source, [pub]) : () => undefined,
      pull ? () => S.promiseCall(pull, source, [c.pub]) : () => S.resolved(undefined),
      cancel ? (reason) => S.promiseCall(cancel, source, [reason]) : () => S.resolved(undefined),
      hwm, autoAllocate);
  }

  function checkChunk(chunk, what) {
    if (!ArrayBuffer.isView(chunk)) {
      throw new TypeError(`Failed to execute '${what}': parameter 1 is not an ArrayBufferView.`);
    }
    if (chunk.byteLength === 0 || chunk.buffer.byteLength === 0) {
      throw new TypeError(`Failed to execute '${what}': the view must not be empty.`);
    }
  }

  class ReadableByteStreamController {
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
    get byobRequest() {
      const c = ReadableByteStreamController.#of(this);
      if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos[0];
        const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled,
          first.byteLength - first.bytesFilled);
        const request = { controller: c, view, pub: undefined };
        request.pub = new ReadableStreamBYOBRequest(kConstruct, request);
        c.byobRequest = request;
      }
      return c.byobRequest === null ? null : c.byobRequest.pub;
    }
    get desiredSize() { return desiredSize(ReadableByteStreamController.#of(this)); }
    close() {
      const c = ReadableByteStreamController.#of(this);
      if (c.closeRequested || c.stream.state !== 'readable') {
        throw new TypeError('This ReadableStream is closed.');
      }
      byteClose(c);
    }
    enqueue(chunk) {
      const c = ReadableByteStreamController.#of(this);
      checkChunk(chunk, 'enqueue');
      if (c.closeRequested || c.stream.state !== 'readable') {
        throw new TypeError('Unable to enqueue');
      }
      byteEnqueue(c, chunk);
    }
    error(e = undefined) { byteError(ReadableByteStreamController.#of(this), e); }
  }
  S.enumerable(ReadableByteStreamController, ['byobRequest', 'desiredSize', 'close', 'enqueue',
    'error']);
  lib.tagClass(ReadableByteStreamController, 'ReadableByteStreamController');

  class ReadableStreamBYOBRequest {
    #q;
    constructor(token = undefined, record = undefined) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
      this.#q = record;
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#q in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#q;
    }
    get view() { return ReadableStreamBYOBRequest.#of(this).view; }
    respond(bytesWritten) {
      const q = ReadableStreamBYOBRequest.#of(this);
      if (q.controller === undefined) throw new TypeError('This BYOB request is no longer valid.');
      const n = Number(bytesWritten);
      if (!Number.isFinite(n) || n < 0) throw new TypeError('bytesWritten must be a number.');
      respond(q.controller, Math.trunc(n));
    }
    respondWithNewView(view) {
      const q = ReadableStreamBYOBRequest.#of(this);
      if (!ArrayBuffer.isView(view)) throw new TypeError('view must be an ArrayBufferView.');
      if (q.controller === undefined) throw new TypeError('This BYOB request is no longer valid.');
      respondWithNewView(q.controller, view);
    }
  }
  S.enumerable(ReadableStreamBYOBRequest, ['view', 'respond', 'respondWithNewView']);
  lib.tagClass(ReadableStreamBYOBRequest, 'ReadableStreamBYOBRequest');

  // ---- BYOB reader ------------------------------------------------------------------------
  function acquireBYOBReader(r) {
    if (r.controller.kind !== 'bytes') {
      throw new TypeError('This ReadableStream does not support BYOB reads.');
    }
    if (S.isReadableLocked(r)) throw new TypeError(S.kLocked);
    const reader = { kind: 'byob', stream: undefined, closed: undefined, readIntoRequests: [],
      pub: undefined };
    S.readerInitialize(reader, r);
    reader.pub = new ReadableStreamBYOBReader(kConstruct, reader);
    return reader;
  }

  function errorReadIntoRequests(reader, e) {
    const requests = reader.readIntoRequests;
    reader.readIntoRequests = [];
    for (const request of requests) request.errorSteps(e);
  }

  class ReadableStreamBYOBReader {
    #reader;
    constructor(stream, record = undefined) {
      if (stream === kConstruct) { this.#reader = record; return; }
      const r = S.readableOf(stream);
      if (r === undefined) {
        throw new TypeError('Failed to construct \'ReadableStreamBYOBReader\': parameter 1 is ' +
          'not a ReadableStream.');
      }
      const reader = acquireBYOBReader(r);
      reader.pub = this;
      this.#reader = reader;
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#reader in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#reader;
    }
    get closed() {
      try { return ReadableStreamBYOBReader.#of(this).closed.promise; } catch (e) {
        return S.rejected(e);
      }
    }
    cancel(reason = undefined) {
      let reader;
      try { reader = ReadableStreamBYOBReader.#of(this); } catch (e) { return S.rejected(e); }
      if (reader.stream === undefined) return S.rejected(new TypeError(S.kReleased));
      return S.cancelReadable(reader.stream, reason);
    }
    read(view, options = undefined) {
      let reader;
      try {
        reader = ReadableStreamBYOBReader.#of(this);
        checkChunk(view, 'read');
      } catch (e) {
        return S.rejected(e);
      }
      let min = 1;
      if (options !== undefined && options !== null && options.min !== undefined) {
        min = Math.trunc(Number(options.min));
        const length = view instanceof DataView ? view.byteLength : view.length;
        if (!(min > 0)) return S.rejected(new TypeError('options.min must be greater than 0'));
        if (min > length) return S.rejected(new RangeError('options.min must be <= view length'));
      }
      if (reader.stream === undefined) return S.rejected(new TypeError(S.kReleased));
      const d = S.deferred();
      const r = reader.stream;
      r.disturbed = true;
      const request = {
        chunkSteps: (chunk) => d.resolve({ value: chunk, done: false }),
        closeSteps: (chunk) => d.resolve({ value: chunk, done: true }),
        errorSteps: (e) => d.reject(e),
      };
      if (r.state === 'errored') request.errorSteps(r.storedError);
      else pullInto(r.controller, view, min, request);
      return d.promise;
    }
    releaseLock() {
      const reader = ReadableStreamBYOBReader.#of(this);
      if (reader.stream === undefined) return;
      S.readerRelease(reader);
      errorReadIntoRequests(reader, new TypeError(S.kReleased));
    }
  }
  S.enumerable(ReadableStreamBYOBReader, ['closed', 'cancel', 'read', 'releaseLock']);
  lib.tagClass(ReadableStreamBYOBReader, 'ReadableStreamBYOBReader');

  Object.assign(S, {
    setUpByteController, setUpByteControllerFromSource, acquireBYOBReader,
    errorReadIntoRequests, byteEnqueue, byteClose, byteError,
    byteRespondToPendingAfterClose(c) {
      if (c.pendingPullIntos.length > 0) respondInternal(c, 0);
    },
  });
  lib.defineGlobal('ReadableByteStreamController', ReadableByteStreamController);
  lib.defineGlobal('ReadableStreamBYOBReader', ReadableStreamBYOBReader);
  lib.defineGlobal('ReadableStreamBYOBRequest', ReadableStreamBYOBRequest);
})();
