// Blob and File, and the lib functions body.js / form_data.js use. Expected values and
// messages were observed in workerd (wrangler 4.86.0, compatibility_date 2025-01-01).
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

const kFiles = ['events.js', 'abort.js', 'blob.js'];
const p = loadPrelude({ files: manifestWith(kFiles) });
const { run } = p;
const json = (src) => JSON.parse(run(`JSON.stringify((() => { ${src} })())`));
const ajson = async (src) => JSON.parse(await run(`(async () => JSON.stringify(await (async () => { ${src} })()))()`));
const kIllegal = /^Illegal invocation: function called with incorrect `this` reference/;

test('Blob concatenates strings, buffers, views and Blobs', async () => {
  const r = await ajson(`const b = new Blob(['héllo', new Uint8Array([65, 66]),
      new Uint16Array([0x4443]).buffer, new Blob(['Z']),
      new DataView(new Uint8Array([0, 69, 0]).buffer, 1, 1)], { type: 'Text/Plain;Charset=UTF-8' });
    return [b.size, b.type, await b.text(), String(b), Object.prototype.toString.call(await b.arrayBuffer()),
      Object.prototype.toString.call(await b.bytes())];`);
  assert.deepEqual(r, [12, 'text/plain;charset=utf-8', 'hélloABCDZE', '[object Blob]',
    '[object ArrayBuffer]', '[object Uint8Array]']);
});

test('Blob parts: other values are stringified, empty and undefined parts are fine', async () => {
  assert.deepEqual(await ajson(`return [await new Blob([1, null, undefined, {}, true]).text(),
    new Blob().size, new Blob().type, new Blob([]).size, new Blob(undefined).size,
    new Blob(['ab'.split('')][0]).size, await new Blob().text()];`),
  ['1nullundefined[object Object]true', 0, '', 0, 0, 2, '']);
});

test('Blob copies its input', async () => {
  assert.equal(await run(`(async () => { const u = new Uint8Array([65, 66]); const b = new Blob([u]);
    u[0] = 67; return b.text(); })()`), 'AB');
  assert.deepEqual(await ajson(`const b = new Blob(['ab']); const x = await b.arrayBuffer();
    const y = await b.arrayBuffer(); new Uint8Array(x)[0] = 0; const u = await b.bytes(); u[1] = 0;
    return [x === y, await b.text(), x.byteLength, u.byteOffset, u.buffer.byteLength];`),
  [false, 'ab', 2, 0, 2]);
});

test('Blob constructor errors match workerd', () => {
  const notArray = 'Failed to construct \'Blob\': constructor parameter 1 is not of type \'Array\'.';
  for (const src of ['new Blob(null)', 'new Blob("abc")', 'new Blob(5)', 'new Blob({})',
    'new Blob(new Set(["a"]))', 'new Blob({ length: 1, 0: "x" })']) {
    assert.throws(() => run(src), { name: 'TypeError', message: notArray }, src);
  }
  assert.throws(() => run('new Blob([], 5)'), { name: 'TypeError',
    message: 'Failed to construct \'Blob\': constructor parameter 2 is not of type \'Options\'.' });
  for (const endings of ['native', 'transparent', 'bad']) {
    assert.throws(() => run(`new Blob(['a\\n'], { endings: '${endings}' })`),
      { name: 'Error', message: 'The \'endings\' field on \'Options\' is not implemented.' });
  }
  assert.equal(run('new Blob([], null).type'), '');
  assert.throws(() => run('Blob()'), { name: 'TypeError' });
});

test('Blob type: lower-cased, emptied by characters outside U+0020..U+007F', () => {
  const types = ['', 'A/B', 'a/b\u0001', 'é', 'a b', ' TEXT/HTML ', 'x\u007f', '\u00ff', 5];
  const got = types.map((t) => p.g.Blob ? run(`new Blob([], { type: ${JSON.stringify(t)} }).type`) : null);
  assert.deepEqual(got, ['', 'a/b', '', '', 'a b', ' text/html ', 'x\u007f', '', '5']);
});

