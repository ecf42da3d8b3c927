// The Cache API (`caches.default`, `caches.open`): shapes, argument errors, what put() keeps
// (Cache-Control, Expires, status, Set-Cookie, Authorization), how match() answers (HIT
// headers, 304, 206/416), delete(), expiry and the cache-through pattern. Every route's JSON is
// compared with expected.json, recorded from wrangler dev 4.86 (workerd's Cache over
// Miniflare's cache storage).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);
const expected = JSON.parse(readFileSync(new URL('./expected.json', import.meta.url), 'utf8'));

async function get(path) {
  const r = await worker.fetch(path);
  const text = await r.text();
  assert.equal(r.status, 200, `${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

// One test per route; a failure names the case that differs.
for (const route of Object.keys(expected)) {
  test(`${route} answers as wrangler dev does`, async () => {
    const actual = await get(route);
    for (const [name, want] of Object.entries(expected[route])) {
      assert.deepEqual(actual[name], want, `${route} ${name}`);
    }
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected[route]).sort());
  });
}

test('entries expire after their max-age; s-maxage wins over max-age', async () => {
  assert.deepEqual(await get('/ttl/put'), { short: 'hit' });
  await new Promise((r) => setTimeout(r, 2200)); // lifetimes are whole seconds
  assert.deepEqual(await get('/ttl/get'), {
    short: 'miss', sMaxage: 'hit', sMaxageShort: 'miss', deleteExpired: false,
  });
});

test('a cached response returned by the worker reaches the client with the HIT headers', async () => {
  const id = `${Date.now()}`;
  const first = await worker.fetch(`/through?id=${id}`);
  assert.equal(await first.text(), `computed ${id}`);
  assert.equal(first.headers.get('cf-cache-status'), null);
  // The put runs in waitUntil: the next request may come before it is done.
  const deadline = Date.now() + 5000;
  let second;
  do {
    second = await worker.fetch(`/through?id=${id}`);
    if (second.headers.get('cf-cache-status') === 'HIT') break;
    await second.text();
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  assert.equal(second.headers.get('cf-cache-status'), 'HIT');
  assert.equal(second.headers.get('age'), '0');
  assert.equal(second.headers.get('x-origin'), 'worker');
  assert.equal(second.headers.get('cache-control'), 'max-age=60');
  assert.match(second.headers.get('date'), /GMT$/);
  assert.equal(await second.text(), `computed ${id}`);
});
