// FormData, lib.parseFormData and lib.serializeFormData. Expected values and messages were
// observed in workerd (wrangler 4.86.0, compatibility_date 2025-01-01) through
// new Response(formData) and Response.formData(), and are pinned here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

const kFiles = ['events.js', 'abort.js', 'blob.js', 'form_data.js'];
const p = loadPrelude({ files: manifestWith(kFiles) });
const { run } = p;
const lib = p.host.lib;
const json = (src) => JSON.parse(run(`JSON.stringify((() => { ${src} })())`));
const kIllegal = /^Illegal invocation: function called with incorrect `this` reference/;

// Describes a FormData's entries as plain JSON (files as {name, type, text}).
p.run(`globalThis.describe = (fd) => Array.from(fd, ([k, v]) => [k, typeof v === 'string' ? v :
  { file: Object.prototype.toString.call(v), name: v.name, type: v.type, size: v.size,
    text: new TextDecoder().decode(globalThis.__bytes(v)) }]);`);
p.g.__bytes = (blob) => lib.blobBytes(blob);
const describe = (expr) => JSON.parse(run(`JSON.stringify(describe(${expr}))`));

test('append keeps order, converts Blobs to Files named like workerd', () => {
  const r = describe(`(() => { const f = new FormData(); f.append('a', '1');
    f.append('b', new Blob(['xy'], { type: 'T/P' })); f.append('c', new Blob(['z']), 'n.txt');
    f.append('d', new File(['q'], 'orig.bin', { lastModified: 5 }));
    f.append('e', new File(['q'], 'orig.bin'), 'renamed'); f.append('a', 2); return f; })()`);
  assert.deepEqual(r, [
    ['a', '1'],
    ['b', { file: '[object File]', name: 'b', type: 't/p', size: 2, text: 'xy' }],
    ['c', { file: '[object File]', name: 'n.txt', type: '', size: 1, text: 'z' }],
    ['d', { file: '[object File]', name: 'orig.bin', type: '', size: 1, text: 'q' }],
    ['e', { file: '[object File]', name: 'renamed', type: '', size: 1, text: 'q' }],
    ['a', '2'],
  ]);
  assert.deepEqual(json(`const f = new FormData(); const file = new File(['a'], 'x.txt', { lastModified: 3 });
    f.append('a', file); f.append('b', file, 'y.txt'); const b = new Blob(['q'], { type: 'a/b' });
    f.append('c', b); f.append('s', 'v', 'ignored.txt');
    return [f.get('a') === file, f.get('b') === file, f.get('b').name, f.get('c') === b,
      f.get('c').type, f.get('c') instanceof File, f.get('s')];`),
  [true, false, 'y.txt', false, 'a/b', true, 'v']);
});

test('get, getAll, has, set and delete', () => {
  assert.deepEqual(json(`const f = new FormData(); f.append('a', '1'); f.append('b', '2');
    f.append('a', '3'); f.append('c', '4');
    const got = [f.get('a'), f.get('zz'), f.getAll('a'), f.getAll('zz'), f.has('a'), f.has('zz')];
    f.set('a', 'X'); const s1 = [...f]; f.set('new', 'N'); f.delete('b'); f.delete('nothing');
    return [got, s1, [...f], [...f.keys()], [...f.values()]];`), [
    ['1', null, ['1', '3'], [], true, false],
    [['a', 'X'], ['b', '2'], ['c', '4']],
    [['a', 'X'], ['c', '4'], ['new', 'N']], ['a', 'c', 'new'], ['X', '4', 'N'],
  ]);
});

test('names and values are converted to USVString', () => {
  assert.deepEqual(json(`const f = new FormData(); f.append(1, null); f.append('u', undefined);
    f.append('o', {}); f.append('s\\ud800', 'v\\udc00'); f.append('nl', 'a\\nb\\rc\\r\\nd');
    return [...f];`), [['1', 'null'], ['u', 'undefined'], ['o', '[object Object]'],
    ['s\ufffd', 'v\ufffd'], ['nl', 'a\nb\rc\r\nd']]);
});

