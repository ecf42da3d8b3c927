import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

// Two cores under Blaze: the requests spread over two isolates, as in production.
const worker = useWorker(import.meta.url, { blazeArgs: ['--threads', '2'] });

const kTotal = 200;
const kInFlight = 20;

test(`${kTotal} requests with ${kInFlight} in flight all succeed with their own bodies`, async () => {
  let next = 0;
  const failures = [];
  async function lane() {
    while (next < kTotal) {
      const id = String(next++);
      const res = await worker.fetch(`/echo?id=${id}&delay=${Number(id) % 7}`, {
        method: 'POST', body: `body-${id}`, headers: { 'x-id': id },
      });
      const got = await res.json();
      if (res.status !== 200 || res.headers.get('x-id') !== id ||
          got.id !== id || got.body !== `body-${id}` || got.header !== id) {
        failures.push({ id, status: res.status, got });
      }
    }
  }
  await Promise.all(Array.from({ length: kInFlight }, lane));
  assert.equal(next, kTotal);
  assert.deepEqual(failures, []);
  const stats = await (await worker.fetch('/stats')).json();
  assert.equal(stats.inFlight, 0);
  // Requests really overlapped inside the worker (not serialized one at a time).
  assert.ok(stats.maxInFlight > 1, `max in flight was ${stats.maxInFlight}`);
});
