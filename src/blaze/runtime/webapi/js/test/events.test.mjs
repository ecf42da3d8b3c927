// Event, CustomEvent and EventTarget. Expected values and messages were observed in workerd
// (wrangler 4.86.0, compatibility_date 2025-01-01) and are pinned here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

const kFiles = ['events.js', 'abort.js'];
const { run } = loadPrelude({ files: manifestWith(kFiles) });
const json = (src) => JSON.parse(run(`JSON.stringify((() => { ${src} })())`));
const kIllegal = /^Illegal invocation: function called with incorrect `this` reference/;

test('Event exposes its init and the Web IDL constants', () => {
  const r = json(`const e = new Event('x', { bubbles: true, cancelable: true, composed: 1 });
    return [e.type, e.bubbles, e.cancelable, e.composed, e.defaultPrevented, e.eventPhase,
      e.timeStamp, e.isTrusted, e.returnValue, e.cancelBubble, typeof e.target,
      typeof e.currentTarget, typeof e.srcElement, e.composedPath().length,
      Object.prototype.toString.call(e), Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET,
      Event.BUBBLING_PHASE, e.AT_TARGET, Object.getOwnPropertyNames(e).length]`);
  assert.deepEqual(r, ['x', true, true, true, false, 0, 0, false, true, false, 'undefined',
    'undefined', 'undefined', 0, '[object Event]', 0, 1, 2, 3, 2, 0]);
  assert.deepEqual(json(`const e = new Event('x');
    return [e.bubbles, e.cancelable, e.composed]`), [false, false, false]);
  assert.deepEqual(json(`return [new Event(5).type, new Event(null).type, new Event(undefined).type,
    new Event('a', null).bubbles, new Event({ toString() { return 'z'; } }).type]`),
  ['5', 'null', 'undefined', false, 'z']);
});

test('Event constructor errors match workerd', () => {
  assert.throws(() => run('new Event()'), { name: 'TypeError',
    message: 'Failed to construct \'Event\': constructor parameter 1 is not of type \'string\'.' });
  assert.throws(() => run('new Event("a", 5)'), { name: 'TypeError',
    message: 'Failed to construct \'Event\': constructor parameter 2 is not of type \'Init\'.' });
  assert.throws(() => run('new CustomEvent()'), { name: 'TypeError',
    message: 'Failed to construct \'CustomEvent\': constructor parameter 1 is not of type ' +
      '\'string\'.' });
  assert.throws(() => run('Object.getOwnPropertyDescriptor(Event.prototype, "type").get.call({})'),
    { name: 'TypeError', message: kIllegal });
  assert.throws(() => run('Event.prototype.preventDefault.call({})'), { message: kIllegal });
});

test('preventDefault only cancels cancelable events; returnValue is read-only', () => {
  assert.deepEqual(json(`const e = new Event('x', { cancelable: true }); e.preventDefault();
    const f = new Event('y'); f.preventDefault();
    return [e.defaultPrevented, e.returnValue, f.defaultPrevented, f.returnValue]`),
  [true, false, false, true]);
  assert.throws(() => run('"use strict"; new Event("x").returnValue = false'), { name: 'TypeError' });
  assert.deepEqual(json(`const e = new Event('x'); e.cancelBubble = true; const a = e.cancelBubble;
    const f = new Event('y'); f.stopPropagation(); return [a, f.cancelBubble]`), [true, true]);
});

test('CustomEvent carries detail', () => {
  assert.deepEqual(json(`const e = new CustomEvent('c', { detail: { x: 1 } });
    return [e.detail, e.type, new CustomEvent('d').detail, e instanceof Event,
      Object.prototype.toString.call(e)]`), [{ x: 1 }, 'c', null, true, '[object CustomEvent]']);
});

test('dispatchEvent calls listeners in order, at target, and reports cancellation', () => {
  const r = json(`const t = new EventTarget(); const log = [];
    t.addEventListener('a', function (e) {
      log.push(['f', this === globalThis, e.target === t, e.currentTarget === t, e.eventPhase,
        e.composedPath().length === 1 && e.composedPath()[0] === t]);
    });
    const h = { handleEvent(e) { log.push(['obj', this === h]); } };
    t.addEventListener('a', h);
    t.addEventListener('a', (ev) => ev.preventDefault());
    const e = new Event('a', { cancelable: true });
    const r = t.dispatchEvent(e);
    log.push(r, e.eventPhase, e.currentTarget === t, e.target === t, e.composedPath().length);
    return log;`);
  assert.deepEqual(r, [['f', true, true, true, 2, true], ['obj', true], false, 0, true, true, 0]);
  assert.equal(run(`new EventTarget().dispatchEvent(new Event('x', { cancelable: true }))`), true);
});

