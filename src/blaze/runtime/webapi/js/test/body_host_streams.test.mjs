// Streamed bodies at the engine boundary: host bodies (a streamed upload, a fetch body still
// arriving) read through host.readBody(handle) only as the worker pulls, and
// internal.readResponseStreaming choosing bytes, a passed-through host handle, or a chunk reader.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude } from '../testing/prelude_loader.mjs';

// A fake host body: `chunks` (strings) then the end; records every call.
function hostBodies(p, chunks, options = {}) {
  const calls = [];
  const queue = [...chunks];
  p.host.readBody = (handle) => {
    calls.push(['read', handle]);
    if (options.failAfter !== undefined && calls.length > options.failAfter) {
      return Promise.reject(new (p.run('TypeError'))('the client disconnected'));
    }
    const next = queue.shift();
    return Promise.resolve(next === undefined ? null : p.run(`new TextEncoder()`).encode(next));
  };
  p.host.cancelBody = (handle) => calls.push(['cancel', handle]);
  return calls;
}

const upload = (p, handle = 7) => p.internal.newRequest({ method: 'POST', url: 'https://w.test/',
  headers: [], body: null, bodyHandle: handle });

test('a streamed upload is read from the host chunk by chunk, and only when the worker reads', async () => {
  const p = loadPrelude();
  const calls = hostBodies(p, ['one', 'two', 'three']);
  const request = upload(p);
  assert.equal(calls.length, 0);
  p.g.request = request;
  const seen = await p.run(`(async () => { const r = request.body.getReader(); const out = [];
    for (;;) { const { value, done } = await r.read(); if (done) break; out.push(new TextDecoder().decode(value)); }
    return out.join('|'); })()`);
  assert.equal(seen, 'one|two|three');
  assert.deepEqual(calls, [['read', 7], ['read', 7], ['read', 7], ['read', 7]]);
  assert.equal(request.bodyUsed, true);
});

test('text() of a streamed upload concatenates it; a broken upload errors the stream', async () => {
  const p = loadPrelude();
  hostBodies(p, ['ab', 'cd']);
  assert.equal(await upload(p).text(), 'abcd');
  const q = loadPrelude();
  hostBodies(q, ['ab', 'cd'], { failAfter: 1 });
  await assert.rejects(upload(q).text(), { name: 'TypeError', message: 'the client disconnected' });
});

test('cancelling request.body tells the host', async () => {
  const p = loadPrelude();
  const calls = hostBodies(p, ['x']);
  p.g.request = upload(p, 9);
  await p.run('request.body.cancel("enough")');
  assert.deepEqual(calls, [['cancel', 9]]);
});

test('readResponseStreaming passes an untouched host body through as its handle', () => {
  const p = loadPrelude();
  const calls = hostBodies(p, ['never read']);
  p.g.request = upload(p, 11);
  const head = p.internal.readResponseStreaming(p.run('new Response(request.body, { status: 201 })'));
  assert.equal(head.status, 201);
  assert.equal(head.bodyHandle, 11);
  assert.equal(head.reader, undefined);
  assert.equal(p.run('request.body.locked'), true); // the host reads it now, not the worker
  assert.equal(calls.length, 0);
});

test('a host body the worker has started reading can only go on through JS', async () => {
  const p = loadPrelude();
  hostBodies(p, ['a', 'b', 'c']);
  p.g.request = upload(p);
  await p.run(`(async () => { const r = request.body.getReader(); await r.read(); r.releaseLock(); })()`);
  assert.throws(() => p.run('new Response(request.body)'), (e) => e instanceof p.g.TypeError);
  const head = p.internal.readResponseStreaming(p.run('new Response(request.body.pipeThrough(new TransformStream()))'));
  assert.equal(head.bodyHandle, undefined);
  const text = [];
  for (let chunk = await head.reader.next(); chunk !== null; chunk = await head.reader.next()) {
    text.push(Buffer.from(chunk).toString());
  }
  assert.deepEqual(text, ['b', 'c']);
});

test('readResponseStreaming gives byte bodies at once, without a promise', () => {
  const p = loadPrelude();
  const head = p.internal.readResponseStreaming(p.run(`new Response(new TextEncoder().encode('héllo'), { headers: { 'x-a': '1' } })`));
  assert.ok(head.body instanceof p.g.Uint8Array);
  assert.equal(Buffer.from(head.body).toString(), 'héllo');
  assert.deepEqual(JSON.parse(JSON.stringify(head.headers)), [['x-a', '1']]);
  assert.equal(p.internal.readResponseStreaming(p.run('new Response(null, { status: 204 })')).body, null);
});

