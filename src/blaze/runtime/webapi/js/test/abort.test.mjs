// AbortController, AbortSignal and the lib hooks other prelude files use. Behaviour and
// messages observed in workerd (wrangler 4.86.0, compatibility_date 2025-01-01).
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

const kFiles = ['events.js', 'abort.js'];

// A prelude whose host timers are manual: tests fire them, nothing waits.
function withFakeTimers() {
  const p = loadPrelude({ files: manifestWith(kFiles) });
  const timers = [];
  p.host.setTimer = (callback, ms, repeat) => { timers.push({ callback, ms, repeat }); return timers.length; };
  return { ...p, timers };
}

const p = loadPrelude({ files: manifestWith(kFiles) });
const { run } = p;
const json = (src) => JSON.parse(run(`JSON.stringify((() => { ${src} })())`));
const kIllegal = /^Illegal invocation: function called with incorrect `this` reference/;

test('abort() sets aborted and a default AbortError reason, once', () => {
  const r = json(`const c = new AbortController(); const s = c.signal; const log = [];
    const before = [s.aborted, s.reason === undefined, s.onabort, c.signal === s];
    s.onabort = (e) => log.push(['on', e.type, e.isTrusted, e.bubbles, e.cancelable, e.target === s]);
    s.addEventListener('abort', () => log.push('listener'));
    c.abort(); c.abort('again');
    const r = s.reason;
    return { before, log, after: [s.aborted, r.name, r.message, r.code, r instanceof DOMException,
      r instanceof Error, typeof r.stack] };`);
  assert.deepEqual(r, {
    before: [false, true, null, true],
    log: [['on', 'abort', true, false, false, true], 'listener'],
    after: [true, 'AbortError', 'The operation was aborted', 20, true, true, 'string'],
  });
});

test('abort(reason) keeps any reason except undefined', () => {
  assert.deepEqual(json(`const a = new AbortController(); a.abort('why');
    const b = new AbortController(); b.abort(undefined);
    const c = new AbortController(); c.abort(null);
    const d = new AbortController(); const o = { x: 1 }; d.abort(o);
    return [a.signal.reason, b.signal.reason.name, c.signal.reason, d.signal.reason === o];`),
  ['why', 'AbortError', null, true]);
});

test('the onabort handler runs before every listener; signal state is set by then', () => {
  assert.deepEqual(json(`const c = new AbortController(); const log = [];
    c.signal.addEventListener('abort', () => log.push('l1'));
    c.signal.onabort = () => log.push(['on', c.signal.aborted, c.signal.reason]);
    c.signal.addEventListener('abort', () => log.push('l2'));
    c.abort(5); return log;`), [['on', true, 5], 'l1', 'l2']);
});

test('onabort stores functions and objects, anything else reads back as null', () => {
  assert.deepEqual(json(`const c = new AbortController(); const log = [];
    c.signal.onabort = () => log.push(1); c.signal.onabort = () => log.push(2);
    c.signal.onabort = 'str'; const v = c.signal.onabort;
    const o = { handleEvent() { log.push('obj'); } }; c.signal.onabort = o;
    const same = c.signal.onabort === o; c.abort(); return [log, v, same];`), [['obj'], null, true]);
  // A manual dispatch of an 'abort' event reaches the handler without aborting.
  assert.deepEqual(json(`const c = new AbortController(); let n = 0; c.signal.onabort = () => n++;
    c.signal.dispatchEvent(new Event('abort')); return [n, c.signal.aborted];`), [1, false]);
});

test('a throwing abort listener propagates out of abort() (workerd)', () => {
  assert.throws(() => run(`const c0 = new AbortController();
    c0.signal.addEventListener('abort', () => { throw new Error('x'); }); c0.abort();`),
  { message: 'x' });
});

test('throwIfAborted throws the reason itself', () => {
  assert.deepEqual(json(`const c = new AbortController(); c.signal.throwIfAborted(); c.abort(42);
    let caught; try { c.signal.throwIfAborted(); } catch (e) { caught = e; }
    const d = new AbortController(); d.abort(); let name;
    try { d.signal.throwIfAborted(); } catch (e) { name = [e.name, e.message]; }
    return [caught, name];`), [42, ['AbortError', 'The operation was aborted']]);
});