test('iteration is live and iterators are tagged like workerd', () => {
  assert.deepEqual(json(`const f = new FormData(); f.append('a', '1'); f.append('b', '2');
    f.append('c', '3'); const out = [];
    for (const [k] of f) { out.push(k); if (k === 'a') f.delete('a'); if (k === 'c') f.append('d', '4'); }
    return out;`), ['a', 'c', 'd']);
  assert.deepEqual(json(`const f = new FormData(); const t = (x) => Object.prototype.toString.call(x);
    const it = f.entries();
    return [t(it), t(f.keys()), t(f.values()), t(f[Symbol.iterator]()), typeof it.next,
      it[Symbol.iterator]() === it, it.next()];`),
  ['[object EntryIterator]', '[object KeyIterator]', '[object ValueIterator]',
    '[object EntryIterator]', 'function', true, { done: true }]);
});

test('forEach passes value, name, the FormData and thisArg', () => {
  assert.deepEqual(json(`const f = new FormData(); f.append('a', '1'); f.append('b', '2');
    const out = []; const self = { x: 1 };
    f.forEach(function (v, k, p) { out.push([v, k, p === f, this === self]); }, self); return out;`),
  [['1', 'a', true, true], ['2', 'b', true, true]]);
});

test('argument errors match workerd; the constructor ignores its argument', () => {
  const cases = [
    ['new FormData().append("a")', 'Failed to execute \'append\' on \'FormData\': parameter 2 is not of type \'File or Blob or string\'.'],
    ['new FormData().append()', 'Failed to execute \'append\' on \'FormData\': parameter 1 is not of type \'string\'.'],
    ['new FormData().set("a")', 'Failed to execute \'set\' on \'FormData\': parameter 2 is not of type \'File or Blob or string\'.'],
    ['new FormData().get()', 'Failed to execute \'get\' on \'FormData\': parameter 1 is not of type \'string\'.'],
    ['new FormData().getAll()', 'Failed to execute \'getAll\' on \'FormData\': parameter 1 is not of type \'string\'.'],
    ['new FormData().has()', 'Failed to execute \'has\' on \'FormData\': parameter 1 is not of type \'string\'.'],
    ['new FormData().delete()', 'Failed to execute \'delete\' on \'FormData\': parameter 1 is not of type \'string\'.'],
    ['new FormData().forEach()', 'Failed to execute \'forEach\' on \'FormData\': parameter 1 is not of type \'function\'.'],
    ['new FormData().forEach(5)', 'Failed to execute \'forEach\' on \'FormData\': parameter 1 is not of type \'function\'.'],
  ];
  for (const [src, message] of cases) assert.throws(() => run(src), { name: 'TypeError', message }, src);
  for (const arg of ['5', '{}', 'undefined', 'null']) assert.equal(run(`[...new FormData(${arg})].length`), 0);
  assert.throws(() => run('FormData.prototype.append.call({}, "a", "b")'), { message: kIllegal });
  assert.deepEqual(json(`return [String(new FormData()), Object.getOwnPropertyNames(FormData.prototype).sort()]`),
    ['[object FormData]', ['append', 'constructor', 'delete', 'entries', 'forEach', 'get', 'getAll',
      'has', 'keys', 'set', 'values']]);
});

// ---- lib.serializeFormData ---------------------------------------------------------------

function serialize(src) {
  const fd = run(src);
  const { bytes, contentType } = lib.serializeFormData(fd);
  const m = /^multipart\/form-data; boundary=([0-9a-f]{32})$/.exec(contentType);
  assert.ok(m, contentType);
  return Buffer.from(bytes).toString('latin1').split(m[1]).join('BND');
}

