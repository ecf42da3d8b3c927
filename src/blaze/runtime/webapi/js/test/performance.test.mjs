// performance.now() and performance.timeOrigin, as workerd exposes them (wrangler 4.86.0):
// timeOrigin 0, now() the same epoch milliseconds as Date.now(), read from the host clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

const kFiles = ['events.js', 'performance.js'];

test('now() reads the host clock; timeOrigin is 0', () => {
  let clock = 1795881533967;
  const { run } = loadPrelude({ files: manifestWith(kFiles), now: () => clock });
  assert.equal(run('performance.now()'), 1795881533967);
  clock += 20.5;
  assert.equal(run('performance.now()'), 1795881533987.5);
  assert.equal(run('performance.timeOrigin'), 0);
  assert.equal(run('performance.timeOrigin + performance.now()'), clock);
});

test('the object looks like workerd\'s', () => {
  const { run } = loadPrelude({ files: manifestWith(kFiles) });
  assert.deepEqual(JSON.parse(run(`JSON.stringify([Object.prototype.toString.call(performance),
    Object.getOwnPropertyNames(Object.getPrototypeOf(performance)).sort(),
    Object.getOwnPropertyNames(performance), typeof Performance, typeof performance.mark,
    Object.getPrototypeOf(performance).constructor.name,
    Object.getOwnPropertyDescriptor(globalThis, 'performance').enumerable])`)),
  ['[object Performance]', ['constructor', 'now', 'timeOrigin'], [], 'undefined', 'undefined',
    'Performance', false]);
  assert.throws(() => run('new (Object.getPrototypeOf(performance).constructor)()'),
    { name: 'TypeError', message: 'Illegal constructor' });
  assert.throws(() => run('performance.now.call({})'), { name: 'TypeError', message: /^Illegal invocation/ });
  const t = run('performance.now()');
  assert.ok(Math.abs(t - Date.now()) < 1000);
});
