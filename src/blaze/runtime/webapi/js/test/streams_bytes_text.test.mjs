// Byte streams (BYOB reader, byobRequest, autoAllocateChunkSize, tee) and
// TextEncoderStream/TextDecoderStream, including characters split across chunks.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

// Until these files are listed in manifest.txt (manifestWith is a no-op once they are).
const files = manifestWith(['streams_base.js', 'streams_readable.js', 'streams_bytes.js',
  'streams_writable.js', 'streams_pipe.js', 'streams_transform.js', 'text_streams.js']);

const { run, g } = loadPrelude({ files });
const json = async (src) => JSON.parse(await run(`(async () => JSON.stringify(await (async () => { ${src} })()))()`));

test('byte stream: BYOB reads fill the caller\'s view from the queue', async () => {
  assert.deepEqual(await json(`const s = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
    const r = s.getReader({ mode: 'byob' }); const out = [];
    for (let i = 0; i < 3; i++) { const { value, done } = await r.read(new Uint8Array(3)); out.push([[...value], done]); }
    return out;`), [[[1, 2, 3], false], [[4, 5], false], [[], true]]);
});

test('byte stream: pull answers through byobRequest.respond, with min and typed views', async () => {
  assert.deepEqual(await json(`let n = 0; const s = new ReadableStream({ type: 'bytes', pull(c) {
      const v = c.byobRequest.view; v[0] = ++n; v[1] = ++n; c.byobRequest.respond(2); } });
    const r = s.getReader({ mode: 'byob' });
    const a = await r.read(new Uint8Array(4)); const b = await r.read(new Uint8Array(4), { min: 4 });
    const c = await r.read(new Uint16Array(1));
    return [[...a.value], [...b.value], c.value.constructor.name, c.value.length];`),
  [[1, 2], [3, 4, 5, 6], 'Uint16Array', 1]);
});

test('byte stream: default reader, autoAllocateChunkSize and respondWithNewView', async () => {
  assert.deepEqual(await json(`const s = new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 8, pull(c) {
      const v = c.byobRequest.view; v.set([7, 8, 9]); c.byobRequest.respondWithNewView(v.subarray(0, 3)); } });
    const r = s.getReader(); const { value } = await r.read(); return [value.constructor.name, [...value], value.buffer.byteLength];`),
  ['Uint8Array', [7, 8, 9], 8]);
  assert.equal(await run(`(async () => { const s = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2, 3])); c.close(); } });
    const out = []; for await (const v of s) out.push(v.join('')); return out.join('|'); })()`), '1|23');
});

test('byte stream errors', async () => {
  assert.throws(() => run(`new ReadableStream().getReader({ mode: 'byob' })`), { name: 'TypeError', message: 'This ReadableStream does not support BYOB reads.' });
  assert.throws(() => run(`new ReadableStream({ type: 'bytes', start(c) { c.enqueue('str'); } })`), (e) => e instanceof g.TypeError);
  assert.throws(() => run(`new ReadableStream({ type: 'bytes' }, { size() { return 1; } })`), (e) => e instanceof g.RangeError);
  await assert.rejects(run(`new ReadableStream({ type: 'bytes' }).getReader({ mode: 'byob' }).read(new Uint8Array(0))`), (e) => e instanceof g.TypeError);
  await assert.rejects(run(`new ReadableStream({ type: 'bytes', start(c) { c.error(new Error('berr')); } }).getReader({ mode: 'byob' }).read(new Uint8Array(1))`), { message: 'berr' });
});

test('byte stream tee: branches are byte streams with their own copies', async () => {
  assert.deepEqual(await json(`const s = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
    const [a, b] = s.tee(); const ra = a.getReader({ mode: 'byob' }); const x = await ra.read(new Uint8Array(8));
    x.value[0] = 99; const y = await b.getReader().read(); return [[...x.value], [...y.value]];`), [[99, 2], [1, 2]]);
});

async function pipeText(chunksSrc, stream) {
  return run(`(async () => { const src = new ReadableStream({ start(c) { for (const ch of ${chunksSrc}) c.enqueue(ch); c.close(); } });
    const out = []; for await (const v of src.pipeThrough(${stream})) out.push(v); return out; })()`);
}

test('TextDecoderStream: multi-byte characters split across chunks', async () => {
  // "é" = c3 a9, "😀" = f0 9f 98 80, split at every awkward place.
  const out = await pipeText(`[new Uint8Array([0x68, 0xc3]), new Uint8Array([0xa9, 0xf0, 0x9f]), new Uint8Array([0x98]), new Uint8Array([0x80, 0x21])]`,
    'new TextDecoderStream()');
  assert.equal([...out].join(''), 'hé😀!');
  assert.deepEqual([...out], ['h', 'é', '😀!']);
  assert.equal([...await pipeText(`[new Uint8Array([0xe2, 0x82])]`, 'new TextDecoderStream()')].join(''), '\ufffd');
  await assert.rejects(pipeText(`[new Uint8Array([0xff])]`, `new TextDecoderStream('utf-8', { fatal: true })`), (e) => e instanceof g.TypeError);
  await assert.rejects(pipeText(`['not bytes']`, 'new TextDecoderStream()'), (e) => e instanceof g.TypeError);
  assert.equal(run(`(() => { const d = new TextDecoderStream('utf8', { fatal: true }); return [d.encoding, d.fatal, d.ignoreBOM].join(); })()`), 'utf-8,true,false');
});

test('TextEncoderStream: surrogate pairs split across chunks, lone surrogate at the end', async () => {
  const bytes = (src) => run(`(async () => { const out = []; for (const u of await (${src})) out.push(...u); return out.join(); })()`);
  const run2 = (chunks) => `(async () => { const src = new ReadableStream({ start(c) { for (const ch of ${chunks}) c.enqueue(ch); c.close(); } });
    const out = []; for await (const v of src.pipeThrough(new TextEncoderStream())) out.push(v); return out; })()`;
  assert.equal(await bytes(run2(`['h\\u00e9', '\\ud83d', '\\ude00']`)), '104,195,169,240,159,152,128');
  assert.equal(await bytes(run2(`['a\\ud83d']`)), '97,239,191,189');
  assert.equal(await bytes(run2(`[42]`)), '52,50');
  assert.equal(run(`new TextEncoderStream().encoding`), 'utf-8');
  assert.equal(await run(`(async () => { let s = ''; const src = new ReadableStream({ start(c) { c.enqueue('añb'); c.close(); } });
    for await (const v of src.pipeThrough(new TextEncoderStream()).pipeThrough(new TextDecoderStream())) s += v; return s; })()`), 'añb');
});
