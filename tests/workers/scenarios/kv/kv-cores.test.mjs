// KV across cores: `blaze dev --threads 2` serves from two cores, each with its own isolate and
// its own KV read cache. A write acknowledged on one core must be what every later read sees,
// on either core (the per-namespace write generation). Under wrangler (one isolate) the same
// assertions pin that local KV is read-your-writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url, { blazeArgs: ['--threads', '2'] });

const get = async (path, init) => {
  const r = await worker.fetch(path, init);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
};

test('after a put returns, reads on every core see the new value', async () => {
  for (let round = 0; round < 15; round++) {
    await get('/put?key=hot', { method: 'POST', body: `round ${round}` });
    // Concurrent requests spread over both cores' listeners (SO_REUSEPORT).
    const seen = await Promise.all(Array.from({ length: 12 }, () => get('/get?key=hot')));
    assert.deepEqual(new Set(seen.map((s) => s.value)), new Set([`round ${round}`]), `round ${round}`);
  }
});

test('a delete is seen by every core at once', async () => {
  await get('/put?key=gone', { method: 'POST', body: 'here' });
  await Promise.all(Array.from({ length: 12 }, () => get('/get?key=gone')));  // cache it everywhere
  await get('/delete?key=gone');
  const seen = await Promise.all(Array.from({ length: 12 }, () => get('/get?key=gone')));
  assert.deepEqual(new Set(seen.map((s) => s.value)), new Set([null]));
});