test('serialization matches workerd byte for byte', () => {
  const body = serialize(`(() => { const f = new FormData(); f.append('a', 'v1');
    f.append('f"\\n%', new Blob(['bin'], { type: 'image/png' }), 'x"y\\nz%.png');
    f.append('g', new Blob(['blobnotype'])); f.append('t\\nx', 'v\\r\\ny\\nz\\rw'); return f; })()`);
  assert.equal(body,
    '--BND\r\nContent-Disposition: form-data; name="a"\r\n\r\nv1\r\n' +
    '--BND\r\nContent-Disposition: form-data; name="f%22%0A%"; filename="x%22y%0Az%.png"\r\n' +
    'Content-Type: image/png\r\n\r\nbin\r\n' +
    '--BND\r\nContent-Disposition: form-data; name="g"; filename="g"\r\n' +
    'Content-Type: application/octet-stream\r\n\r\nblobnotype\r\n' +
    '--BND\r\nContent-Disposition: form-data; name="t%0Ax"\r\n\r\nv\r\ny\nz\rw\r\n--BND--');
  assert.equal(serialize('new FormData()'), '--BND--');
  // UTF-8 throughout; a File without a type is sent as application/octet-stream.
  assert.equal(Buffer.from(serialize(`(() => { const f = new FormData(); f.append('é', 'ü');
    f.append('f', new File(['x'], 'ñ.txt')); return f; })()`), 'latin1').toString('utf8'),
  '--BND\r\nContent-Disposition: form-data; name="é"\r\n\r\nü\r\n--BND\r\nContent-Disposition: ' +
    'form-data; name="f"; filename="ñ.txt"\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n--BND--');
});

test('serialization escapes CR as %0D (HTML Standard; workerd leaves it raw)', () => {
  assert.equal(serialize(`(() => { const f = new FormData(); f.append('a\\rb', new File(['x'], 'c\\rd', { type: 't/x' })); return f; })()`),
    '--BND\r\nContent-Disposition: form-data; name="a%0Db"; filename="c%0Dd"\r\nContent-Type: t/x\r\n\r\nx\r\n--BND--');
});

test('boundaries are random; binary file bytes pass through', () => {
  const fd = run(`(() => { const f = new FormData(); f.append('b', new Blob([new Uint8Array([0, 255, 13, 10])])); return f; })()`);
  const a = lib.serializeFormData(fd);
  const b = lib.serializeFormData(fd);
  assert.notEqual(a.contentType, b.contentType);
  const parsed = lib.parseFormData(a.bytes, a.contentType);
  assert.deepEqual([...lib.blobBytes(parsed.get('b'))], [0, 255, 13, 10]);
  assert.throws(() => lib.serializeFormData({}), { message: kIllegal });
  assert.equal(lib.isFormData(fd), true);
  assert.equal(lib.isFormData({}), false);
});

// ---- lib.parseFormData -------------------------------------------------------------------

const U8 = run('Uint8Array');
const enc = (s) => U8.from(Buffer.from(s, 'utf8'));
function parse(contentType, body) {
  p.g.__fd = lib.parseFormData(typeof body === 'string' ? enc(body) : body, contentType);
  return describe('__fd');
}
const part = (hdrs, content, b = 'B') => `--${b}\r\n${hdrs}\r\n\r\n${content}\r\n`;
const cd = (params) => `Content-Disposition: form-data; ${params}`;
const kMP = 'multipart/form-data; boundary=B';

