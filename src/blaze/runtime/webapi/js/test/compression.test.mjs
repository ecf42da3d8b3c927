// CompressionStream / DecompressionStream over the test host's node:zlib natives (the engine's
// are C++, engine/zlib_natives_test.cc): round trips in all three formats, interop with
// node:zlib in both directions, errors; and AbortSignal on Request and fetch.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

const files = manifestWith(['compression.js'], 'events.js');
const { run, g } = loadPrelude({ files });

// Pipes `bytes` (Node Buffer) in `chunk`-sized pieces through a (De)CompressionStream.
async function through(kind, format, bytes, chunk = 1000) {
  const out = await run(`(async (bytes, chunk) => {
    const s = new ${kind}(${JSON.stringify(format)});
    const w = s.writable.getWriter();
    const pieces = [];
    const reading = (async () => { const r = s.readable.getReader();
      for (;;) { const { value, done } = await r.read(); if (done) return;
        if (!(value instanceof Uint8Array)) throw new Error('not a Uint8Array');
        pieces.push(value); } })();
    const writing = (async () => {
      for (let i = 0; i < bytes.length; i += chunk) await w.write(bytes.subarray(i, i + chunk));
      await w.close(); })();
    await Promise.all([writing, reading]);
    const n = pieces.reduce((a, p) => a + p.length, 0); const all = new Uint8Array(n);
    let o = 0; for (const p of pieces) { all.set(p, o); o += p.length; } return all;
  })`)(toCtx(bytes), chunk);
  return Buffer.from(out);
}
const U8 = run('Uint8Array');
function toCtx(buf) { const u = new U8(buf.length); u.set(buf); return u; }

const sample = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(2000) +
  Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251).join(','));
const nodeCompress = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, 'deflate-raw': zlib.deflateRawSync };
const nodeDecompress = { gzip: zlib.gunzipSync, deflate: zlib.inflateSync, 'deflate-raw': zlib.inflateRawSync };

for (const format of ['gzip', 'deflate', 'deflate-raw']) {
  test(`${format}: round trip, and node:zlib reads our output`, async () => {
    const packed = await through('CompressionStream', format, sample);
    assert.ok(packed.length < sample.length / 4);
    assert.deepEqual(nodeDecompress[format](packed), sample);
    assert.deepEqual(await through('DecompressionStream', format, packed, 7), sample);
  });
  test(`${format}: decompresses node:zlib output`, async () => {
    assert.deepEqual(await through('DecompressionStream', format, nodeCompress[format](sample)), sample);
  });
}

test('unknown formats and missing arguments throw TypeError', () => {
  for (const src of ['new CompressionStream("br")', 'new DecompressionStream("GZIP")',
    'new CompressionStream()']) {
    assert.throws(() => run(src), (e) => e.name === 'TypeError', src);
  }
  assert.match(String(run('try { new CompressionStream("br") } catch (e) { e.message }')),
    /must be either 'deflate', 'deflate-raw' or 'gzip'/);
});

test('readable/writable are the stream pair, tags and receivers are checked', () => {
  assert.equal(run('const c = new CompressionStream("gzip"); c.readable instanceof ReadableStream && c.writable instanceof WritableStream'), true);
  assert.equal(run('Object.prototype.toString.call(new DecompressionStream("deflate"))'), '[object DecompressionStream]');
  assert.throws(() => run('Object.getOwnPropertyDescriptor(CompressionStream.prototype, "readable").get.call({})'));
});

test('corrupt and truncated input error the readable side with TypeError', async () => {
  await assert.rejects(through('DecompressionStream', 'gzip', Buffer.from('definitely not gzip')),
    (e) => e.name === 'TypeError' && e.message === 'Decompression failed.');
  const gz = zlib.gzipSync(sample);
  await assert.rejects(through('DecompressionStream', 'gzip', gz.subarray(0, gz.length - 10)),
    (e) => e.name === 'TypeError' && /incomplete data/.test(e.message));
});