test('AbortSignal.abort() makes an aborted signal; the constructor is illegal', () => {
  assert.deepEqual(json(`const s = AbortSignal.abort(); const s2 = AbortSignal.abort('r');
    let n = 0; s.addEventListener('abort', () => n++);
    return [s.aborted, s.reason.name, s.reason.message, s2.reason, n, s instanceof EventTarget,
      Object.prototype.toString.call(s), String(new AbortController())];`),
  [true, 'AbortError', 'The operation was aborted', 'r', 0, true, '[object AbortSignal]',
    '[object AbortController]']);
  assert.throws(() => run('new AbortSignal()'), { name: 'TypeError', message: 'Illegal constructor' });
  assert.throws(() => run('AbortController.prototype.abort.call({})'), { message: kIllegal });
  assert.throws(() => run('Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted").get.call({})'),
    { message: kIllegal });
});

test('AbortSignal.timeout aborts with a TimeoutError when the host timer fires', () => {
  const f = withFakeTimers();
  f.run(`globalThis.s = AbortSignal.timeout(10); globalThis.log = [];
    s.onabort = (e) => log.push(e.type);`);
  assert.equal(f.timers.length, 1);
  assert.deepEqual([f.timers[0].ms, f.timers[0].repeat], [10, false]);
  assert.equal(f.run('s.aborted'), false);
  f.timers[0].callback();
  assert.deepEqual(JSON.parse(f.run(`JSON.stringify([s.aborted, s.reason.name, s.reason.message,
    s.reason.code, log])`)), [true, 'TimeoutError', 'The operation was aborted due to timeout',
    23, ['abort']]);
  // Negative, NaN and infinite delays are accepted (workerd) and clamp to 0.
  f.run('AbortSignal.timeout(-1); AbortSignal.timeout("x"); AbortSignal.timeout(undefined)');
  assert.deepEqual(f.timers.slice(1).map((t) => t.ms), [0, 0, 0]);
  assert.throws(() => f.run('AbortSignal.timeout()'), { name: 'TypeError',
    message: 'Failed to execute \'timeout\' on \'AbortSignal\': parameter 1 is not of type \'number\'.' });
});

test('AbortSignal.timeout errors in listeners are reported, not thrown into the host', () => {
  const f = withFakeTimers();
  f.run(`AbortSignal.timeout(1).addEventListener('abort', () => { throw new Error('late'); });`);
  f.logs.length = 0;
  f.timers[0].callback();
  assert.equal(f.logs.length, 1);
  assert.equal(f.logs[0].level, 'error');
  assert.match(f.logs[0].message, /late/);
});

test('AbortSignal.timeout fires on the real host timers too', async () => {
  const fresh = loadPrelude({ files: manifestWith(kFiles) });
  const s = fresh.run('AbortSignal.timeout(0)');
  assert.equal(s.aborted, false);
  await new Promise((resolve) => s.addEventListener('abort', resolve));
  assert.equal(s.reason.name, 'TimeoutError');
});

test('AbortSignal.any follows the first source to abort', () => {
  assert.deepEqual(json(`const c1 = new AbortController(), c2 = new AbortController();
    const s = AbortSignal.any([c1.signal, c2.signal]); let ev = 0; s.onabort = () => ev++;
    const a = s.aborted; c2.abort('two'); c1.abort('one');
    return [a, s.aborted, s.reason, ev];`), [false, true, 'two', 1]);
  assert.deepEqual(json(`return [AbortSignal.any([]).aborted,
    AbortSignal.any([new AbortController().signal, AbortSignal.abort('b'), AbortSignal.abort('c')]).reason]`),
  [false, 'b']);
  // Sources fire before dependents; a signal listed twice fires once.
  assert.deepEqual(json(`const c = new AbortController(); const log = [];
    c.signal.addEventListener('abort', () => log.push('src'));
    const d = AbortSignal.any([c.signal, c.signal]); d.addEventListener('abort', () => log.push('dep'));
    const e = AbortSignal.any([d]); e.addEventListener('abort', () => log.push(['dep2', e.reason]));
    c.abort('r'); return log;`), ['src', 'dep', ['dep2', 'r']]);
  // A dependent whose own event listener sees its sibling dependents already aborted.
  assert.deepEqual(json(`const c = new AbortController(); const a = AbortSignal.any([c.signal]);
    const b = AbortSignal.any([c.signal]); let seen;
    c.signal.onabort = () => { seen = [a.aborted, b.aborted, b.reason]; }; c.abort(7); return seen;`),
  [true, true, 7]);
});