test('multipart: fields and files, workerd shapes', () => {
  assert.deepEqual(parse('multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nhello\r\n' +
    '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="t.txt"\r\nContent-Type: Text/Plain\r\n\r\nfile content\r\n' +
    '--XyZ\r\ncontent-disposition: form-data; name="e"; filename=""\r\n\r\n\r\n--XyZ--\r\n'), [
    ['a', 'hello'],
    ['f', { file: '[object File]', name: 't.txt', type: 'Text/Plain', size: 12, text: 'file content' }],
    ['e', ''],
  ]);
  const file = (name, type, text) => ({ file: '[object File]', name, type, size: Buffer.byteLength(text), text });
  const cases = [
    ['multipart/form-data; boundary="a b;c"', part(cd('name="x"'), 'v', 'a b;c') + '--a b;c--', [['x', 'v']]],
    ['Multipart/Form-Data; Boundary=B; charset=utf-8', part(cd('name="x"'), 'v') + '--B--', [['x', 'v']]],
    [kMP, part(cd('name="x"; filename=""'), 'data') + '--B--', [['x', 'data']]],
    [kMP, part(cd('name="x"; filename="a.bin"'), 'data') + '--B--', [['x', file('a.bin', '', 'data')]]],
    // filename* is ignored (workerd; RFC 7578 section 4.2 says not to use it).
    [kMP, part(cd("name=\"x\"; filename*=UTF-8''%C3%A9.txt"), 'data') + '--B--', [['x', 'data']]],
    [kMP, part(cd("name=\"x\"; filename=\"plain.txt\"; filename*=UTF-8''%C3%A9.txt"), 'data') + '--B--',
      [['x', file('plain.txt', '', 'data')]]],
    // Backslash escapes are honoured, percent sequences are not decoded.
    [kMP, part(cd('name="a\\"b%22c%0Ad"; filename="q\\\\w%22.txt"'), 'data') + '--B--',
      [['a"b%22c%0Ad', file('q\\w%22.txt', '', 'data')]]],
    [kMP, 'preamble text\r\n' + part(cd('name="x"'), 'v') + '--B--\r\nepilogue', [['x', 'v']]],
    [kMP, '--B\nContent-Disposition: form-data; name="x"\n\nv\n--B--', [['x', 'v']]],
    [kMP, '--B--', []],
    [kMP, '--B--\r\n', []],
    [kMP, part(cd('name="x"'), '\r\nline1\r\nline2\r\n') + '--B--', [['x', '\r\nline1\r\nline2\r\n']]],
    [kMP, part(cd('name="x"'), 'a--Bc') + '--B--', [['x', 'a--Bc']]],
    [kMP, part('content-disposition:form-data;name="x"  ;  filename="y"\r\ncontent-type:  Image/PNG  ', 'v') + '--B--',
      [['x', file('y', 'Image/PNG  ', 'v')]]],
    [kMP, part(cd('name="é名"; filename="ü.txt"'), 'ä') + '--B--', [['é名', file('ü.txt', '', 'ä')]]],
    [kMP, part(cd('name="x"'), '1') + part(cd('name="x"'), '2') + '--B--', [['x', '1'], ['x', '2']]],
    [kMP, part(cd('name="x"'), '') + '--B--', [['x', '']]],
  ];
  for (const [ct, body, expected] of cases) assert.deepEqual(parse(ct, body), expected, body);
});

test('multipart: binary content and invalid UTF-8 in fields', () => {
  const head = Buffer.from('--B\r\nContent-Disposition: form-data; name="f"; filename="b"\r\n\r\n');
  const body = U8.from(Buffer.concat([head, Buffer.from([0, 255, 13, 10, 128]), Buffer.from('\r\n--B--')]));
  assert.deepEqual([...lib.blobBytes(lib.parseFormData(body, kMP).get('f'))], [0, 255, 13, 10, 128]);
  const field = U8.from(Buffer.concat([Buffer.from('--B\r\nContent-Disposition: form-data; name="f"\r\n\r\n'),
    Buffer.from([0xff, 0x41]), Buffer.from('\r\n--B--')]));
  assert.equal(lib.parseFormData(field, kMP).get('f'), '\ufffdA');
});

test('multipart errors match workerd', () => {
  const cases = [
    [kMP, part(cd('name=x; filename=f.txt'), 'data') + '--B--', 'Content-Disposition header in FormData part is missing a name.'],
    [kMP, part('Content-Disposition: form-data', 'data') + '--B--', 'Content-Disposition header in FormData part is missing a name.'],
    [kMP, part('Content-Type: text/plain', 'data') + '--B--', 'No valid Content-Disposition header found in FormData part.'],
    [kMP, part('Content-Disposition: attachment; name="x"', 'data') + '--B--',
      'Content-Disposition header for FormData part must have the value "form-data", possibly followed by parameters. Got: "attachment"'],
    [kMP, part(cd('name="x"'), 'v'), 'No subsequent boundary string after multipart message.'],
    [kMP, '--B\r\nContent-Disposition: form-data; name="x"\r\n\r\nv', 'No subsequent boundary string after multipart message.'],
    [kMP, '', 'No initial boundary string (or you have a truncated message).'],
    [kMP, 'garbage no boundary', 'No initial boundary string (or you have a truncated message).'],
    [kMP, part(cd('name="x"'), 'a\r\n--Bx') + '--B--', 'Boundary string was not succeeded by CRLF, LF, or \'--\'.'],
    [kMP, '--B  \r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--B--', 'Boundary string was not succeeded by CRLF, LF, or \'--\'.'],
    [kMP, part('Bad header line', 'v') + '--B--', 'FormData part had invalid headers.'],
    [kMP, '--B\r\nContent-Disposition: form-data; name="x"', 'FormData part had invalid headers.'],
  ];
  for (const [ct, body, message] of cases) {
    assert.throws(() => lib.parseFormData(enc(body), ct), { name: 'TypeError', message }, body);
  }
});