test('readResponseStreaming gives a string body as the string (the engine encodes it)', async () => {
  const p = loadPrelude();
  const head = p.internal.readResponseStreaming(p.run(`new Response('héllo', { headers: { 'x-a': '1' } })`));
  assert.equal(head.body, 'héllo');
  assert.deepEqual(JSON.parse(JSON.stringify(head.headers)), [['x-a', '1'], ['content-type', 'text/plain;charset=UTF-8']]);
  const json = p.internal.readResponseStreaming(p.run('Response.json({ a: [1, "é"] })'));
  assert.equal(json.body, '{"a":[1,"é"]}');
  // Once read (or its stream taken), a string body is bytes like any other.
  const read = p.run(`(() => { const r = new Response('abc'); r.clone(); void r.body; return r; })()`);
  const streamed = await p.internal.readResponseStreaming(read);
  assert.ok(streamed.body instanceof p.g.Uint8Array);
  assert.equal(Buffer.from(streamed.body).toString(), 'abc');
});

test('bodies known up front (a Blob, another response\'s body) come whole, as a promise', async () => {
  const p = loadPrelude();
  for (const src of [`new Response(new Blob(['blob bytes']))`, `new Response(new Response('blob bytes').body)`]) {
    const head = await p.internal.readResponseStreaming(p.run(src));
    assert.equal(Buffer.from(head.body).toString(), 'blob bytes', src);
    assert.equal(head.reader, undefined);
  }
});

test('a worker stream is read one chunk per next(), and cancel() reaches its source', async () => {
  const p = loadPrelude();
  p.run(`globalThis.pulls = 0; globalThis.cancelled = null;
    globalThis.res = new Response(new ReadableStream({
      pull(c) { pulls++; c.enqueue(new TextEncoder().encode('chunk' + pulls)); },
      cancel(reason) { cancelled = String(reason); } }));`);
  const head = p.internal.readResponseStreaming(p.g.res);
  const { next, cancel } = head.reader;
  assert.equal(Buffer.from(await next()).toString(), 'chunk1');
  assert.equal(Buffer.from(await next()).toString(), 'chunk2');
  assert.ok(p.run('pulls') <= 3, 'no reading ahead beyond the queue');
  await cancel(new (p.run('TypeError'))('The client disconnected.'));
  assert.equal(p.run('cancelled'), 'TypeError: The client disconnected.');
});

test('a worker stream that errors or yields non-bytes rejects next()', async () => {
  const p = loadPrelude();
  const failing = p.internal.readResponseStreaming(p.run(`new Response(new ReadableStream({
    start(c) { c.enqueue(new Uint8Array([1])); }, pull(c) { c.error(new Error('boom')); } }))`));
  assert.equal((await failing.reader.next()).length, 1);
  await assert.rejects(failing.reader.next(), { message: 'boom' });
  const strings = p.internal.readResponseStreaming(p.run(`new Response(new ReadableStream({
    start(c) { c.enqueue('text'); } }))`));
  await assert.rejects(strings.reader.next(), { name: 'TypeError', message: 'This ReadableStream did not return bytes.' });
});

test('readResponseStreaming refuses non-Responses and used bodies synchronously', () => {
  const p = loadPrelude();
  assert.throws(() => p.internal.readResponseStreaming({}), (e) => e instanceof p.g.TypeError &&
    e.message === 'Incorrect type for Promise: the Promise did not resolve to \'Response\'.');
  assert.throws(() => p.internal.readResponseStreaming(p.run(`(() => { const r = new Response('x'); r.text(); return r; })()`)),
    /already been used/);
});

test('a fetched response whose body is still arriving reads it from the host', async () => {
  const p = loadPrelude({ fetch: async () => ({ status: 200, statusText: 'OK', headers: [], body: null,
    bodyHandle: 21, url: 'https://o.test/', redirected: false }) });
  const calls = hostBodies(p, ['from ', 'origin']);
  assert.equal(await p.run(`fetch('https://o.test/').then((r) => r.text())`), 'from origin');
  assert.deepEqual(calls.map((c) => c[1]), [21, 21, 21]);
  // ...and `return fetch(url)` passes it through untouched.
  const q = loadPrelude({ fetch: async () => ({ status: 200, statusText: 'OK', headers: [], body: null,
    bodyHandle: 22, url: 'https://o.test/', redirected: false }) });
  hostBodies(q, []);
  const head = q.internal.readResponseStreaming(await q.run(`fetch('https://o.test/')`));
  assert.equal(head.bodyHandle, 22);
});
