import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('method, url and headers are visible to the worker', async () => {
  const res = await worker.fetch('/?q=1#frag', { method: 'DELETE', headers: { 'x-custom': 'v1' } });
  assert.equal(res.status, 200);
  const got = await res.json();
  assert.equal(got.method, 'DELETE');
  // The fragment is never sent over HTTP; the query is.
  assert.equal(got.url, worker.url('/?q=1'));
  assert.equal(got.custom, 'v1');
});

test('body as text', async () => {
  const res = await worker.fetch('/text', { method: 'POST', body: 'héllo wörld', headers: { 'content-type': 'text/plain' } });
  const got = await res.json();
  assert.equal(got.method, 'POST');
  assert.equal(got.body, 'héllo wörld');
  assert.equal(got.contentType, 'text/plain');
});

test('body as json', async () => {
  const value = { a: [1, 2, { b: null }], s: 'x' };
  const res = await worker.fetch('/json', { method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
  assert.deepEqual((await res.json()).value, value);
});

test('invalid json body rejects with SyntaxError', async () => {
  const res = await worker.fetch('/bad-json', { method: 'POST', body: '{nope' });
  assert.deepEqual(await res.json(), { error: 'SyntaxError' });
});

test('body as arrayBuffer keeps binary bytes', async () => {
  const res = await worker.fetch('/array-buffer', { method: 'POST', body: new Uint8Array([0, 1, 254, 255]) });
  assert.deepEqual(await res.json(), { isArrayBuffer: true, bytes: [0, 1, 254, 255] });
});

test('clone gives two independent readable bodies', async () => {
  const res = await worker.fetch('/clone', { method: 'POST', body: 'twice' });
  assert.deepEqual(await res.json(), { a: 'twice', b: 'twice', bodyUsed: true, copyUsed: true });
});

test('reading a body twice throws TypeError', async () => {
  const res = await worker.fetch('/body-used', { method: 'POST', body: 'once' });
  assert.deepEqual(await res.json(), { secondRead: 'TypeError' });
});

test('GET request has a null body', async () => {
  const res = await worker.fetch('/no-body');
  assert.equal((await res.json()).body, null);
});

test('Request constructor with init', async () => {
  const res = await worker.fetch('/construct');
  assert.deepEqual(await res.json(), {
    method: 'PUT', url: 'https://example.com/a?b=1', header: 'yes', body: 'payload', redirect: 'follow',
  });
});
