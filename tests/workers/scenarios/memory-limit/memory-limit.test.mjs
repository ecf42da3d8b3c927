import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyOn, useWorker } from '../../harness/target.mjs';

// A worker that keeps allocating past the 128 MB isolate memory limit.
// Production: the isolate is reset and the request fails (Cloudflare "Exceeded Memory" /
// Error 1102 page). Blaze (issue): 503, the process survives and the next request succeeds.
// wrangler dev: no memory limit; the bomb (bounded at 1024 MiB) completes with 200.
const worker = useWorker(import.meta.url);

test('exceeding 128 MB fails the request with 503 and the next request succeeds', { skip: onlyOn('blaze', 'wrangler dev has no isolate memory limit') }, async () => {
  const res = await worker.fetch('/bomb', { signal: AbortSignal.timeout(20_000) });
  assert.equal(res.status, 503);
  await res.arrayBuffer();
  const ok = await worker.fetch('/ok');
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'still alive');
});

test('wrangler dev: the bomb is not stopped at 128 MB', { skip: onlyOn('wrangler', 'documents wrangler dev') }, async () => {
  const res = await worker.fetch('/bomb', { signal: AbortSignal.timeout(20_000) });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'allocated 1024 MiB without being stopped');
  assert.equal((await worker.fetch('/ok')).status, 200);
});
