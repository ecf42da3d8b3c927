import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyOn, useWorker } from '../../harness/target.mjs';

// In production, passThroughOnException() makes an uncaught exception forward the request to the
// zone's origin. A dev server has no origin: wrangler dev ignores the call and answers exactly as
// for any uncaught exception (500 with the stack). Blaze has no origin either and does the same.
const worker = useWorker(import.meta.url);

test('calling passThroughOnException without throwing changes nothing', async () => {
  const res = await worker.fetch('/no-throw');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'handled normally');
});

test('with no origin, an exception after passThroughOnException is a 500', async () => {
  const res = await worker.fetch('/throw');
  assert.equal(res.status, 500);
  await res.arrayBuffer();
  assert.equal((await worker.fetch('/no-throw')).status, 200);
});

test('wrangler dev: the 500 body is the plain error stack, like any exception', { skip: onlyOn('wrangler', 'pins wrangler dev') }, async () => {
  const res = await worker.fetch('/throw', { headers: { 'user-agent': 'curl/8.0' } });
  assert.equal(res.status, 500);
  assert.match(await res.text(), /^Error: pass-through boom\n/);
});
