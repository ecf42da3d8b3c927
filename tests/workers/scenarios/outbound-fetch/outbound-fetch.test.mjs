import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Origin } from '../../harness/origin.mjs';
import { freePort, onlyOn, useWorker } from '../../harness/target.mjs';

// Production difference: a deployed Worker cannot fetch 127.0.0.1 (or any bare IP); this
// scenario only makes sense against a local runtime. See README.
const worker = useWorker(import.meta.url);
const origin = new Origin();
before(() => origin.start());
after(() => origin.stop());

const q = () => `origin=${origin.port}`;

test('GET reads status, body and headers from the origin', async () => {
  const got = await (await worker.fetch(`/get?${q()}`)).json();
  assert.deepEqual(got, {
    status: 200, body: 'hello from origin', xOrigin: 'yes', contentType: 'text/plain',
    cookies: ['a=1; Path=/', 'b=2; Path=/'],
  });
});

test('POST sends method, headers and body', async () => {
  const got = await (await worker.fetch(`/post?${q()}`)).json();
  assert.deepEqual(got, {
    status: 200,
    echoed: { method: 'POST', contentType: 'application/json', custom: 'from-worker', body: '{"hello":"origin"}' },
  });
});

test('the incoming request body can be streamed to the origin', async () => {
  const res = await worker.fetch(`/post-request-body?${q()}`, { method: 'POST', body: 'streamed through' });
  assert.equal((await res.json()).echoed.body, 'streamed through');
});

test('redirects are followed by default', async () => {
  const got = await (await worker.fetch(`/redirect-follow?${q()}`)).json();
  assert.deepEqual(got, {
    status: 200, redirected: true, url: `http://127.0.0.1:${origin.port}/hello`, body: 'hello from origin',
  });
});

test('redirect: "manual" returns the 3xx with its Location', async () => {
  const got = await (await worker.fetch(`/redirect-manual?${q()}`)).json();
  assert.deepEqual(got, { status: 302, location: '/hello' });
});

test('an origin Response can be returned as is', async () => {
  const res = await worker.fetch(`/proxy?${q()}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-origin'), 'yes');
  assert.equal(await res.text(), 'hello from origin');
});

async function refused() {
  const closedPort = await freePort(); // bound and released: nothing listens there
  const res = await worker.fetch(`/refused?origin=${closedPort}`);
  assert.equal(res.status, 200);
  return res.json();
}

test('connection refused rejects with an Error the worker can catch', async () => {
  const got = await refused();
  assert.equal(got.caught, true);
  assert.equal(got.isError, true);
});

// The Fetch standard (and the issue) says a network error rejects with TypeError.
test('connection refused rejects with a TypeError', { skip: onlyOn('blaze', 'workerd rejects with a plain Error') }, async () => {
  const got = await refused();
  assert.equal(got.isTypeError, true, `got ${got.name}: ${got.message}`);
});

// Pins what workerd (wrangler dev) does today, so a change is noticed.
test('wrangler dev: connection refused is "Error: Network connection lost."', { skip: onlyOn('wrangler', 'documents workerd') }, async () => {
  const got = await refused();
  assert.deepEqual({ name: got.name, message: got.message, isTypeError: got.isTypeError },
    { name: 'Error', message: 'Network connection lost.', isTypeError: false });
});
