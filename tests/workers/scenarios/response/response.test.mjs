import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('string body gets text/plain;charset=UTF-8', async () => {
  const res = await worker.fetch('/string');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert.equal(await res.text(), 'plain string');
});

test('null body with 204', async () => {
  const res = await worker.fetch('/null-body');
  assert.equal(res.status, 204);
  assert.equal(await res.text(), '');
});

test('Uint8Array and ArrayBuffer bodies', async () => {
  const bytes = await worker.fetch('/bytes');
  assert.equal(bytes.headers.get('content-type'), 'application/octet-stream');
  assert.equal(await bytes.text(), 'hi');
  assert.equal(await (await worker.fetch('/array-buffer')).text(), 'from buffer');
});

test('ReadableStream bodies', async () => {
  assert.equal(await (await worker.fetch('/stream')).text(), 'chunk1,chunk2');
});

test('custom status, statusText and headers reach the client', async () => {
  const res = await worker.fetch('/status');
  assert.equal(res.status, 418);
  assert.equal(res.statusText, 'I Am A Teapot');
  assert.equal(res.headers.get('x-a'), '1');
  assert.equal(await res.text(), 'teapot');
});

test('Response.json sets status, content-type and extra headers', async () => {
  const res = await worker.fetch('/json');
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.headers.get('x-extra'), 'e');
  assert.deepEqual(await res.json(), { ok: true, n: 1 });
});

test('Response.redirect with explicit and default status', async () => {
  const res = await worker.fetch('/redirect', { redirect: 'manual' });
  assert.equal(res.status, 301);
  assert.equal(res.headers.get('location'), 'https://example.com/target');
  const def = await worker.fetch('/redirect-default', { redirect: 'manual' });
  assert.equal(def.status, 302);
  assert.equal(def.headers.get('location'), 'https://example.com/default');
});

test('clone duplicates body, status and headers', async () => {
  const res = await worker.fetch('/clone');
  assert.equal(res.status, 202);
  assert.equal(res.headers.get('x-c'), 'c');
  assert.equal(await res.text(), 'cloned body|cloned body');
});

test('property defaults and invalid statuses', async () => {
  const got = await (await worker.fetch('/props')).json();
  assert.deepEqual(got, {
    ok: true, // ok means 200..299
    // workerd (dev and production alike) fills a default statusText from the status class;
    // the Fetch spec says ''. Blaze follows workerd. See README.
    status: 299, statusText: 'Successful', statusTextOf200: 'OK', bodyUsed: false,
    bad: ['199:RangeError', '600:RangeError'], redirectBad: 'RangeError', okOf404: false,
    jsonType: 'application/json', textType: 'text/plain;charset=UTF-8',
  });
});