test('slice follows workerd: relative indices, truncation, int32 range', async () => {
  const cases = [[[], [10, '', '0123456789']], [[2], [8, '', '23456789']], [[2, 5], [3, '', '234']],
    [[-3], [3, '', '789']], [[-3, -1], [2, '', '78']], [[5, 2], [0, '', '']],
    [[-100, 100], [10, '', '0123456789']], [[3, undefined, 'A/B'], [7, 'a/b', '3456789']],
    [[1.7, 4.2], [3, '', '123']], [['NaN', 'NaN'], [0, '', '']], [['"2"', '"4"'], [2, '', '23']],
    [[0, 10, 'é'], [10, '', '0123456789']], [[2, -20], [0, '', '']],
    [['Infinity'], [10, '', '0123456789']], [['-Infinity', 3], [3, '', '012']]];
  for (const [args, expected] of cases) {
    const list = args.map((a) => (a === undefined ? 'undefined' : typeof a === 'string' &&
      !a.startsWith('"') && a !== 'NaN' && !a.includes('Infinity') ? JSON.stringify(a) : String(a))).join(', ');
    const r = await ajson(`const x = new Blob(['0123456789'], { type: 'T/x' }).slice(${list});
      return [x.size, x.type, await x.text()];`);
    assert.deepEqual(r, expected, list);
  }
  assert.deepEqual(await ajson(`const b = new Blob(['abc', new Blob(['def', 'ghi']), 'jkl']);
    return [await b.slice(2, 10).text(), await b.slice(2, 10).slice(1, -1).text()];`),
  ['cdefghij', 'defghi']);
  assert.throws(() => run('new Blob(["abc"]).slice(1, 2 ** 40)'), { name: 'TypeError',
    message: 'Value out of range. Must be between -2147483648 and 2147483647 (inclusive).' });
});

test('text() decodes with replacement and keeps a BOM (workerd)', async () => {
  assert.equal(await run('new Blob([new Uint8Array([0xff, 0x41])]).text()'), '\ufffdA');
  assert.equal(await run('new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41])]).text()'), '\ufeffA');
  // Deviation from workerd (which writes WTF-8): lone surrogates are USVString-converted.
  assert.deepEqual(await ajson(`const b = new Blob(['a\\ud800b']);
    return [b.size, Array.from(await b.bytes())];`), [5, [97, 0xef, 0xbf, 0xbd, 98]]);
});

test('methods check their receiver synchronously', () => {
  assert.throws(() => run('Object.getOwnPropertyDescriptor(Blob.prototype, "size").get.call({})'),
    { name: 'TypeError', message: kIllegal });
  assert.throws(() => run('Blob.prototype.text.call({})'), { name: 'TypeError', message: kIllegal });
  assert.throws(() => run('Blob.prototype.arrayBuffer.call(1)'), { message: kIllegal });
  assert.throws(() => run('Object.getOwnPropertyDescriptor(File.prototype, "name").get.call(new Blob())'),
    { message: kIllegal });
});

test('stream() yields the bytes as one chunk (workerd) when streams are loaded', async () => {
  const f = loadPrelude({ files: manifestWith(kFiles) });
  if (typeof f.host.lib.ReadableStream !== 'function') return; // streams not in the manifest yet
  assert.deepEqual(JSON.parse(await f.run(`(async () => {
    const read = async (s) => { const r = s.getReader(); const out = [];
      for (;;) { const { done, value } = await r.read(); if (done) return out;
        out.push([Object.prototype.toString.call(value), Array.from(value)]); } };
    const b = new Blob(['ab', 'cd']);
    const s = b.stream();
    return JSON.stringify([s instanceof ReadableStream, await read(s), await read(new Blob([]).stream()),
      await b.text()]); })()`)),
  [true, [['[object Uint8Array]', [97, 98, 99, 100]]], [], 'abcd']);
});

