// streams_base.js: shared machinery of the WHATWG Streams files (streams_*.js).
//
// Provides lib.streams, the namespace the stream files use to reach each other's abstract
// operations (the spec's algorithms work on internal records, never on the public objects a
// worker could patch), plus: deferred promises with an observable state, the spec's
// queue-with-sizes, queuing-strategy helpers, CountQueuingStrategy and
// ByteLengthQueuingStrategy.
//
// Deviation: SpiderMonkey 102 cannot detach an ArrayBuffer, so "transfer" keeps the buffer.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const S = Object.create(null);
  lib.streams = S;

  // ---- promises ---------------------------------------------------------------------------
  // A promise with its resolving functions and a state the algorithms may inspect (the spec
  // asks e.g. "if writer.[[closedPromise]] is pending").
  S.deferred = function deferred() {
    const d = { state: 'pending', promise: null, resolve: null, reject: null };
    d.promise = new Promise((resolve, reject) => {
      d.resolve = (v) => { if (d.state === 'pending') { d.state = 'fulfilled'; resolve(v); } };
      d.reject = (e) => { if (d.state === 'pending') { d.state = 'rejected'; reject(e); } };
    });
    return d;
  };
  S.resolvedDeferred = function resolvedDeferred(v) {
    const d = S.deferred();
    d.resolve(v);
    return d;
  };
  S.rejectedDeferred = function rejectedDeferred(e) {
    const d = S.deferred();
    d.reject(e);
    S.markHandled(d.promise);
    return d;
  };
  S.markHandled = function markHandled(p) {
    p.then(undefined, () => {});
  };
  S.resolved = (v) => Promise.resolve(v);
  S.rejected = (e) => Promise.reject(e);
  // "Upon fulfillment / rejection" with no result of its own (errors go nowhere).
  S.react = function react(p, onFulfilled, onRejected) {
    p.then(onFulfilled, onRejected).then(undefined, lib.reportError);
  };
  // Calls a method of an underlying source/sink dictionary and always returns a promise.
  S.promiseCall = function promiseCall(fn, thisArg, args) {
    try {
      return Promise.resolve(Reflect.apply(fn, thisArg, args));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  // The spec converts the dictionary members up front; a member that is present must be
  // callable.
  S.getMethod = function getMethod(dict, name, context) {
    const fn = dict[name];
    if (fn === undefined || fn === null) return undefined;
    if (typeof fn !== 'function') {
      throw new TypeError(`Failed to construct '${context}': member ${name} is not a function.`);
    }
    return fn;
  };
  S.toDict = function toDict(v, context) {
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' && typeof v !== 'function') {
      throw new TypeError(`Failed to construct '${context}': parameter is not an object.`);
    }
    return v;
  };

  // ---- queue-with-sizes -------------------------------------------------------------------
  // A FIFO with O(1) shift: container.queue of {value, size}, container.queueTotalSize.
  class Queue {
    #items = [];
    #head = 0;
    get length() { return this.#items.length - this.#head; }
    push(v) { this.#items.push(v); }
    peek() { return this.#items[this.#head]; }
    last() { return this.#items[this.#items.length - 1]; }
    shift() {
      const v = this.#items[this.#head];
      this.#items[this.#head++] = undefined;
      if (this.#head > 64 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return v;
    }
    *[Symbol.iterator]() {
      for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i];
    }
  }
  S.Queue = Queue;

  S.resetQueue = function resetQueue(container) {
    container.queue = new Queue();
    container.queueTotalSize = 0;
  };
  S.enqueueValueWithSize = function enqueueValueWithSize(container, value, size) {
    if (typeof size !== 'number' || !(size >= 0) || size === Infinity) {
      throw new RangeError('The return value of a queuing strategy\'s size function must be ' +
        'a finite, non-NaN, non-negative number.');
    }
    container.queue.push({ value, size });
    container.queueTotalSize += size;
  };
  S.dequeueValue = function dequeueValue(container) {
    const pair = container.queue.shift();
    container.queueTotalSize -= pair.size;
    if (container.queueTotalSize < 0) container.queueTotalSize = 0; // rounding errors
    return pair.value;
  };
  S.peekQueueValue = (container) => container.queue.peek().value;

  // ---- queuing strategies -----------------------------------------------------------------
  S.extractHighWaterMark = function extractHighWaterMark(strategy, defaultHWM) {
    if (strategy.highWaterMark === undefined) return defaultHWM;
    const hwm = Number(strategy.highWaterMark);
    if (Number.isNaN(hwm) || hwm < 0) {
      throw new RangeError('The highWaterMark of a queuing strategy must be a non-negative ' +
        'number.');
    }
    return hwm;
  };
  S.extractSizeAlgorithm = function extractSizeAlgorithm(strategy) {
    const size = strategy.size;
    if (size === undefined) return () => 1;
    if (typeof size !== 'function') throw new TypeError('The size of a queuing strategy must ' +
      'be a function.');
    return (chunk) => size(chunk);
  };

  function strategyInit(init, name) {
    if (init === null || typeof init !== 'object' || init.highWaterMark === undefined) {
      throw new TypeError(`Failed to construct '${name}': required member highWaterMark is ` +
        'undefined.');
    }
    return Number(init.highWaterMark);
  }
  // The size functions are shared by all instances, as the spec's "size function" slots are.
  const countSize = { size() { return 1; } }.size;
  const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;

  class CountQueuingStrategy {
    #hwm;
    constructor(init) { this.#hwm = strategyInit(init, 'CountQueuingStrategy'); }
    get highWaterMark() {
      if (!(#hwm in this)) throw new TypeError('Illegal invocation');
      return this.#hwm;
    }
    get size() {
      if (!(#hwm in this)) throw new TypeError('Illegal invocation');
      return countSize;
    }
  }
  class ByteLengthQueuingStrategy {
    #hwm;
    constructor(init) { this.#hwm = strategyInit(init, 'ByteLengthQueuingStrategy'); }
    get highWaterMark() {
      if (!(#hwm in this)) throw new TypeError('Illegal invocation');
      return this.#hwm;
    }
    get size() {
      if (!(#hwm in this)) throw new TypeError('Illegal invocation');
      return byteLengthSize;
    }
  }
  S.enumerable = function enumerable(cls, names) {
    for (const name of names) {
      const desc = Object.getOwnPropertyDescriptor(cls.prototype, name);
      desc.enumerable = true;
      Object.defineProperty(cls.prototype, name, desc);
    }
  };
  S.enumerable(CountQueuingStrategy, ['highWaterMark', 'size']);
  S.enumerable(ByteLengthQueuingStrategy, ['highWaterMark', 'size']);
  lib.tagClass(CountQueuingStrategy, 'CountQueuingStrategy');
  lib.tagClass(ByteLengthQueuingStrategy, 'ByteLengthQueuingStrategy');
  lib.defineGlobal('CountQueuingStrategy', CountQueuingStrategy);
  lib.defineGlobal('ByteLengthQueuingStrategy', ByteLengthQueuingStrategy);
})();
