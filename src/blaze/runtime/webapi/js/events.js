// events.js: Event, CustomEvent and EventTarget (DOM Standard, single-target subset).
//
// Workers have no tree, so dispatch is "at target" only: no capture, no bubbling. workerd
// behaviours kept on purpose (observed with wrangler 4):
//   - capture and passive must be false (TypeError otherwise);
//   - an exception thrown by a listener propagates out of dispatchEvent (and stops dispatch);
//   - listeners are called with `this` = the global object (handler objects: the object);
//     a handler object's handleEvent is read once, when the listener is added;
//   - the event handler property (onabort) runs before every addEventListener listener;
//   - target/currentTarget are undefined before the first dispatch and kept afterwards;
//   - stopImmediatePropagation() sticks: re-dispatching the same event calls no listener.
// Provides lib.illegalInvocation(), lib.newTrustedEvent(type), lib.eventHandler(target, type)
// and lib.setEventHandler(target, type, value) (the `on<type>` accessor pair).
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  const kIllegalInvocation = 'Illegal invocation: function called with incorrect `this` ' +
    'reference. See https://developers.cloudflare.com/workers/observability/errors/' +
    '#illegal-invocation-errors for details.';
  lib.illegalInvocation = () => new TypeError(kIllegalInvocation);

  const kPhases = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };

  function isObject(v) {
    return (v !== null && typeof v === 'object') || typeof v === 'function';
  }

  class Event {
    #type;
    #bubbles;
    #cancelable;
    #composed;
    #trusted = false;
    #canceled = false;
    #passive = false;
    #stop = false;
    #stopImmediate = false;
    #dispatching = false;
    #phase = 0;
    #target = undefined;
    #currentTarget = undefined;

    constructor(type, init = undefined) {
      const ctor = new.target === Event ? 'Event' : new.target.name;
      if (arguments.length === 0) {
        throw new TypeError(`Failed to construct '${ctor}': constructor parameter 1 is not ` +
          'of type \'string\'.');
      }
      if (init !== undefined && init !== null && !isObject(init)) {
        throw new TypeError(`Failed to construct '${ctor}': constructor parameter 2 is not ` +
          'of type \'Init\'.');
      }
      this.#type = String(type);
      const options = init || {};
      this.#bubbles = !!options.bubbles;
      this.#cancelable = !!options.cancelable;
      this.#composed = !!options.composed;
    }

    static #check(e) {
      if (!isObject(e) || !(#type in e)) throw lib.illegalInvocation();
      return e;
    }

    static {
      lib.newTrustedEvent = (type) => {
        const e = new Event(type);
        e.#trusted = true;
        return e;
      };
      lib.isEvent = (e) => isObject(e) && #type in e;
      // EventTarget's dispatch drives the event through these (one private namespace).
      lib.eventDispatch = {
        begin(e, target) {
          if (e.#dispatching) {
            throw new lib.DOMException('The event is already being dispatched.',
              'InvalidStateError');
          }
          e.#dispatching = true;
          e.#target = target;
          e.#currentTarget = target;
          e.#phase = kPhases.AT_TARGET;
        },
        stopped: (e) => e.#stopImmediate,
        setPassive(e, passive) { e.#passive = passive; },
        end(e) {
          e.#dispatching = false;
          e.#passive = false;
          e.#phase = kPhases.NONE;
        },
        notCanceled: (e) => !e.#canceled,
      };
    }

    get type() { return Event.#check(this).#type; }
    get bubbles() { return Event.#check(this).#bubbles; }
    get cancelable() { return Event.#check(this).#cancelable; }
    get composed() { return Event.#check(this).#composed; }
    get isTrusted() { return Event.#check(this).#trusted; }
    get defaultPrevented() { return Event.#check(this).#canceled; }
    get returnValue() { return !Event.#check(this).#canceled; }
    get eventPhase() { return Event.#check(this).#phase; }
    get target() { return Event.#check(this).#target; }
    get srcElement() { return Event.#check(this).#target; }
    get currentTarget() { return Event.#check(this).#currentTarget; }
    // workerd reports 0: its timeOrigin is 0 and it does not stamp events.
    get timeStamp() { Event.#check(this); return 0; }
    get cancelBubble() { return Event.#check(this).#stop; }
    set cancelBubble(value) { if (value) Event.#check(this).#stop = true; }

    composedPath() {
      Event.#check(this);
      return this.#dispatching ? [this.#currentTarget] : [];
    }
    preventDefault() {
      Event.#check(this);
      if (this.#cancelable && !this.#passive) this.#canceled = true;
    }
    stopPropagation() {
      Event.#check(this).#stop = true;
    }
    stopImmediatePropagation() {
      Event.#check(this);
      this.#stop = true;
      this.#stopImmediate = true;
    }
  }
  for (const [name, value] of Object.entries(kPhases)) {
    const desc = { value, enumerable: true };
    Object.defineProperty(Event, name, desc);
    Object.defineProperty(Event.prototype, name, desc);
  }
  lib.tagClass(Event, 'Event');

  class CustomEvent extends Event {
    #detail;
    constructor(type, init = undefined) {
      if (arguments.length === 0) {
        throw new TypeError('Failed to construct \'CustomEvent\': constructor parameter 1 is ' +
          'not of type \'string\'.');
      }
      super(type, init);
      this.#detail = init !== undefined && init !== null && init.detail !== undefined
        ? init.detail : null;
    }
    get detail() {
      if (!isObject(this) || !(#detail in this)) throw lib.illegalInvocation();
      return this.#detail;
    }
  }
  lib.tagClass(CustomEvent, 'CustomEvent');

  // ---- EventTarget ------------------------------------------------------------------------
  // A listener is { callback, fn, once, removed }: fn is what gets called (the function or
  // the handler object's handleEvent, bound at add time as workerd does).

  function flattenOptions(method, options) {
    const out = { once: false, signal: undefined };
    if (!isObject(options)) {
      if (options) throw new TypeError(`${method}(): useCapture must be false.`);
      return out;
    }
    if (options.capture) throw new TypeError(`${method}(): options.capture must be false.`);
    if (method === 'removeEventListener') return out;
    if (options.passive) throw new TypeError(`${method}(): options.passive must be false.`);
    out.once = !!options.once;
    const signal = options.signal;
    if (signal !== undefined && !lib.isAbortSignal(signal)) {
      throw new TypeError('Incorrect type for the \'signal\' field on ' +
        '\'AddEventListenerOptions\': the provided value is not of type \'AbortSignal\'.');
    }
    out.signal = signal;
    return out;
  }

  class EventTarget {
    #listeners = new Map(); // type → [listener]
    #handlers = new Map();  // type → { value, fn } for on<type> properties

    static #check(t) {
      if (!isObject(t) || !(#listeners in t)) throw lib.illegalInvocation();
      return t;
    }

    static {
      lib.isEventTarget = (t) => isObject(t) && #listeners in t;
      lib.eventHandler = (t, type) => {
        const h = EventTarget.#check(t).#handlers.get(type);
        return h === undefined ? null : h.value;
      };
      // Functions and objects are stored (objects are called through handleEvent); any other
      // value clears the handler, which then reads back as null.
      lib.setEventHandler = (t, type, value) => {
        EventTarget.#check(t);
        if (!isObject(value)) {
          t.#handlers.delete(type);
          return;
        }
        t.#handlers.set(type, { value });
      };
    }

    addEventListener(type, callback, options = undefined) {
      EventTarget.#check(this);
      if (arguments.length === 0) {
        throw new TypeError('Failed to execute \'addEventListener\' on \'EventTarget\': ' +
          'parameter 1 is not of type \'string\'.');
      }
      type = String(type);
      if (callback === null) return;
      let fn;
      if (typeof callback === 'function') {
        fn = callback;
      } else if (isObject(callback)) {
        fn = callback.handleEvent;
        if (typeof fn !== 'function') {
          throw new TypeError('Incorrect type for the \'handleEvent\' field on ' +
            '\'HandlerObject\': the provided value is not of type \'function\'.');
        }
      } else {
        throw new TypeError('Failed to execute \'addEventListener\' on \'EventTarget\': ' +
          'parameter 2 is not of type \'function or HandlerObject\'.');
      }
      const { once, signal } = flattenOptions('addEventListener', options);
      if (signal !== undefined && signal.aborted) return;
      let list = this.#listeners.get(type);
      if (list === undefined) this.#listeners.set(type, list = []);
      if (list.some((l) => l.callback === callback)) return;
      const listener = { callback, fn, once, removed: false };
      list.push(listener);
      if (signal !== undefined) {
        lib.onAbort(signal, () => this.#remove(type, listener));
      }
    }

    removeEventListener(type, callback, options = undefined) {
      EventTarget.#check(this);
      if (arguments.length === 0) {
        throw new TypeError('Failed to execute \'removeEventListener\' on \'EventTarget\': ' +
          'parameter 1 is not of type \'string\'.');
      }
      type = String(type);
      if (callback === null) return;
      if (!isObject(callback)) {
        throw new TypeError('Failed to execute \'removeEventListener\' on \'EventTarget\': ' +
          'parameter 2 is not of type \'Object\'.');
      }
      flattenOptions('removeEventListener', options);
      const list = this.#listeners.get(type);
      if (list === undefined) return;
      const listener = list.find((l) => l.callback === callback);
      if (listener !== undefined) this.#remove(type, listener);
    }

    #remove(type, listener) {
      listener.removed = true;
      const list = this.#listeners.get(type);
      if (list === undefined) return;
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.#listeners.delete(type);
    }

    dispatchEvent(event) {
      EventTarget.#check(this);
      if (!lib.isEvent(event)) {
        throw new TypeError('Failed to execute \'dispatchEvent\' on \'EventTarget\': ' +
          'parameter 1 is not of type \'Event\'.');
      }
      const D = lib.eventDispatch;
      D.begin(event, this);
      try {
        const type = event.type;
        const handler = this.#handlers.get(type);
        if (handler !== undefined && !D.stopped(event)) callListener(handler.value, event);
        // A snapshot: listeners added during dispatch wait for the next one, removed ones
        // are skipped through their `removed` flag.
        const list = (this.#listeners.get(type) || []).slice();
        for (const listener of list) {
          if (D.stopped(event)) break;
          if (listener.removed) continue;
          if (listener.once) this.#remove(type, listener);
          listener.fn.call(typeof listener.callback === 'function' ? globalThis : listener.callback,
            event);
        }
      } finally {
        D.end(event); // a throwing listener propagates (workerd), with the event reset
      }
      return D.notCanceled(event);
    }
  }
  lib.tagClass(EventTarget, 'EventTarget');

  function callListener(value, event) {
    if (typeof value === 'function') {
      value.call(globalThis, event);
    } else if (typeof value.handleEvent === 'function') {
      value.handleEvent(event);
    }
  }

  // ---- PromiseRejectionEvent and the global scope's events ----------------------------------
  // As in workerd (observed with wrangler 4): the global scope is an event target, and a
  // promise rejected with no handler fires `unhandledrejection` there (not cancelable); a
  // handler added later does not fire `rejectionhandled`. The engine finds those promises when
  // a microtask checkpoint ends (engine.cc; workerd looks after each microtask) and calls
  // lib.reportUnhandledRejection; Blaze also logs "Uncaught (in promise) ..." at error level,
  // so the rejection shows in `blaze dev` and in tail.

  class PromiseRejectionEvent extends Event {
    #promise;
    #reason;
    constructor(type, init = undefined) {
      if (arguments.length === 0) {
        throw new TypeError('Failed to construct \'PromiseRejectionEvent\': constructor ' +
          'parameter 1 is not of type \'string\'.');
      }
      super(type, init);
      if (!isObject(init) || init.promise === undefined) {
        throw new TypeError('Failed to construct \'PromiseRejectionEvent\': required member ' +
          'promise is undefined.');
      }
      this.#promise = init.promise;
      this.#reason = init.reason;
    }
    get promise() {
      if (!isObject(this) || !(#promise in this)) throw lib.illegalInvocation();
      return this.#promise;
    }
    get reason() {
      if (!isObject(this) || !(#promise in this)) throw lib.illegalInvocation();
      return this.#reason;
    }
  }
  lib.tagClass(PromiseRejectionEvent, 'PromiseRejectionEvent');

  const globalTarget = new EventTarget();
  for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
    const method = EventTarget.prototype[name];
    // A named method whose `this` is always the global scope's target.
    const bound = { [name](...args) { return method.apply(globalTarget, args); } }[name];
    lib.defineGlobal(name, bound);
  }

  lib.reportUnhandledRejection = function reportUnhandledRejection(promise, reason) {
    try {
      globalTarget.dispatchEvent(new PromiseRejectionEvent('unhandledrejection',
        { promise, reason }));
    } catch (e) {
      lib.reportError(e);  // a throwing listener
    }
    lib.reportRejection(reason);
  };

  lib.Event = Event;
  lib.EventTarget = EventTarget;
  lib.defineGlobal('Event', Event);
  lib.defineGlobal('CustomEvent', CustomEvent);
  lib.defineGlobal('EventTarget', EventTarget);
  lib.defineGlobal('PromiseRejectionEvent', PromiseRejectionEvent);
})();