test('AbortSignal.any argument errors match workerd', () => {
  const notArray = 'Failed to execute \'any\' on \'AbortSignal\': parameter 1 is not of type \'Array\'.';
  for (const src of ['AbortSignal.any()', 'AbortSignal.any(5)', 'AbortSignal.any("ab")',
    'AbortSignal.any(new Set())']) {
    assert.throws(() => run(src), { name: 'TypeError', message: notArray }, src);
  }
  assert.throws(() => run('AbortSignal.any([AbortSignal.abort(), 1])'), { name: 'TypeError',
    message: 'Incorrect type for array element 1: the provided value is not of type \'AbortSignal\'.' });
});

test('addEventListener signal option removes the listener on abort', () => {
  assert.equal(run(`(() => { const t = new EventTarget(); let n = 0; const c = new AbortController();
    t.addEventListener('a', () => n++, { signal: c.signal }); t.dispatchEvent(new Event('a'));
    c.abort(); t.dispatchEvent(new Event('a'));
    t.addEventListener('a', () => n += 10, { signal: AbortSignal.abort() });
    t.dispatchEvent(new Event('a')); return n; })()`), 1);
});

test('lib.onAbort, lib.isAbortSignal and lib.newAbortController for other prelude files', () => {
  const f = loadPrelude({ files: manifestWith(kFiles) });
  const lib = f.host.lib;
  const s = f.run('globalThis.c = new AbortController(); c.signal');
  assert.equal(lib.isAbortSignal(s), true);
  assert.equal(lib.isAbortSignal({}), false);
  assert.equal(lib.isAbortSignal(null), false);
  const seen = [];
  const off = lib.onAbort(s, (reason) => seen.push(['a', reason]));
  lib.onAbort(s, (reason) => seen.push(['b', reason]));
  f.run(`c.signal.onabort = () => {}`);
  const off2 = lib.onAbort(s, () => seen.push('removed'));
  off2();
  f.run('c.abort("r")');
  assert.deepEqual(seen, [['a', 'r'], ['b', 'r']]);
  off(); // after abort: harmless
  // Algorithms run before listeners; their exceptions are reported, not thrown.
  const order = [];
  const own = lib.newAbortController();
  own.signal.addEventListener('abort', () => order.push('event'));
  f.g.order = order;
  lib.onAbort(own.signal, f.run('() => { order.push("algo"); throw new Error("algo failed"); }'));
  f.logs.length = 0;
  own.abort();
  assert.deepEqual(order, ['algo', 'event']);
  assert.equal(own.signal.reason.name, 'AbortError');
  assert.match(f.logs[0].message, /algo failed/);
  assert.throws(() => lib.onAbort({}, () => {}), { message: kIllegal });
});

test('globals and prototypes look like workerd', () => {
  assert.deepEqual(json(`return [Object.getOwnPropertyNames(AbortSignal.prototype).sort(),
    Object.getOwnPropertyNames(AbortController.prototype).sort(),
    ['abort', 'any', 'timeout'].map((k) => typeof AbortSignal[k])]`),
  [['aborted', 'constructor', 'onabort', 'reason', 'throwIfAborted'],
    ['abort', 'constructor', 'signal'], ['function', 'function', 'function']]);
});