test('content types: urlencoded, missing and unsupported', () => {
  assert.deepEqual(parse('application/x-www-form-urlencoded', 'a=1&b=%20x+y&a=2&&c&=e'),
    [['a', '1'], ['b', ' x y'], ['a', '2'], ['c', ''], ['', 'e']]);
  assert.deepEqual(parse('APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8', 'a=1'), [['a', '1']]);
  assert.deepEqual(parse('application/x-www-form-urlencoded', '\ufeffa=1'), [['\ufeffa', '1']]);
  assert.deepEqual(parse('application/x-www-form-urlencoded', ''), []);
  const unrecognized = 'Unrecognized Content-Type header value. FormData can only parse the ' +
    'following MIME types: multipart/form-data, application/x-www-form-urlencoded';
  const noBoundary = 'No boundary string in Content-Type header. The multipart/form-data MIME ' +
    'type requires a boundary parameter, e.g. \'Content-Type: multipart/form-data; ' +
    'boundary="abcd"\'. See RFC 7578, section 4.';
  for (const [ct, message] of [['text/plain', unrecognized], ['', unrecognized],
    ['multipart/mixed; boundary=x', unrecognized], ['multipart/form-data', noBoundary],
    ['multipart/form-data; boundary=', noBoundary],
    ['application/x-www-form-urlencoded; charset=latin1', 'Non-utf-8 application/x-www-form-urlencoded body.'],
    [null, 'Parsing a Body as FormData requires a Content-Type header.']]) {
    assert.throws(() => lib.parseFormData(enc('a=1'), ct), { name: 'TypeError', message }, String(ct));
  }
});

test('serialize then parse round-trips names, values, files and types', () => {
  const fd = run(`(() => { const f = new FormData(); f.append('a', 'v1'); f.append('é"q', 'x\\r\\ny');
    f.append('file', new File(['abc'], 'n "1".txt', { type: 'text/plain', lastModified: 5 }));
    f.append('empty', ''); return f; })()`);
  const { bytes, contentType } = lib.serializeFormData(fd);
  p.g.__fd = lib.parseFormData(bytes, contentType);
  assert.deepEqual(describe('__fd'), [['a', 'v1'], ['é%22q', 'x\r\ny'],
    ['file', { file: '[object File]', name: 'n %221%22.txt', type: 'text/plain', size: 3, text: 'abc' }],
    ['empty', '']]);
});

test('body.js uses these codecs: Response(formData), formData(), blob()', async () => {
  const full = loadPrelude({ files: manifestWith(kFiles) });
  if (typeof full.run('Response.prototype.formData') !== 'function') return;
  const out = JSON.parse(await full.run(`(async () => {
    const f = new FormData(); f.append('a', '1');
    f.append('f', new File(['xyz'], 'n.txt', { type: 'text/plain' }));
    const r = new Response(f);
    const ct = r.headers.get('content-type');
    const g = await r.formData();
    const u = await new Response('x=1&y=%20', { headers: { 'content-type':
      'application/x-www-form-urlencoded' } }).formData();
    return JSON.stringify([/^multipart\\/form-data; boundary=[0-9a-f]{32}$/.test(ct),
      [...g].map(([k, v]) => [k, typeof v === 'string' ? v : [v.name, v.type, v.size]]), [...u]]);
  })()`));
  assert.deepEqual(out, [true, [['a', '1'], ['f', ['n.txt', 'text/plain', 3]]], [['x', '1'], ['y', ' ']]]);
});
