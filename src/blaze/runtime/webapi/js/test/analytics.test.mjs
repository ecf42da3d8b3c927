// analytics.js over a fake host: workerd's conversions of writeDataPoint's event, what is sent
// to bindingCall (bindings/analytics_binding.h), and how a refused point is reported.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fakeBindingHost, loadPrelude } from '../testing/prelude_loader.mjs';

function setup(reply = () => null) {
  const env = loadPrelude();
  const calls = fakeBindingHost(env, reply);
  env.g.VITALS = env.internal.makeBinding('analytics', 1);
  return { ...env, calls };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test('writeDataPoint returns undefined at once and sends the converted event', async () => {
  const { run, calls } = setup();
  assert.equal(run(`VITALS.writeDataPoint({ indexes: [7], blobs: ['a', 42, null, undefined, new Uint8Array([104, 105]), { a: 1 }],
    doubles: ['1.5', null, 'abc', Infinity, true], extra: 1 })`), undefined);
  assert.deepEqual(calls.map((c) => [c.handle, c.op, c.args, c.buffers]), [[1, 'write', {
    indexes: ['7'],
    blobs: ['a', '42', null, null, { $buffer: 0 }, '[object Object]'],
    doubles: [1.5, 0, 'NaN', 'Infinity', 1],
  }, ['hi']]]);
  run(`VITALS.writeDataPoint()`);
  run(`VITALS.writeDataPoint(null)`);
  run(`VITALS.writeDataPoint(Object.create({ blobs: ['inherited'] }))`);
  assert.deepEqual(calls.slice(1).map((c) => c.args), [{}, {}, { blobs: ['inherited'] }]);
});

test('argument errors are TypeErrors thrown at once, with workerd\'s messages', () => {
  const { run, calls } = setup();
  const error = (code) => run(`(() => { try { ${code}; return 'ok'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()`);
  const notEvent = "TypeError: Failed to execute 'writeDataPoint' on 'AnalyticsEngine': parameter 1 is not of type 'AnalyticsEngineEvent'.";
  assert.equal(error(`VITALS.writeDataPoint('x')`), notEvent);
  assert.equal(error(`VITALS.writeDataPoint(5)`), notEvent);
  for (const [field, value] of [['blobs', "'abc'"], ['blobs', 'null'], ['blobs', "new Set(['a'])"], ['doubles', '5'], ['indexes', '{}']]) {
    assert.equal(error(`VITALS.writeDataPoint({ ${field}: ${value} })`),
      `TypeError: Incorrect type for the '${field}' field on 'AnalyticsEngineEvent': the provided value is not of type 'Array'.`);
  }
  assert.equal(error(`VITALS.writeDataPoint({ doubles: [10n] })`), 'TypeError: Cannot convert a BigInt value to a number');
  assert.equal(calls.length, 0);
});

test('a point the host refuses is logged as an uncaught TypeError', async () => {
  const { run, logs } = setup(() => Object.assign(new Error('writeDataPoint(): Maximum of 20 blobs supported.'), { code: 'InvalidArgument' }));
  assert.equal(run(`VITALS.writeDataPoint({ blobs: Array(21).fill('x') })`), undefined);
  await settle();
  assert.equal(logs.length, 1);
  assert.equal(logs[0].level, 'error');
  assert.match(logs[0].message, /^Uncaught TypeError: writeDataPoint\(\): Maximum of 20 blobs supported\./);
});

test('the binding object is an AnalyticsEngine', () => {
  const { run } = setup();
  assert.deepEqual(JSON.parse(run(`JSON.stringify([Object.prototype.toString.call(VITALS), typeof VITALS.writeDataPoint, VITALS.writeDataPoint.length])`)),
    ['[object AnalyticsEngine]', 'function', 0]);
});
