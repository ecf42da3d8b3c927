// r2.js over a fake host: what R2Bucket sends to bindingCall (the wire format of
// bindings/r2_binding.h) and how replies become HeadResult / GetResult objects. Behaviour end to
// end (against wrangler dev as the reference) is tests/workers/scenarios/r2.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fakeBindingHost, loadPrelude } from '../testing/prelude_loader.mjs';

const kObject = {
  key: 'k', version: 'a'.repeat(32), size: 5, etag: '5d41402abc4b2a76b9719d911017c592',
  uploaded: 1735689600000, httpMetadata: { contentType: 'text/plain', cacheExpiry: 1700000000000 },
  customMetadata: [['b', '2'], ['a', '1']], checksums: { md5: '5d41402abc4b2a76b9719d911017c592' },
  storageClass: 'Standard',
};

// A prelude whose bindingCall records each call and answers with reply(op, args, buffers).
function setup(reply) {
  const env = loadPrelude();
  const calls = fakeBindingHost(env, reply, { bufferEncoding: 'utf8' });
  env.g.B = env.internal.makeBinding('r2', 3);
  return { ...env, calls };
}

test('put sends the key, the bytes and the options in the wire format', async () => {
  const { run, calls } = setup(() => ({ object: kObject }));
  await run(`B.put(42, 'hello', {
    httpMetadata: new Headers({ 'content-type': 'text/plain', expires: 'Wed, 21 Oct 2015 07:28:00 GMT' }),
    customMetadata: { b: 2, a: true },
    onlyIf: { etagDoesNotMatch: '*', uploadedAfter: new Date(5) },
    md5: '5D41402ABC4B2A76B9719D911017C592',
  })`);
  assert.equal(calls.length, 1);
  const { handle, op, args, buffers } = calls[0];
  assert.equal(handle, 3);
  assert.equal(op, 'put');
  assert.deepEqual(args, {
    key: '42',
    httpMetadata: { contentType: 'text/plain', cacheExpiry: 1445412480000 },
    customMetadata: [['b', '2'], ['a', 'true']],
    onlyIf: { etagDoesNotMatch: [{ type: 'wildcard' }], secondsGranularity: false, uploadedAfter: 5 },
    md5: '5d41402abc4b2a76b9719d911017c592',
    body: { $buffer: 0 },
  });
  assert.deepEqual(buffers, ['hello']);
});

test('replies become HeadResult / GetResult with workerd\'s fields', async () => {
  const { run } = setup((op) => (op === 'get'
    ? { json: { object: kObject, range: { offset: 0, length: 5 }, body: { $buffer: 0 } }, bytes: ['hello'] }
    : { object: kObject, range: { offset: 0, length: 5 } }));
  const head = JSON.parse(await run(`B.head('k').then((o) => JSON.stringify({
    cls: o.constructor.name, keys: Object.keys(o), httpEtag: o.httpEtag, uploaded: o.uploaded.toISOString(),
    custom: o.customMetadata, expiry: o.httpMetadata.cacheExpiry.toISOString(), range: o.range,
    md5: o.checksums.md5.byteLength, checksums: o.checksums, json: JSON.parse(JSON.stringify(o)).key }))`));
  assert.deepEqual(head, {
    cls: 'HeadResult',
    keys: ['ssecKeyMd5', 'storageClass', 'range', 'customMetadata', 'httpMetadata', 'uploaded',
      'checksums', 'httpEtag', 'etag', 'size', 'version', 'key'],
    httpEtag: '"5d41402abc4b2a76b9719d911017c592"', uploaded: '2025-01-01T00:00:00.000Z',
    custom: { b: '2', a: '1' }, expiry: '2023-11-14T22:13:20.000Z', range: { offset: 0, length: 5 },
    md5: 16, checksums: { md5: '5d41402abc4b2a76b9719d911017c592' }, json: 'k',
  });
  assert.deepEqual(JSON.parse(await run(`B.get('k').then(async (o) => JSON.stringify([
    o.constructor.name, o.bodyUsed, await o.text(), o.bodyUsed]))`)), ['GetResult', false, 'hello', true]);
  assert.equal(await run(`B.get('k').then((o) => o.blob()).then((b) => b.type)`), 'text/plain');
  assert.equal(await run(`(async () => { const h = new Headers(); (await B.head('k')).writeHttpMetadata(h);
    return [...h].map((p) => p.join(': ')).join('; '); })()`),
  'content-type: text/plain; expires: Tue, 14 Nov 2023 22:13:20 GMT');
});

