// Request/Response bodies as ReadableStreams: stream bodies, echo of request.body, clone
// tees, disturbed/locked rules (messages observed in wrangler 4), fetch with a stream body.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

// Until these files are listed in manifest.txt (manifestWith is a no-op once they are).
const files = manifestWith(['streams_base.js', 'streams_readable.js', 'streams_bytes.js',
  'streams_writable.js', 'streams_pipe.js', 'streams_transform.js', 'text_streams.js']);

const { run, g, internal } = loadPrelude({ files });
const json = async (src) => JSON.parse(await run(`(async () => JSON.stringify(await (async () => { ${src} })()))()`));
const kUsed = 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.';
const kLocked = 'This ReadableStream is currently locked to a reader.';

test('body is a ReadableStream (null without a body), the same object each time', async () => {
  assert.deepEqual(await json(`const r = new Response('x'); const q = new Request('http://x', { method: 'POST', body: '' });
    return [r.body instanceof ReadableStream, r.body === r.body, q.body instanceof ReadableStream,
      new Response().body, new Response(null).body, new Request('http://x').body];`), [true, true, true, null, null, null]);
});

test('a ReadableStream body is read by text(), json() and arrayBuffer()', async () => {
  const stream = (parts) => `new ReadableStream({ start(c) { const e = new TextEncoder(); for (const p of ${JSON.stringify(parts)}) c.enqueue(e.encode(p)); c.close(); } })`;
  assert.equal(await run(`new Response(${stream(['chunk1,', 'chunk2'])}).text()`), 'chunk1,chunk2');
  assert.equal(await run(`new Response(${stream(['{"a":', '[1]}'])}).json().then((v) => v.a[0])`), 1);
  assert.equal(await run(`new Response(${stream(['h', 'é'])}).arrayBuffer().then((b) => b.byteLength)`), 3);
  assert.equal(await run(`new Request('http://x', { method: 'POST', body: ${stream(['req'])} }).text()`), 'req');
  assert.equal(await run(`(() => { const s = ${stream([])}; return new Response(s).body === s; })()`), true);
  assert.equal(run(`new Response(${stream(['x'])}).headers.get('content-type')`), null);
  await assert.rejects(run(`new Response(new ReadableStream({ start(c) { c.enqueue('str'); c.close(); } })).text()`),
    { name: 'TypeError', message: 'This ReadableStream did not return bytes.' });
});

test('the body stream can be read by hand, BYOB included, and then counts as used', async () => {
  assert.deepEqual(await json(`const r = new Response('hello'); const out = [r.bodyUsed];
    const rd = r.body.getReader(); out.push(r.bodyUsed); const { value } = await rd.read();
    out.push(new TextDecoder().decode(value), r.bodyUsed);
    const b = new Response('hello').body.getReader({ mode: 'byob' }); out.push([...(await b.read(new Uint8Array(3))).value]);
    return out;`), [false, false, 'hello', true, [104, 101, 108]]);
});

test('disturbed and locked bodies are refused with workerd\'s messages', async () => {
  await assert.rejects(run(`(() => { const r = new Response('x'); r.body.getReader(); return r.text(); })()`), { name: 'TypeError', message: kLocked });
  await assert.rejects(run(`(async () => { const r = new Response('x'); await r.text(); return r.text(); })()`), { name: 'TypeError', message: kUsed });
  await assert.rejects(run(`(async () => { const s = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); } }); await s.getReader().read(); return new Response(s); })()`),
    { name: 'TypeError', message: 'This ReadableStream is disturbed (has already been read from), and cannot be used as a body.' });
  assert.throws(() => run(`(() => { const s = new ReadableStream(); s.getReader(); return new Response(s); })()`), { name: 'TypeError', message: kLocked });
  assert.throws(() => run(`(() => { const r = new Response('x'); r.body.getReader(); return r.clone(); })()`), { message: kLocked });
  assert.throws(() => run(`(() => { const q = new Request('http://x', { method: 'POST', body: 'x' }); q.body.getReader(); return new Request(q); })()`), { message: kLocked });
});

test('request.body echoes into a Response, and new Request(request) takes the body', async () => {
  const req = internal.newRequest({ method: 'POST', url: 'https://w.test/', headers: [], body: run('new TextEncoder().encode("echo me")') });
  g.incoming = req;
  assert.deepEqual(await json(`const res = new Response(incoming.body); const t = await res.text(); return [t, incoming.bodyUsed, res.bodyUsed];`),
    ['echo me', true, true]);
  assert.deepEqual(await json(`const a = new Request('http://x', { method: 'POST', body: 'q' }); const b = new Request(a);
    return [a.bodyUsed, a.body !== null, b.bodyUsed, await b.text()];`), [true, true, false, 'q']);
});

test('clone tees the body: both read it, and the original gets a new stream', async () => {
  assert.deepEqual(await json(`const s = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([104, 105])); c.close(); } });
    const a = new Response(s); const b = a.clone();
    return [a.body === s, s.locked, await a.text(), await b.text()];`), [false, true, 'hi', 'hi']);
  assert.deepEqual(await json(`const a = new Request('http://x', { method: 'PUT', body: 'data' }); const b = a.clone();
    return [await b.text(), await a.text()];`), ['data', 'data']);
});

test('fetch reads a stream body fully and returns a stream over the bytes', async () => {
  let seen;
  const p = loadPrelude({ files, fetch: async (init) => {
    seen = init;
    return { status: 200, statusText: 'OK', headers: [], body: p.run('new Uint8Array([111, 107])'), url: init.url, redirected: false };
  } });
  assert.deepEqual(JSON.parse(await p.run(`(async () => { const body = new ReadableStream({ start(c) {
      c.enqueue(new TextEncoder().encode('a')); c.enqueue(new TextEncoder().encode('b')); c.close(); } });
    const res = await fetch('https://h.test/', { method: 'POST', body });
    return JSON.stringify([(await body.getReader().read()).done, res.body instanceof ReadableStream, await res.text()]); })()`)), [true, true, 'ok']);
  assert.equal(Buffer.from(seen.body).toString(), 'ab');
});

test('internal.readResponse reads a stream body to the end', async () => {
  const r = await internal.readResponse(run(`new Response(new ReadableStream({ async pull(c) {
    await null; c.enqueue(new TextEncoder().encode('late')); c.close(); } }), { status: 201 })`));
  assert.equal(r.status, 201);
  assert.ok(r.body instanceof g.Uint8Array);
  assert.equal(Buffer.from(r.body).toString(), 'late');
  await assert.rejects(internal.readResponse(run(`(() => { const r = new Response('x'); r.body.getReader(); return r; })()`)), { message: kLocked });
});

test('blob() and formData() go through blob.js/form_data.js when loaded', async () => {
  const hasBlob = run(`typeof Blob === 'function'`);
  if (hasBlob) {
    assert.equal(await run(`new Response('xyz', { headers: { 'content-type': 'text/x' } }).blob().then((b) => b.size + b.type)`), '3text/x');
    assert.equal(await run(`new Response(new Blob(['blob body'])).text()`), 'blob body');
  } else {
    await assert.rejects(run(`new Response('x').blob()`), (e) => e instanceof g.TypeError);
  }
});