test('duplicate listeners are ignored; once and removal work', () => {
  assert.equal(run(`(() => { const t = new EventTarget(); let n = 0; const f = () => n++;
    t.addEventListener('a', f); t.addEventListener('a', f); t.addEventListener('a', f, false);
    t.dispatchEvent(new Event('a')); return n; })()`), 1);
  assert.equal(run(`(() => { const t = new EventTarget(); let n = 0;
    t.addEventListener('a', () => n++, { once: true });
    t.dispatchEvent(new Event('a')); t.dispatchEvent(new Event('a')); return n; })()`), 1);
  // The once listener is removed before it runs, so re-entrant dispatch does not call it.
  assert.equal(run(`(() => { const t = new EventTarget(); let n = 0;
    t.addEventListener('a', () => { n++; if (n < 5) t.dispatchEvent(new Event('a')); }, { once: true });
    t.dispatchEvent(new Event('a')); return n; })()`), 1);
  assert.equal(run(`(() => { const t = new EventTarget(); let n = 0; const f = () => n++;
    t.addEventListener('a', f); t.removeEventListener('a', f, { capture: false });
    t.dispatchEvent(new Event('a')); t.removeEventListener('a', null);
    t.removeEventListener('zz', f); return n; })()`), 0);
  assert.equal(run(`(() => { const t = new EventTarget(); let n = 0;
    t.addEventListener(5, () => n++); t.dispatchEvent(new Event('5'));
    t.addEventListener(null, () => n += 10); t.dispatchEvent(new Event('null'));
    t.addEventListener('a', null); return n; })()`), 11);
});

test('listeners removed during dispatch are skipped, added ones wait', () => {
  assert.deepEqual(json(`const t = new EventTarget(); const log = []; const g = () => log.push('g');
    t.addEventListener('a', () => { log.push('f'); t.removeEventListener('a', g);
      t.addEventListener('a', () => log.push('h')); });
    t.addEventListener('a', g); t.dispatchEvent(new Event('a')); return log;`), ['f']);
});

test('stopImmediatePropagation stops later listeners and sticks to the event', () => {
  assert.deepEqual(json(`const t = new EventTarget(); const log = []; const e = new Event('a');
    t.addEventListener('a', (ev) => { log.push(1); ev.stopImmediatePropagation(); });
    t.addEventListener('a', () => log.push(2)); t.dispatchEvent(e); t.dispatchEvent(e);
    return log;`), [1]);
});

test('a listener exception propagates out of dispatchEvent (workerd) and resets the event', () => {
  const r = json(`const t = new EventTarget(); const log = []; const e = new Event('a');
    t.addEventListener('a', () => { throw new Error('boom'); });
    t.addEventListener('a', () => log.push('after'));
    let msg; try { t.dispatchEvent(e); } catch (err) { msg = err.message; }
    return [msg, log, e.eventPhase];`);
  assert.deepEqual(r, ['boom', [], 0]);
});

test('re-dispatching during dispatch is an InvalidStateError; afterwards it is allowed', () => {
  const r = json(`const t = new EventTarget(); const e = new Event('a'); let inner; let n = 0;
    t.addEventListener('a', () => { n++; try { t.dispatchEvent(e); } catch (err) {
      inner = [err.name, err.message, err.code, err instanceof DOMException]; } });
    t.dispatchEvent(e); t.dispatchEvent(e); return [inner, n];`);
  assert.deepEqual(r, [['InvalidStateError', 'The event is already being dispatched.', 11, true], 2]);
});

test('handleEvent is read when the listener is added', () => {
  assert.deepEqual(json(`const t = new EventTarget(); const log = [];
    const h = { handleEvent() { log.push(1); } }; t.addEventListener('a', h);
    h.handleEvent = () => log.push(2); t.dispatchEvent(new Event('a'));
    h.handleEvent = 5; t.dispatchEvent(new Event('a')); return log;`), [1, 1]);
});