test('non-BufferSource chunks are refused', async () => {
  const msg = await run(`(async () => { const s = new CompressionStream('gzip'); const w = s.writable.getWriter();
    s.readable.getReader().read().catch(() => {});
    try { await w.write('text'); return 'no error'; } catch (e) { return e.name; } })()`);
  assert.equal(msg, 'TypeError');
});

test('Response.body piped through CompressionStream and back', async () => {
  const text = await run(`(async () => {
    const gz = new Response('hello '.repeat(100)).body.pipeThrough(new CompressionStream('gzip'));
    const plain = new Response(gz).body.pipeThrough(new DecompressionStream('gzip'));
    return new Response(plain).text(); })()`);
  assert.equal(text, 'hello '.repeat(100));
});

test('CompressionStream is absent without host natives', () => {
  const bare = loadPrelude({ files, zlib: false });
  assert.equal(bare.run('typeof CompressionStream'), 'undefined');
});

// --- AbortSignal on Request and fetch ---

test('request.signal: given signal kept, a fresh never-aborted one otherwise', () => {
  assert.deepEqual(JSON.parse(run(`(() => { const c = new AbortController();
    const r = new Request('https://x/', { signal: c.signal });
    const plain = new Request('https://x/');
    const copy = new Request(r); const clone = r.clone();
    return JSON.stringify([r.signal === c.signal, copy.signal === c.signal, clone.signal === c.signal,
      plain.signal instanceof AbortSignal, plain.signal.aborted, plain.signal === plain.signal]); })()`)),
  [true, true, true, true, false, true]);
  assert.throws(() => run('new Request("https://x/", { signal: {} })'), (e) => e.name === 'TypeError');
  assert.equal(run('new Request("https://x/", { signal: null }).signal.aborted'), false);
});

test('incoming requests have a non-aborted signal', () => {
  const { internal, run: r2 } = loadPrelude();
  globalThis.__req = internal.newRequest({ method: 'GET', url: 'https://x/', headers: [], body: null });
  assert.equal(__req.signal.aborted, false);
  delete globalThis.__req;
  void r2;
});

test('fetch with an already aborted signal rejects with its reason, without calling the host', async () => {
  let calls = 0;
  const p = loadPrelude({ fetch: async () => { calls++; throw new Error('unreachable'); } });
  const out = await p.run(`(async () => { const out = [];
    try { await fetch('https://x/', { signal: AbortSignal.abort() }); } catch (e) { out.push(e.name, e instanceof DOMException); }
    try { await fetch('https://x/', { signal: AbortSignal.abort('why') }); } catch (e) { out.push(e); }
    const c = new AbortController(); c.abort(); const req = new Request('https://x/', { signal: c.signal });
    try { await fetch(req); } catch (e) { out.push(e.name); }
    return JSON.stringify(out); })()`);
  assert.deepEqual(JSON.parse(out), ['AbortError', true, 'why', 'AbortError']);
  assert.equal(calls, 0);
});

test('aborting during a fetch rejects at once and drops the host result', async () => {
  const server = http.createServer((req, res) => { setTimeout(() => res.end('late'), 300); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  try {
    const out = await run(`(async () => { const c = new AbortController();
      const t0 = Date.now(); setTimeout(() => c.abort(), 20);
      try { await fetch(${JSON.stringify(url)}, { signal: c.signal }); return 'resolved'; }
      catch (e) { return e.name + ':' + (Date.now() - t0 < 250); } })()`);
    assert.equal(out, 'AbortError:true');
    const timeout = await run(`(async () => {
      try { await fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(20) }); return 'resolved'; }
      catch (e) { return e.name; } })()`);
    assert.equal(timeout, 'TimeoutError');
    assert.equal(await run(`fetch(${JSON.stringify(url)}, { signal: new AbortController().signal }).then((r) => r.text())`), 'late');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
