// kv.js over a fake host: what KvNamespace sends to bindingCall (the wire format of
// bindings/kv_binding.h) and how replies become values. Behaviour end to end (against wrangler
// dev as the reference) is tests/workers/scenarios/kv.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fakeBindingHost, loadPrelude } from '../testing/prelude_loader.mjs';

// A prelude whose bindingCall records each call and answers with reply(op, args): a plain
// value (the JSON), {json, bytes: [strings]} for replies with buffers, or an Error to reject.
function setup(reply) {
  const env = loadPrelude();
  const calls = fakeBindingHost(env, reply);
  env.g.KV = env.internal.makeBinding('kv', 2);
  return { ...env, calls };
}

const json = async (run, code) => JSON.parse(await run(`(async () => JSON.stringify(await (${code})))()`));

test('put sends the key, the bytes and the options', async () => {
  const { run, calls } = setup(() => null);
  await run(`KV.put(42, 'héllo', { expirationTtl: '90.7', expiration: 5, metadata: { a: [1] } })`);
  await run(`KV.put('n', null, null)`);
  await run(`KV.put('m', new Uint8Array([104, 105, 33]).subarray(0, 2), { metadata: null })`);
  assert.deepEqual(calls.map((c) => [c.handle, c.op, c.args, c.buffers]), [
    [2, 'put', { key: '42', value: { $buffer: 0 }, expiration: 5, expirationTtl: 90, metadata: '{"a":[1]}' },
      ['hÃ©llo']],
    [2, 'put', { key: 'n', value: { $buffer: 0 } }, ['null']],
    [2, 'put', { key: 'm', value: { $buffer: 0 } }, ['hi']],
  ]);
});

test('key names and argument errors are thrown before any call', async () => {
  const { run, calls } = setup(() => null);
  const error = (code) => run(`(${code}).then(() => 'ok', (e) => e.constructor.name + ': ' + e.message)`);
  assert.equal(await error(`KV.get('')`), 'TypeError: Key name cannot be empty.');
  assert.equal(await error(`KV.put('..', 'v')`), 'TypeError: ".." is not allowed as a key name.');
  assert.equal(await error(`KV.delete('.')`), 'TypeError: "." is not allowed as a key name.');
  assert.equal(await error(`KV.put('k', {})`),
    'TypeError: KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.');
  assert.equal(await error(`KV.get()`),
    "TypeError: Failed to execute 'get' on 'KvNamespace': parameter 1 is not of type 'string or Array'.");
  assert.equal(await error(`KV.list(5)`),
    "TypeError: Failed to execute 'list' on 'KvNamespace': parameter 1 is not of type 'ListOptions'.");
  assert.equal(await error(`KV.get(['k'], 'stream')`),
    'Error: KV GET_BULK failed: 400 "stream" is not a valid type. Use "json" or "text"');
  assert.equal(calls.length, 0);
});

test('get decodes the value buffer by type and parses metadata text', async () => {
  const { run, calls } = setup((op, args) => (args.key === 'none'
    ? { value: null, metadata: null, expiration: null }
    : { json: { value: { $buffer: 0 }, metadata: '{"$buffer":0}', expiration: null }, bytes: ['{"a":1}'] }));
  assert.equal(await run(`KV.get('k')`), '{"a":1}');
  assert.deepEqual(await json(run, `KV.get('k', 'json')`), { a: 1 });
  assert.deepEqual(await json(run, `KV.get('k', { type: 'arrayBuffer', cacheTtl: '60' }).then((b) => [b.constructor.name, b.byteLength])`),
    ['ArrayBuffer', 7]);
  assert.equal(await run(`KV.get('k', 'stream').then((s) => new Response(s).text())`), '{"a":1}');
  assert.deepEqual(await json(run, `KV.getWithMetadata('k')`),
    { value: '{"a":1}', metadata: { $buffer: 0 }, cacheStatus: null });
  assert.deepEqual(await json(run, `KV.getWithMetadata('none', 'bogus')`), { value: null, metadata: null, cacheStatus: null });
  assert.equal(await run(`KV.get('k', 'bogus').catch((e) => e.constructor.name)`), 'TypeError');
  assert.deepEqual(calls[2].args, { key: 'k', cacheTtl: 60 });
});

test('host errors reject with a plain Error carrying the host message', async () => {
  const { run } = setup(() => Object.assign(new Error('KV PUT failed: 413 Value length of 9 exceeds limit of 8.'),
    { code: 'InvalidArgument' }));
  assert.equal(await run(`KV.put('k', 'v').catch((e) => e.constructor.name + ': ' + e.message)`),
    'Error: KV PUT failed: 413 Value length of 9 exceeds limit of 8.');
});

test('list maps metadata text and keeps Cloudflare\'s field order', async () => {
  const { run, calls } = setup(() => ({
    keys: [{ name: 'a', expiration: 99, metadata: '{"m":1}' }, { name: 'b' }], list_complete: false, cursor: 'YQ==',
  }));
  const out = await run(`KV.list({ prefix: 7, limit: '2.5', cursor: '' }).then((r) => JSON.stringify(r))`);
  assert.equal(out, '{"keys":[{"name":"a","expiration":99,"metadata":{"m":1}},{"name":"b"}],' +
    '"list_complete":false,"cursor":"YQ==","cacheStatus":null}');
  assert.deepEqual(calls[0].args, { prefix: '7', limit: 2 });
});

test('bulk get returns a Map in key order, null for misses', async () => {
  const { run } = setup(() => ({ json: { values: [{ $buffer: 0 }, null], metadata: ['5', null] }, bytes: ['{"q":2}'] }));
  assert.deepEqual(await json(run, `KV.get(['j', 'none'], 'json').then((m) => [m.constructor.name, [...m]])`),
    ['Map', [['j', { q: 2 }], ['none', null]]]);
  assert.deepEqual(await json(run, `KV.getWithMetadata(['j', 'none']).then((m) => [...m])`),
    [['j', { value: '{"q":2}', metadata: 5 }], ['none', null]]);
});
