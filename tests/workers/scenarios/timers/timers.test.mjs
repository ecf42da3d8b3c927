import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('a handler awaiting a 50 ms timer responds after the timer', async () => {
  const started = Date.now();
  const res = await worker.fetch('/sleep');
  assert.equal(res.status, 200);
  // Workers freeze Date.now() between I/O events; time still advances across a timer await.
  assert.deepEqual(await res.json(), { slept: true, elapsedAtLeast50: true });
  assert.ok(Date.now() - started >= 50);
});

test('clearTimeout cancels a pending timer', async () => {
  assert.deepEqual(await (await worker.fetch('/clear')).json(), { fired: false, idType: 'number' });
});

test('setInterval ticks until clearInterval', async () => {
  assert.deepEqual(await (await worker.fetch('/interval')).json(), { ticks: 3 });
});

test('microtasks run before timers; queueMicrotask and promise jobs share one FIFO queue', async () => {
  assert.deepEqual(await (await worker.fetch('/order')).json(), { order: ['sync', 'microtask', 'promise', 'timeout'] });
});

test('setTimeout passes extra arguments to the callback', async () => {
  assert.deepEqual(await (await worker.fetch('/args')).json(), { got: ['x', 2] });
});
