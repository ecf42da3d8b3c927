import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyOn, useWorker } from '../../harness/target.mjs';

// What a client sees for an uncaught exception differs between runtimes (see README):
//  - production Cloudflare: 500 "Internal Server Error", text/html "Error 1101 Worker threw
//    exception" page, no stack trace;
//  - wrangler dev: 500 with an EMPTY reason phrase; the error's stack as text/plain, or a Youch
//    HTML page when the client looks like a browser (Accept has text/html or */*, and the
//    User-Agent does not contain "curl/").
// The shared assertions therefore check only the status and that the worker keeps serving.
const worker = useWorker(import.meta.url);

for (const path of ['/throw', '/reject', '/throw-string', '/not-a-response']) {
  test(`${path} answers 500 and the worker keeps serving`, async () => {
    const res = await worker.fetch(path);
    assert.equal(res.status, 500);
    await res.arrayBuffer();
    const ok = await worker.fetch('/ok');
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'ok');
  });
}

test('an exception caught inside the worker is an ordinary response', async () => {
  const res = await worker.fetch('/caught');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'caught SyntaxError');
});

const kWranglerOnly = onlyOn('wrangler', 'pins wrangler dev\'s error pages, which production does not show');

test('wrangler dev: non-browser clients get the stack as text/plain', { skip: kWranglerOnly }, async () => {
  const res = await worker.fetch('/throw', { headers: { 'user-agent': 'curl/8.0', accept: '*/*' } });
  assert.equal(res.status, 500);
  assert.equal(res.statusText, '');
  assert.equal(res.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert.match(await res.text(), /^Error: boom from worker\n {4}at /);
});

test('wrangler dev: browser-like clients get a text/html pretty error page', { skip: kWranglerOnly }, async () => {
  const res = await worker.fetch('/throw', { headers: { 'user-agent': 'Mozilla/5.0', accept: 'text/html' } });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get('content-type'), 'text/html;charset=utf-8');
  const html = await res.text();
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /boom from worker/);
});

test('wrangler dev: a non-Response return value is a 500 naming the type error', { skip: kWranglerOnly }, async () => {
  const res = await worker.fetch('/not-a-response', { headers: { 'user-agent': 'curl/8.0' } });
  assert.equal(res.status, 500);
  assert.match(await res.text(), /^TypeError: Incorrect type for Promise: the Promise did not resolve to 'Response'\./);
});
