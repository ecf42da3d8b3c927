// streams_readable.js: ReadableStream, ReadableStreamDefaultController,
// ReadableStreamDefaultReader, tee() and async iteration, following the WHATWG Streams
// Standard's abstract operations.
//
// Every public object wraps an internal record (stream `R`, reader, controller) that the
// algorithms operate on; public objects are reached only to hand them to user code. Byte
// controllers and BYOB readers live in streams_bytes.js, pipeTo in streams_pipe.js; they are
// found through lib.streams at call time.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const S = lib.streams;
  const kConstruct = Symbol('construct');
  const kLocked = 'This ReadableStream is currently locked to a reader.';
  const kReleased = 'This ReadableStream reader has been released.';

  // ---- ReadableStream ---------------------------------------------------------------------
  function newStreamRecord() {
    return { state: 'readable', reader: undefined, storedError: undefined, disturbed: false,
      controller: undefined, pub: undefined };
  }

  class ReadableStream {
    #r;
    constructor(underlyingSource = undefined, strategy = undefined) {
      if (underlyingSource === kConstruct) { this.#r = strategy; strategy.pub = this; return; }
      const source = S.toDict(underlyingSource, 'ReadableStream');
      const strat = S.toDict(strategy, 'ReadableStream');
      const r = newStreamRecord();
      r.pub = this;
      this.#r = r;
      const type = source.type;
      if (type !== undefined && String(type) === 'bytes') {
        if (strat.size !== undefined) {
          throw new RangeError('The strategy for a byte stream cannot have a size function.');
        }
        const hwm = S.extractHighWaterMark(strat, 0);
        S.setUpByteControllerFromSource(r, source, hwm);
      } else if (type !== undefined) {
        throw new TypeError(`Failed to construct 'ReadableStream': invalid type '${type}'.`);
      } else {
        const size = S.extractSizeAlgorithm(strat);
        const hwm = S.extractHighWaterMark(strat, 1);
        setUpDefaultControllerFromSource(r, source, hwm, size);
      }
    }

    static {
      S.readableOf = (s) => {
        if (s === null || typeof s !== 'object' || !(#r in s)) return undefined;
        return s.#r;
      };
    }

    get locked() { return isLocked(brand(this)); }

    cancel(reason = undefined) {
      const r = S.readableOf(this);
      if (r === undefined) return S.rejected(new TypeError('Illegal invocation'));
      if (isLocked(r)) return S.rejected(new TypeError(kLocked));
      return cancelStream(r, reason);
    }

    getReader(options = undefined) {
      const r = brand(this);
      const mode = options === undefined || options === null ? undefined : options.mode;
      if (mode === undefined) return acquireDefaultReader(r).pub;
      if (String(mode) !== 'byob') {
        throw new TypeError(`Failed to execute 'getReader': invalid mode '${mode}'.`);
      }
      return S.acquireBYOBReader(r).pub;
    }

    pipeThrough(transform, options = undefined) {
      const r = brand(this);
      if (transform === null || typeof transform !== 'object') {
        throw new TypeError('Failed to execute \'pipeThrough\': parameter 1 is not an object.');
      }
      const writable = S.writableOf(transform.writable);
      const readable = transform.readable;
      if (writable === undefined || S.readableOf(readable) === undefined) {
        throw new TypeError('Failed to execute \'pipeThrough\': the transform must have a ' +
          'readable and a writable stream.');
      }
      if (isLocked(r)) throw new TypeError(kLocked);
      if (S.isWritableLocked(writable)) {
        throw new TypeError('This WritableStream is currently locked to a writer.');
      }
      const opts = S.pipeOptions(options);
      const promise = S.pipeTo(r, writable, opts);
      S.markHandled(promise);
      return readable;
    }

    pipeTo(destination, options = undefined) {
      const r = S.readableOf(this);
      if (r === undefined) return S.rejected(new TypeError('Illegal invocation'));
      const dest = S.writableOf(destination);
      if (dest === undefined) {
        return S.rejected(new TypeError('Failed to execute \'pipeTo\': parameter 1 is not a ' +
          'WritableStream.'));
      }
      let opts;
      try { opts = S.pipeOptions(options); } catch (e) { return S.rejected(e); }
      if (isLocked(r)) return S.rejected(new TypeError(kLocked));
      if (S.isWritableLocked(dest)) {
        return S.rejected(new TypeError('This WritableStream is currently locked to a writer.'));
      }
      return S.pipeTo(r, dest, opts);
    }

    tee() {
      const r = brand(this);
      return tee(r).map((branch) => branch.pub);
    }

    values(options = undefined) {
      const r = brand(this);
      const preventCancel = Boolean(options !== undefined && options !== null &&
        options.preventCancel);
      return newAsyncIterator(acquireDefaultReader(r), preventCancel);
    }
  }
  Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, {
    value: ReadableStream.prototype.values, writable: true, configurable: true,
  });
  S.enumerable(ReadableStream, ['locked', 'cancel', 'getReader', 'pipeThrough', 'pipeTo',
    'tee', 'values']);
  lib.tagClass(ReadableStream, 'ReadableStream');

  function brand(s) {
    const r = S.readableOf(s);
    if (r === undefined) throw new TypeError('Illegal invocation');
    return r;
  }

  // CreateReadableStream / CreateReadableByteStream, for the other stream files and bodies.
  S.createReadable = function createReadable(start, pull, cancel, hwm = 1, size = () => 1) {
    const r = newStreamRecord();
    new ReadableStream(kConstruct, r); // eslint-disable-line no-new
    setUpDefaultController(r, newDefaultController(), start, pull, cancel, hwm, size);
    return r;
  };
  S.createByteReadable = function createByteReadable(start, pull, cancel, hwm = 0) {
    const r = newStreamRecord();
    new ReadableStream(kConstruct, r); // eslint-disable-line no-new
    S.setUpByteController(r, start, pull, cancel, hwm, undefined);
    return r;
  };

  function isLocked(r) { return r.reader !== undefined; }
  S.isReadableLocked = isLocked;

  function cancelStream(r, reason) {
    r.disturbed = true;
    if (r.state === 'closed') return S.resolved(undefined);
    if (r.state === 'errored') return S.rejected(r.storedError);
    closeStream(r);
    const reader = r.reader;
    if (reader !== undefined && reader.kind === 'byob') {
      const requests = reader.readIntoRequests;
      reader.readIntoRequests = [];
      for (const request of requests) request.closeSteps(undefined);
    }
    return r.controller.cancelSteps(reason).then(() => undefined);
  }
  S.cancelReadable = cancelStream;

  function closeStream(r) {
    r.state = 'closed';
    const reader = r.reader;
    if (reader === undefined) return;
    reader.closed.resolve(undefined);
    if (reader.kind === 'default') {
      const requests = reader.readRequests;
      reader.readRequests = [];
      for (const request of requests) request.closeSteps();
    }
  }
  S.closeReadable = closeStream;

  function errorStream(r, e) {
    r.state = 'errored';
    r.storedError = e;
    const reader = r.reader;
    if (reader === undefined) return;
    reader.closed.reject(e);
    S.markHandled(reader.closed.promise);
    if (reader.kind === 'default') errorReadRequests(reader, e);
    else S.errorReadIntoRequests(reader, e);
  }
  S.errorReadable = errorStream;

  S.fulfillReadRequest = function fulfillReadRequest(r, chunk, done) {
    const request = r.reader.readRequests.shift();
    if (done) request.closeSteps();
    else request.chunkSteps(chunk);
  };
  S.numReadRequests = (r) => r.reader.readRequests.length;
  S.hasDefaultReader = (r) => r.reader !== undefined && r.reader.kind === 'default';

  // ---- readers (generic part shared with BYOB readers) ------------------------------------
  S.readerInitialize = function readerInitialize(reader, r) {
    reader.stream = r;
    r.reader = reader;
    if (r.state === 'readable') reader.closed = S.deferred();
    else if (r.state === 'closed') reader.closed = S.resolvedDeferred(undefined);
    else reader.closed = S.rejectedDeferred(r.storedError);
  };

  S.readerRelease = function readerRelease(reader) {
    const r = reader.stream;
    const error = new TypeError(kReleased);
    if (r.state === 'readable') reader.closed.reject(error);
    else reader.closed = S.rejectedDeferred(error);
    S.markHandled(reader.closed.promise);
    r.controller.releaseSteps();
    r.reader = undefined;
    reader.stream = undefined;
  };

  function errorReadRequests(reader, e) {
    const requests = reader.readRequests;
    reader.readRequests = [];
    for (const request of requests) request.errorSteps(e);
  }

  function defaultReaderRelease(reader) {
    S.readerRelease(reader);
    errorReadRequests(reader, new TypeError(kReleased));
  }
  S.defaultReaderRelease = defaultReaderRelease;

  function acquireDefaultReader(r) {
    if (isLocked(r)) throw new TypeError(kLocked);
    const reader = { kind: 'default', stream: undefined, closed: undefined, readRequests: [],
      pub: undefined };
    S.readerInitialize(reader, r);
    reader.pub = new ReadableStreamDefaultReader(kConstruct, reader);
    return reader;
  }
  S.acquireDefaultReader = acquireDefaultReader;

  function defaultReaderRead(reader, request) {
    const r = reader.stream;
    r.disturbed = true;
    if (r.state === 'closed') request.closeSteps();
    else if (r.state === 'errored') request.errorSteps(r.storedError);
    else r.controller.pullSteps(request);
  }
  S.defaultReaderRead = defaultReaderRead;

  // Read request returning a promise of {value, done}.
  function readIntoPromise(reader) {
    const d = S.deferred();
    defaultReaderRead(reader, {
      chunkSteps: (chunk) => d.resolve({ value: chunk, done: false }),
      closeSteps: () => d.resolve({ value: undefined, done: true }),
      errorSteps: (e) => d.reject(e),
    });
    return d.promise;
  }
  S.readPromise = readIntoPromise;

  class ReadableStreamDefaultReader {
    #reader;
    constructor(stream, record = undefined) {
      if (stream === kConstruct) { this.#reader = record; return; }
      const r = S.readableOf(stream);
      if (r === undefined) {
        throw new TypeError('Failed to construct \'ReadableStreamDefaultReader\': parameter 1 ' +
          'is not a ReadableStream.');
      }
      const reader = acquireDefaultReader(r);
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
      try { return ReadableStreamDefaultReader.#of(this).closed.promise; } catch (e) {
        return S.rejected(e);
      }
    }
    cancel(reason = undefined) {
      let reader;
      try { reader = ReadableStreamDefaultReader.#of(this); } catch (e) { return S.rejected(e); }
      if (reader.stream === undefined) return S.rejected(new TypeError(kReleased));
      return cancelStream(reader.stream, reason);
    }
    read() {
      let reader;
      try { reader = ReadableStreamDefaultReader.#of(this); } catch (e) { return S.rejected(e); }
      if (reader.stream === undefined) return S.rejected(new TypeError(kReleased));
      return readIntoPromise(reader);
    }
    releaseLock() {
      const reader = ReadableStreamDefaultReader.#of(this);
      if (reader.stream !== undefined) defaultReaderRelease(reader);
    }
  }
  S.enumerable(ReadableStreamDefaultReader, ['closed', 'cancel', 'read', 'releaseLock']);
  lib.tagClass(ReadableStreamDefaultReader, 'ReadableStreamDefaultReader');

  // ---- ReadableStreamDefaultController ----------------------------------------------------
  function newDefaultController() {
    return { kind: 'default', stream: undefined, queue: undefined, queueTotalSize: 0,
      started: false, closeRequested: false, pullAgain: false, pulling: false,
      strategySizeAlgorithm: undefined, strategyHWM: 0, pullAlgorithm: undefined,
      cancelAlgorithm: undefined, pub: undefined,
      cancelSteps(reason) {
        S.resetQueue(this);
        const result = this.cancelAlgorithm(reason);
        clearAlgorithms(this);
        return result;
      },
      pullSteps(request) {
        const r = this.stream;
        if (this.queue.length > 0) {
          const chunk = S.dequeueValue(this);
          if (this.closeRequested && this.queue.length === 0) {
            clearAlgorithms(this);
            closeStream(r);
          } else {
            callPullIfNeeded(this);
          }
          request.chunkSteps(chunk);
        } else {
          r.reader.readRequests.push(request);
          callPullIfNeeded(this);
        }
      },
      releaseSteps() {},
    };
  }

  function canCloseOrEnqueue(c) {
    return !c.closeRequested && c.stream.state === 'readable';
  }
  S.defaultCanCloseOrEnqueue = canCloseOrEnqueue;

  function shouldCallPull(c) {
    const r = c.stream;
    if (!canCloseOrEnqueue(c) || !c.started) return false;
    if (isLocked(r) && S.numReadRequests(r) > 0) return true;
    return desiredSize(c) > 0;
  }
  S.defaultHasBackpressure = (c) => !shouldCallPull(c);

  function callPullIfNeeded(c) {
    if (!shouldCallPull(c)) return;
    if (c.pulling) { c.pullAgain = true; return; }
    c.pulling = true;
    S.react(c.pullAlgorithm(), () => {
      c.pulling = false;
      if (c.pullAgain) { c.pullAgain = false; callPullIfNeeded(c); }
    }, (e) => defaultError(c, e));
  }

  function clearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }

  function defaultClose(c) {
    if (!canCloseOrEnqueue(c)) return;
    c.closeRequested = true;
    if (c.queue.length === 0) {
      clearAlgorithms(c);
      closeStream(c.stream);
    }
  }
  S.defaultClose = defaultClose;

  function defaultEnqueue(c, chunk) {
    if (!canCloseOrEnqueue(c)) return;
    const r = c.stream;
    if (isLocked(r) && S.numReadRequests(r) > 0) {
      S.fulfillReadRequest(r, chunk, false);
    } else {
      let size;
      try {
        size = c.strategySizeAlgorithm(chunk);
        S.enqueueValueWithSize(c, chunk, size);
      } catch (e) {
        defaultError(c, e);
        throw e;
      }
    }
    callPullIfNeeded(c);
  }
  S.defaultEnqueue = defaultEnqueue;

  function defaultError(c, e) {
    if (c.stream.state !== 'readable') return;
    S.resetQueue(c);
    clearAlgorithms(c);
    errorStream(c.stream, e);
  }
  S.defaultError = defaultError;

  function desiredSize(c) {
    const state = c.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return c.strategyHWM - c.queueTotalSize;
  }
  S.defaultDesiredSize = desiredSize;

  function setUpDefaultController(r, c, start, pull, cancel, hwm, size) {
    c.stream = r;
    S.resetQueue(c);
    c.strategySizeAlgorithm = size;
    c.strategyHWM = hwm;
    c.pullAlgorithm = pull;
    c.cancelAlgorithm = cancel;
    c.pub = new ReadableStreamDefaultController(kConstruct, c);
    r.controller = c;
    let startResult;
    startResult = start(c.pub);
    S.react(Promise.resolve(startResult), () => {
      c.started = true;
      callPullIfNeeded(c);
    }, (e) => defaultError(c, e));
  }

  function setUpDefaultControllerFromSource(r, source, hwm, size) {
    const c = newDefaultController();
    const start = S.getMethod(source, 'start', 'ReadableStream');
    const pull = S.getMethod(source, 'pull', 'ReadableStream');
    const cancel = S.getMethod(source, 'cancel', 'ReadableStream');
    setUpDefaultController(r, c,
      start ? (pub) => Reflect.apply(start, source, [pub]) : () => undefined,
      pull ? () => S.promiseCall(pull, source, [c.pub]) : () => S.resolved(undefined),
      cancel ? (reason) => S.promiseCall(cancel, source, [reason]) : () => S.resolved(undefined),
      hwm, size);
  }

  class ReadableStreamDefaultController {
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
    get desiredSize() { return desiredSize(ReadableStreamDefaultController.#of(this)); }
    close() {
      const c = ReadableStreamDefaultController.#of(this);
      if (!canCloseOrEnqueue(c)) throw new TypeError('This ReadableStream is closed.');
      defaultClose(c);
    }
    enqueue(chunk = undefined) {
      const c = ReadableStreamDefaultController.#of(this);
      if (!canCloseOrEnqueue(c)) throw new TypeError('Unable to enqueue');
      defaultEnqueue(c, chunk);
    }
    error(e = undefined) { defaultError(ReadableStreamDefaultController.#of(this), e); }
  }
  S.enumerable(ReadableStreamDefaultController, ['desiredSize', 'close', 'enqueue', 'error']);
  lib.tagClass(ReadableStreamDefaultController, 'ReadableStreamDefaultController');

  // ---- tee --------------------------------------------------------------------------------
  // ReadableStreamDefaultTee. Byte streams get byte-stream branches fed the same way, each
  // with its own copy of every chunk (the spec's BYOB-aware ReadableByteStreamTee is not
  // implemented; the observable results for default readers are the same).
  function tee(r) {
    const isBytes = r.controller.kind === 'bytes';
    const reader = acquireDefaultReader(r);
    let reading = false, readAgain = false, canceled1 = false, canceled2 = false;
    let reason1, reason2, branch1, branch2;
    const cancelDone = S.deferred();
    const enqueue = (branch, chunk) => {
      if (isBytes) S.byteEnqueue(branch.controller, chunk);
      else defaultEnqueue(branch.controller, chunk);
    };
    const close = (branch) => {
      if (isBytes) {
        S.byteClose(branch.controller);
        S.byteRespondToPendingAfterClose(branch.controller);
      } else {
        defaultClose(branch.controller);
      }
    };
    const error = (branch, e) => {
      if (isBytes) S.byteError(branch.controller, e);
      else defaultError(branch.controller, e);
    };
    function pull() {
      if (reading) { readAgain = true; return S.resolved(undefined); }
      reading = true;
      defaultReaderRead(reader, {
        chunkSteps(chunk) {
          queueMicrotask(() => {
            readAgain = false;
            const chunk2 = isBytes && !canceled1 && !canceled2 ? lib.copyBytes(chunk) : chunk;
            if (!canceled1) enqueue(branch1, chunk);
            if (!canceled2) enqueue(branch2, chunk2);
            reading = false;
            if (readAgain) pull();
          });
        },
        closeSteps() {
          reading = false;
          if (!canceled1) close(branch1);
          if (!canceled2) close(branch2);
          if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
        },
        errorSteps() { reading = false; },
      });
      return S.resolved(undefined);
    }
    function cancelBranch(which, reason) {
      if (which === 1) { canceled1 = true; reason1 = reason; }
      else { canceled2 = true; reason2 = reason; }
      if (canceled1 && canceled2) {
        const result = cancelStream(r, [reason1, reason2]);
        result.then(cancelDone.resolve, cancelDone.reject);
      }
      return cancelDone.promise;
    }
    const make = isBytes ? S.createByteReadable : S.createReadable;
    branch1 = make(() => undefined, pull, (reason) => cancelBranch(1, reason));
    branch2 = make(() => undefined, pull, (reason) => cancelBranch(2, reason));
    S.react(reader.closed.promise, undefined, (e) => {
      error(branch1, e);
      error(branch2, e);
      if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
    });
    return [branch1, branch2];
  }
  S.tee = tee;

  // ---- async iteration --------------------------------------------------------------------
  const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(
    async function* () {}).prototype);
  const kIterEnd = (value) => ({ value, done: true });

  const ReadableStreamAsyncIteratorPrototype = Object.create(AsyncIteratorPrototype);
  const iterators = new WeakMap();

  function newAsyncIterator(reader, preventCancel) {
    const it = Object.create(ReadableStreamAsyncIteratorPrototype);
    iterators.set(it, { reader, preventCancel, ongoing: undefined, finished: false });
    return it;
  }
  function iteratorState(it) {
    const st = iterators.get(it);
    if (st === undefined) throw new TypeError('Illegal invocation');
    return st;
  }
  function iterNext(st) {
    if (st.finished) return S.resolved(kIterEnd(undefined));
    const reader = st.reader;
    if (reader.stream === undefined) return S.rejected(new TypeError(kReleased));
    const d = S.deferred();
    defaultReaderRead(reader, {
      chunkSteps: (chunk) => d.resolve({ value: chunk, done: false }),
      closeSteps: () => {
        defaultReaderRelease(reader);
        st.finished = true;
        d.resolve(kIterEnd(undefined));
      },
      errorSteps: (e) => {
        defaultReaderRelease(reader);
        st.finished = true;
        d.reject(e);
      },
    });
    return d.promise;
  }
  function iterReturn(st, value) {
    if (st.finished) return S.resolved(kIterEnd(value));
    st.finished = true;
    const reader = st.reader;
    if (reader.stream === undefined) return S.resolved(kIterEnd(value));
    if (!st.preventCancel) {
      const result = cancelStream(reader.stream, value);
      defaultReaderRelease(reader);
      return result.then(() => kIterEnd(value));
    }
    defaultReaderRelease(reader);
    return S.resolved(kIterEnd(value));
  }
  Object.defineProperties(ReadableStreamAsyncIteratorPrototype, {
    next: { writable: true, configurable: true, enumerable: true, value: function next() {
      let st;
      try { st = iteratorState(this); } catch (e) { return S.rejected(e); }
      const step = () => iterNext(st);
      st.ongoing = st.ongoing ? st.ongoing.then(step, step) : step();
      return st.ongoing;
    } },
    return: { writable: true, configurable: true, enumerable: true,
      value: { return(value = undefined) {
        let st;
        try { st = iteratorState(this); } catch (e) { return S.rejected(e); }
        const step = () => iterReturn(st, value);
        st.ongoing = st.ongoing ? st.ongoing.then(step, step) : step();
        return st.ongoing;
      } }.return },
    [Symbol.toStringTag]: { value: 'ReadableStream AsyncIterator', configurable: true },
  });

  S.ReadableStream = ReadableStream;
  lib.ReadableStream = ReadableStream; // for blob.js's Blob.stream()
  S.kConstruct = kConstruct;
  S.kLocked = kLocked;
  S.kReleased = kReleased;
  lib.defineGlobal('ReadableStream', ReadableStream);
  lib.defineGlobal('ReadableStreamDefaultReader', ReadableStreamDefaultReader);
  lib.defineGlobal('ReadableStreamDefaultController', ReadableStreamDefaultController);
})();
