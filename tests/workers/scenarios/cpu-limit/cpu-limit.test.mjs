import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyOn, useWorker } from '../../harness/target.mjs';

// `[limits] cpu_ms = 50` and a `while (true) {}` route.
// Production: the request is killed with Cloudflare's "Error 1102 Worker exceeded resource limits"
// (503). Blaze (issue): 503, and the same worker keeps serving other requests.
// wrangler dev: does NOT enforce cpu_ms; the request never answers and the single workerd isolate
// is wedged, so every later request to the worker hangs too (until the dev server is killed).
const worker = useWorker(import.meta.url);

test('a runaway loop is stopped with 503 and the worker keeps serving', { skip: onlyOn('blaze', 'wrangler dev does not enforce cpu_ms') }, async () => {
  const res = await worker.fetch('/loop', { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 503);
  await res.arrayBuffer();
  const ok = await worker.fetch('/ok');
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'still alive');
});

// Runs last in this file: it leaves wrangler's isolate spinning until the harness kills it.
test('wrangler dev: the loop is not stopped (no answer within 3 s)', { skip: onlyOn('wrangler', 'documents wrangler dev') }, async () => {
  assert.equal((await worker.fetch('/ok')).status, 200);
  await assert.rejects(worker.fetch('/loop', { signal: AbortSignal.timeout(3000) }), { name: 'TimeoutError' });
  await assert.rejects(worker.fetch('/ok', { signal: AbortSignal.timeout(1000) }), { name: 'TimeoutError' });
});