test('a get whose condition failed has no body; missing keys are null', async () => {
  let reply = { object: kObject, range: { offset: 0, length: 5 } };
  const { run } = setup(() => reply);
  assert.equal(await run(`B.get('k', { onlyIf: { etagMatches: 'x' } }).then((o) => o.constructor.name + ('body' in o))`),
    'HeadResultfalse');
  reply = null;
  assert.equal(await run(`B.get('k').then((o) => o)`), null);
  assert.equal(await run(`B.put('k', 'v', { onlyIf: { etagMatches: 'x' } })`), null);
});

test('host errors become "<op>: <message>" Errors', async () => {
  const { run, g } = setup(() => Object.assign(new Error('The specified object name is not valid. (10020)'),
    { code: 'InvalidArgument' }));
  await assert.rejects(run(`B.head('k')`), (e) => e instanceof g.Error &&
    e.message === 'head: The specified object name is not valid. (10020)');
});

test('arguments workerd refuses never reach the host', async () => {
  const { run, calls } = setup(() => null);
  const refused = [
    [`B.put('k', 42)`, /parameter 2 is not of type 'ReadableStream or ArrayBuffer/],
    [`B.put()`, /parameter 1 is not of type 'string'/],
    [`B.put('k', 'v', { md5: 'abc' })`, /MD5 is 32 hex characters, not 3/],
    [`B.put('k', 'v', { sha1: 'a'.repeat(40), sha256: 'b'.repeat(64) })`, /multiple hashing algorithms/],
    [`B.get('k', { range: { offset: -1 } })`, /Starting offset \(-1\) must be greater than or equal to 0/],
    [`B.get('k', { range: { suffix: 1, offset: 1 } })`, /Suffix is incompatible with offset/],
    [`B.get('k', { onlyIf: { etagMatches: '"x"' } })`, /should not be wrapped in quotes/],
    [`B.get('k', { onlyIf: new Headers({ 'if-match': 'x' }) })`, /Invalid ETag in if-match header/],
    [`B.list({ include: ['foo'] })`, /Unsupported include value foo/],
    [`B.list('x')`, /parameter 1 is not of type 'ListOptions'/],
    [`B.delete()`, /parameter 1 is not of type 'string or Array'/],
  ];
  for (const [src, message] of refused) await assert.rejects(run(src), { message }, src);
  assert.equal(calls.length, 0);
});

test('list and delete arguments', async () => {
  const { run, calls } = setup((op) => (op === 'list'
    ? { objects: [kObject], truncated: true, cursor: 'YQ==', delimitedPrefixes: ['p/'] } : null));
  const listed = JSON.parse(await run(`B.list({ prefix: 'a', limit: 2.7, include: ['customMetadata'] })
    .then((r) => JSON.stringify({ keys: Object.keys(r), cls: r.objects[0].constructor.name,
      range: r.objects[0].range === undefined, cursor: r.cursor, prefixes: r.delimitedPrefixes }))`));
  assert.deepEqual(listed, { keys: ['objects', 'truncated', 'cursor', 'delimitedPrefixes'],
    cls: 'HeadResult', range: true, cursor: 'YQ==', prefixes: ['p/'] });
  await run(`B.list({ limit: -5 })`);
  await run(`B.delete(['a', 7])`);
  assert.deepEqual(calls.map((c) => [c.op, c.args]), [
    ['list', { prefix: 'a', limit: 2, include: ['customMetadata'] }],
    ['list', {}],
    ['delete', { keys: ['a', '7'] }],
  ]);
});
