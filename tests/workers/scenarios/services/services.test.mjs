// Service bindings: `env.AUTH.fetch()` runs another worker of the same dev session in-process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url, { extraConfigs: ['auth/wrangler.toml'] });

test('the bound worker answers with its own env, status and headers', async () => {
  const good = await (await worker.fetch('/verify', { headers: { authorization: 'Bearer good' } })).json();
  assert.deepEqual(good, { status: 200, body: { ok: true, role: 'auth' }, xAuth: 'checked' });
  const bad = await (await worker.fetch('/verify')).json();
  assert.equal(bad.status, 401);
});

test('method, URL, headers and body reach the bound worker', async () => {
  const r = await worker.fetch('/echo');
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { method: 'POST', url: 'https://auth.internal/echo?q=1',
    body: 'payload', header: 'gateway' });
});

test('an exception in the bound worker answers the caller with a 500 naming the error', async () => {
  const r = await worker.fetch('/boom');
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.resolved, 500);
  assert.equal(body.type, 'application/json');
  const error = JSON.parse(body.body);
  assert.equal(error.name, 'Error');
  assert.equal(error.message, 'auth exploded');
  assert.match(error.stack, /auth exploded/);
  assert.equal((await (await worker.fetch('/verify')).json()).status, 401, 'the gateway keeps serving');
});

test('a service binding is a Fetcher', async () => {
  assert.deepEqual(await (await worker.fetch('/shape')).json(), { type: 'function', tag: '[object Fetcher]' });
});