test('addEventListener and removeEventListener argument errors match workerd', () => {
  const cases = [
    ['new EventTarget().addEventListener()', 'Failed to execute \'addEventListener\' on ' +
      '\'EventTarget\': parameter 1 is not of type \'string\'.'],
    ['new EventTarget().addEventListener("a")', 'Failed to execute \'addEventListener\' on ' +
      '\'EventTarget\': parameter 2 is not of type \'function or HandlerObject\'.'],
    ['new EventTarget().addEventListener("a", 5)', 'Failed to execute \'addEventListener\' on ' +
      '\'EventTarget\': parameter 2 is not of type \'function or HandlerObject\'.'],
    ['new EventTarget().addEventListener("a", {})', 'Incorrect type for the \'handleEvent\' ' +
      'field on \'HandlerObject\': the provided value is not of type \'function\'.'],
    ['new EventTarget().addEventListener("a", () => {}, true)',
      'addEventListener(): useCapture must be false.'],
    ['new EventTarget().addEventListener("a", () => {}, { capture: true })',
      'addEventListener(): options.capture must be false.'],
    ['new EventTarget().addEventListener("a", () => {}, { passive: true })',
      'addEventListener(): options.passive must be false.'],
    ['new EventTarget().addEventListener("a", () => {}, { signal: 5 })', 'Incorrect type for ' +
      'the \'signal\' field on \'AddEventListenerOptions\': the provided value is not of type ' +
      '\'AbortSignal\'.'],
    ['new EventTarget().addEventListener("a", () => {}, { signal: null })', 'Incorrect type for ' +
      'the \'signal\' field on \'AddEventListenerOptions\': the provided value is not of type ' +
      '\'AbortSignal\'.'],
    ['new EventTarget().removeEventListener()', 'Failed to execute \'removeEventListener\' on ' +
      '\'EventTarget\': parameter 1 is not of type \'string\'.'],
    ['new EventTarget().removeEventListener("a")', 'Failed to execute \'removeEventListener\' ' +
      'on \'EventTarget\': parameter 2 is not of type \'Object\'.'],
    ['new EventTarget().removeEventListener("a", 5)', 'Failed to execute ' +
      '\'removeEventListener\' on \'EventTarget\': parameter 2 is not of type \'Object\'.'],
    ['new EventTarget().removeEventListener("a", () => {}, true)',
      'removeEventListener(): useCapture must be false.'],
    ['new EventTarget().removeEventListener("a", () => {}, { capture: true })',
      'removeEventListener(): options.capture must be false.'],
    ['new EventTarget().dispatchEvent()', 'Failed to execute \'dispatchEvent\' on ' +
      '\'EventTarget\': parameter 1 is not of type \'Event\'.'],
    ['new EventTarget().dispatchEvent({ type: "a" })', 'Failed to execute \'dispatchEvent\' ' +
      'on \'EventTarget\': parameter 1 is not of type \'Event\'.'],
  ];
  for (const [src, message] of cases) {
    assert.throws(() => run(src), { name: 'TypeError', message }, src);
  }
  assert.throws(() => run('EventTarget.prototype.addEventListener.call({}, "a", () => {})'),
    { name: 'TypeError', message: kIllegal });
  assert.equal(run('new EventTarget().addEventListener("a", () => {}, { signal: undefined, ' +
    'passive: false, once: false })'), undefined);
});

test('subclasses of EventTarget and Event work', () => {
  assert.deepEqual(json(`class M extends EventTarget {} class Q extends Event {
      constructor() { super('q'); this.d = 1; } }
    const m = new M(); let got; m.addEventListener('q', (e) => { got = e.d; });
    m.dispatchEvent(new Q()); return [got, Object.prototype.toString.call(m)];`), [1, '[object EventTarget]']);
});

test('globals are non-enumerable and tagged', () => {
  assert.deepEqual(json(`return ['Event', 'EventTarget', 'CustomEvent'].map((k) => {
    const d = Object.getOwnPropertyDescriptor(globalThis, k);
    return [typeof d.value, d.enumerable, d.writable, d.configurable]; })`),
  [['function', false, true, true], ['function', false, true, true],
    ['function', false, true, true]]);
  assert.equal(run('String(new EventTarget())'), '[object EventTarget]');
});

// The global scope is an event target, and PromiseRejectionEvent is what the engine's report of
// an unhandled rejection dispatches there (observed in workerd: cancelable false, no
// `rejectionhandled` afterwards); Blaze also logs it as an error.
test('unhandledrejection reaches global listeners and is logged', () => {
  const { run, host, logs } = loadPrelude();
  run(`globalThis.seen = [];
    addEventListener('unhandledrejection', (e) => seen.push([e.type, e.reason.message,
      e.promise instanceof Promise, e.cancelable, e.constructor.name,
      Object.prototype.toString.call(e)]));
    globalThis.p = Promise.reject(new RangeError('nobody caught me'));
    p.catch(() => {});`);
  host.internal.reportUnhandledRejection(run('p'), run('new RangeError("nobody caught me")'));
  assert.deepEqual(JSON.parse(run('JSON.stringify(seen)')),
    [['unhandledrejection', 'nobody caught me', true, false, 'PromiseRejectionEvent',
      '[object PromiseRejectionEvent]']]);
  const errors = logs.filter((l) => l.level === 'error');
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /^Uncaught \(in promise\) RangeError: nobody caught me/);
  // A throwing listener is reported and does not stop the log.
  run(`addEventListener('unhandledrejection', () => { throw new Error('listener broke'); });`);
  host.internal.reportUnhandledRejection(run('p'), 'plain reason');
  const after = logs.filter((l) => l.level === 'error').map((l) => l.message);
  assert.match(after[1], /^Uncaught Error: listener broke/);
  assert.equal(after[2], 'Uncaught (in promise) plain reason');
  // removeEventListener and dispatchEvent work on the global scope too.
  assert.equal(run(`let n = 0; const f = () => n++;
    addEventListener('ping', f); dispatchEvent(new Event('ping'));
    removeEventListener('ping', f); dispatchEvent(new Event('ping')); n`), 1);
});

test('PromiseRejectionEvent needs a promise', () => {
  const { run } = loadPrelude({ files: manifestWith(kFiles) });
  assert.throws(() => run('new PromiseRejectionEvent("unhandledrejection")'), { name: 'TypeError' });
  assert.throws(() => run('new PromiseRejectionEvent("x", { reason: 1 })'), { name: 'TypeError' });
  assert.deepEqual(json(`const p = Promise.resolve();
    const e = new PromiseRejectionEvent('x', { promise: p, reason: 7 });
    return [e.type, e.promise === p, e.reason, e.cancelable]`), ['x', true, 7, false]);
});
