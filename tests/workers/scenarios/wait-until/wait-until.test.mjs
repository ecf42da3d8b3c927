import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('the response arrives before waitUntil work finishes; a later request sees it finished', async () => {
  const started = Date.now();
  const res = await worker.fetch('/start?id=job1');
  const elapsed = Date.now() - started;
  const body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.state, 'pending');
  assert.ok(elapsed < body.workMs, `response took ${elapsed} ms, waitUntil work takes ${body.workMs} ms`);

  // Poll (bounded) until the background work has recorded completion.
  const deadline = Date.now() + 5000;
  let state;
  while (Date.now() < deadline) {
    state = (await (await worker.fetch('/status?id=job1')).json()).state;
    if (state === 'done') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(state, 'done');
});

test('a rejected waitUntil promise does not affect the response or later requests', async () => {
  const res = await worker.fetch('/rejected');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'still fine');
  assert.equal((await worker.fetch('/status?id=nope')).status, 200);
});
