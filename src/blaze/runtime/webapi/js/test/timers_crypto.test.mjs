// Timers, queueMicrotask, crypto and DOMException.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude } from '../testing/prelude_loader.mjs';

const tick = () => new Promise((r) => setImmediate(r));

test('setTimeout passes extra arguments, returns numeric ids, and can be cleared', async () => {
  const p = loadPrelude();
  p.run(`globalThis.out = []; globalThis.id1 = setTimeout((a, b) => out.push(a + b), 0, 'x', 'y');
         globalThis.id2 = setTimeout(() => out.push('cleared'), 0); clearTimeout(id2);
         clearTimeout(12345); clearTimeout(undefined);`);
  assert.equal(typeof p.run('id1'), 'number');
  assert.notEqual(p.run('id1'), p.run('id2'));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(p.run('out.join()'), 'xy');
  assert.equal(p.pendingTimers(), 0);
});

test('setInterval repeats until cleared; negative and NaN delays mean 0', async () => {
  const p = loadPrelude();
  p.run(`globalThis.n = 0; globalThis.iv = setInterval(() => { if (++n === 3) clearInterval(iv); }, -5);
         setTimeout(() => { globalThis.nanFired = true; }, NaN);`);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(p.run('n'), 3);
  assert.equal(p.run('nanFired'), true);
  assert.equal(p.pendingTimers(), 0);
});

test('timer callback exceptions are reported, not thrown into the host', async () => {
  const p = loadPrelude();
  p.run(`setTimeout(() => { throw new Error('in timer'); }, 0);`);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(p.logs.length, 1);
  assert.equal(p.logs[0].level, 'error');
  assert.match(p.logs[0].message, /^Uncaught Error: in timer/);
});

test('timer and microtask argument errors match workerd', () => {
  const { run } = loadPrelude();
  assert.throws(() => run(`setTimeout('code', 1)`), /TypeError/);
  assert.throws(() => run(`setInterval()`), /TypeError/);
  assert.throws(() => run(`queueMicrotask('x')`), /TypeError/);
});

test('queueMicrotask runs in order before timers and reports exceptions', async () => {
  const p = loadPrelude();
  p.run(`globalThis.order = []; setTimeout(() => order.push('timer'), 0);
         queueMicrotask(() => order.push('m1')); queueMicrotask(() => { throw new TypeError('mt'); });
         queueMicrotask(() => order.push('m2')); order.push('sync');`);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(p.run('order.join()'), 'sync,m1,m2,timer');
  assert.equal(p.logs.length, 1);
  assert.match(p.logs[0].message, /^Uncaught TypeError: mt/);
});

test('crypto.getRandomValues fills integer arrays in place and enforces the quota', () => {
  const { run, g } = loadPrelude();
  assert.equal(run(`(() => { const a = new Uint8Array(64); return crypto.getRandomValues(a) === a && a.some((x) => x !== 0); })()`), true);
  for (const T of ['Int8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array']) {
    assert.equal(run(`crypto.getRandomValues(new ${T}(4)).length`), 4, T);
  }
  assert.equal(run(`crypto.getRandomValues(new Uint8Array(65536)).length`), 65536);
  assert.throws(() => run(`crypto.getRandomValues(new Uint8Array(65537))`), (e) =>
    e.name === 'QuotaExceededError' && e.code === 22 && e instanceof g.DOMException &&
    e.message === 'getRandomValues() only accepts buffers of size <= 64K but provided 65537 bytes.');
  for (const bad of ['new Float32Array(1)', 'new Float64Array(1)', 'new DataView(new ArrayBuffer(1))']) {
    assert.throws(() => run(`crypto.getRandomValues(${bad})`), (e) => e.name === 'TypeMismatchError' && e.code === 17, bad);
  }
  assert.throws(() => run(`crypto.getRandomValues([1, 2])`), (e) => e instanceof g.TypeError);
  // A view into the middle of a buffer only touches its own bytes.
  assert.equal(run(`(() => { const b = new Uint8Array(8); crypto.getRandomValues(new Uint8Array(b.buffer, 2, 4)); return b[0] === 0 && b[1] === 0 && b[6] === 0 && b[7] === 0; })()`), true);
  assert.throws(() => run('new Crypto()'), /TypeError/);
});

test('crypto.randomUUID returns distinct RFC 4122 version 4 UUIDs', () => {
  const { run } = loadPrelude();
  const ids = JSON.parse(run(`JSON.stringify(Array.from({ length: 200 }, () => crypto.randomUUID()))`));
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
});

test('DOMException has name, code, message, constants and Error.prototype in its chain', () => {
  const { run } = loadPrelude();
  assert.equal(run(`(() => { const e = new DOMException('m', 'DataCloneError');
    return [e.name, e.code, e.message, DOMException.DATA_CLONE_ERR, e instanceof Error,
      Object.getPrototypeOf(DOMException.prototype) === Error.prototype, String(e),
      new DOMException().name, new DOMException('x', 'Custom').code, DOMException.URL_MISMATCH_ERR,
      DOMException.INVALID_CHARACTER_ERR, Object.prototype.toString.call(e)].join('|'); })()`),
  'DataCloneError|25|m|25|true|true|DataCloneError: m|Error|0|21|5|[object DOMException]');
});

test('DOMException has the legacy constants of its names, on the class and its prototype', () => {
  const { run } = loadPrelude();
  const ours = JSON.parse(run(`JSON.stringify(Object.fromEntries(Object.keys(DOMException)
    .filter((k) => k.endsWith('_ERR'))
    .map((k) => [k, [DOMException[k], DOMException.prototype[k]]])))`));
  // Node, like browsers, also keeps the constants of four names DOMException no longer has.
  const historical = ['DOMSTRING_SIZE_ERR', 'NO_DATA_ALLOWED_ERR', 'INUSE_ATTRIBUTE_ERR',
    'VALIDATION_ERR'];
  const expected = Object.fromEntries(Object.keys(DOMException)
    .filter((k) => k.endsWith('_ERR') && !historical.includes(k))
    .map((k) => [k, [DOMException[k], DOMException[k]]]));
  assert.equal(Object.keys(expected).length, 21);
  assert.deepEqual(ours, expected);
});

test('navigator, self and the host global', () => {
  const { run, internal } = loadPrelude();
  assert.equal(run('navigator.userAgent'), 'Cloudflare-Workers');
  assert.equal(run('self === globalThis'), true);
  assert.equal(run('typeof __blazeHost'), 'undefined');
  assert.equal(run('"__blazeHost" in globalThis'), false);
  for (const name of ['newRequest', 'readResponse', 'newExecutionContext', 'formatLog']) {
    assert.equal(typeof internal[name], 'function', name);
  }
  // Every name the prelude defines is a non-enumerable, writable, configurable global.
  assert.equal(run('Object.keys(globalThis).length'), 0);
  for (const name of ['fetch', 'Headers', 'Request', 'Response', 'URL', 'URLSearchParams', 'TextEncoder',
    'TextDecoder', 'atob', 'btoa', 'console', 'crypto', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'queueMicrotask', 'structuredClone', 'navigator', 'self', 'DOMException']) {
    const d = run(`Object.getOwnPropertyDescriptor(globalThis, ${JSON.stringify(name)})`);
    assert.ok(d && d.writable && d.configurable && !d.enumerable, name);
  }
});