test('stream() without any ReadableStream throws a TypeError', () => {
  const f = loadPrelude({ files: manifestWith(kFiles) });
  delete f.host.lib.ReadableStream;
  f.run('delete globalThis.ReadableStream');
  assert.throws(() => f.run('new Blob(["ab"]).stream()'), { name: 'TypeError', message: /ReadableStream/ });
  // The global is used when lib has none (a stand-in here).
  f.run(`globalThis.ReadableStream = class { constructor(src) { this.chunks = [];
    src.start({ enqueue: (c) => this.chunks.push(c), close: () => { this.closed = true; } }); } }`);
  assert.deepEqual(JSON.parse(f.run(`JSON.stringify((() => { const s = new Blob(['ab']).stream();
    return [s.closed, s.chunks.map((c) => Array.from(c))]; })())`)), [true, [[97, 98]]]);
});

test('File has name and lastModified and is a Blob', async () => {
  assert.deepEqual(await ajson(`const f = new File(['ab', new Blob(['c'])], 'na/me.txt',
      { type: 'TEXT/plain', lastModified: 42 });
    return [f.name, f.size, f.type, f.lastModified, await f.text(), f instanceof Blob, String(f),
      Object.getOwnPropertyNames(File.prototype).sort(), Object.prototype.toString.call(f.slice(0, 1)),
      f.slice(1).type, f.slice(0, 1).name];`),
  ['na/me.txt', 3, 'text/plain', 42, 'abc', true, '[object File]', ['constructor', 'lastModified', 'name'],
    '[object Blob]', '', null]); // a slice is a plain Blob: no name
  assert.deepEqual(json(`return [new File(['a'], 5).name, new File(['a'], undefined).name,
    new File(['a'], null).name, new File([], 'x', { lastModified: 'abc' }).lastModified,
    new File([], 'x', { lastModified: 1.9 }).lastModified, new File([], 'x', { lastModified: -5 }).lastModified,
    new File([], 'x', { lastModified: new Date(7) }).lastModified, new File([], 'x').size]`),
  ['5', 'undefined', 'null', 0, 1.9, -5, 7, 0]);
  const before = Date.now();
  const lm = run('new File([], "x").lastModified');
  assert.ok(lm >= before && lm <= Date.now());
  for (const src of ['new File()', 'new File(["a"])']) {
    assert.throws(() => run(src), { name: 'TypeError',
      message: 'Failed to construct \'File\': constructor parameter 2 is not of type \'string\'.' });
  }
  assert.throws(() => run('new File("a", "n")'), { name: 'TypeError',
    message: 'Failed to construct \'File\': constructor parameter 1 is not of type \'Array\'.' });
});

test('lib.newBlob, lib.newFile, lib.isBlob, lib.blobBytes, lib.blobType', async () => {
  const lib = p.host.lib;
  const U8 = run('Uint8Array');
  const bytes = U8.from([104, 105]);
  const b = lib.newBlob(bytes, 'Text/Plain; Charset=UTF-8');
  assert.equal(b.type, 'Text/Plain; Charset=UTF-8'); // stored as given
  assert.equal(await b.text(), 'hi');
  assert.equal(lib.blobBytes(b), bytes); // shared, no copy
  assert.equal(lib.blobType(b), 'Text/Plain; Charset=UTF-8');
  assert.equal(lib.isBlob(b), true);
  assert.equal(lib.isBlob({}), false);
  assert.equal(lib.isBlob(null), false);
  assert.equal(lib.newBlob(new U8(0)).type, '');
  const f = lib.newFile(U8.from([1]), 'a.bin', 'Image/PNG', 9);
  assert.deepEqual([f.name, f.type, f.lastModified, f.size, lib.isFile(f), lib.isBlob(f),
    lib.isFile(b)], ['a.bin', 'Image/PNG', 9, 1, true, true, false]);
  assert.equal(typeof lib.newFile(new U8(0), 'x').lastModified, 'number');
  assert.equal(lib.normalizeBlobType('A/B'), 'a/b');
  assert.throws(() => lib.blobBytes({}), { message: kIllegal });
});
