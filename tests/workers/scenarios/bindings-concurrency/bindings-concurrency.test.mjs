// Two cores (blaze --threads 2; wrangler dev has one isolate) writing the same D1 row and KV key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url, { blazeArgs: ['--threads', '2'] });

test('200 concurrent increments of one D1 row all land; KV last write wins coherently', async () => {
  assert.equal((await worker.fetch('/setup')).status, 200);
  const total = 200;
  const inFlight = 20;
  let next = 0;
  const answers = [];
  async function client() {
    while (next < total) {
      const id = next++;
      const r = await worker.fetch(`/write?id=w${id}`);
      answers.push({ status: r.status, body: await r.json() });
    }
  }
  await Promise.all(Array.from({ length: inFlight }, client));
  assert.equal(answers.length, total);
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.equal(a.body.changes, 1);
    assert.equal(a.body.coherent, true);
  }
  const state = await (await worker.fetch('/state')).json();
  assert.equal(state.n, total);
  assert.match(state.last, /^w\d+$/);
});
