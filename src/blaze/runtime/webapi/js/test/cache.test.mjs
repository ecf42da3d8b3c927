// cache.js over a fake host: what Cache/CacheStorage send to bindingCall (the wire format of
// bindings/cache_binding.h) and how replies become Responses. End to end, against wrangler dev
// as the reference: tests/workers/scenarios/cache.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fakeBindingHost, loadPrelude } from '../testing/prelude_loader.mjs';

// reply(op, args) → a plain value (the JSON), {json, bytes: [strings]} for replies with
// buffers, or an Error (with `code`) to reject.
function setup(reply, { bind = true } = {}) {
  const env = loadPrelude();
  const calls = fakeBindingHost(env, reply);
  // The engine builds env: the nameless cache binding's factory records its handle.
  if (bind) assert.equal(env.internal.makeBinding('cache', 3), undefined);
  return { ...env, calls };
}

const json = async (run, code) => JSON.parse(await run(`(async () => JSON.stringify(await (${code})))()`));
const outcome = (run, code) => run(`(${code}).then((v) => String(v), (e) => e.constructor.name + ': ' + e.message)`);
const hostError = (code, message) => Object.assign(new Error(message), { code });

test('match sends the URL without touching the body and only the conditional headers', async () => {
  const { run, calls } = setup(() => null);
  assert.equal(await outcome(run, `caches.default.match(new Request('http://example.com/a?q', {
      headers: { range: 'bytes=0-1', 'if-none-match': '"x"', 'x-other': '1', authorization: 'a' } }))`), 'undefined');
  await run(`caches.default.match('http://example.com/b#frag')`);
  assert.deepEqual(calls.map((c) => [c.handle, c.op, c.args]), [
    [3, 'match', { cache: '', url: 'http://example.com/a?q', headers: [['range', 'bytes=0-1'], ['if-none-match', '"x"']] }],
    [3, 'match', { cache: '', url: 'http://example.com/b#frag', headers: [] }],
  ]);
});

test('a hit becomes a Response with immutable headers and the status reason phrase', async () => {
  const { run } = setup(() => ({
    json: { status: 404, headers: [['cf-cache-status', 'HIT'], ['x-a', '1']], body: { $buffer: 0 } },
    bytes: ['gone'],
  }));
  assert.deepEqual(await json(run, `caches.default.match('http://example.com/').then(async (r) => [
      r.status, r.statusText, [...r.headers], await r.text(), r.url,
      (() => { try { r.headers.set('x', '1'); return 'mutable'; } catch (e) { return e.message; } })()])`),
  [404, 'Not Found', [['cf-cache-status', 'HIT'], ['x-a', '1']], 'gone', '', "Can't modify immutable headers."]);
});

test('304 and 416 hits have no body', async () => {
  for (const status of [304, 416]) {
    const { run } = setup(() => ({ json: { status, headers: [], body: { $buffer: 0 } }, bytes: [''] }));
    assert.deepEqual(await json(run, `caches.default.match('http://example.com/').then((r) => [r.status, r.body])`), [status, null]);
  }
});

test('non-GET requests miss without a call unless ignoreMethod', async () => {
  const { run, calls } = setup((op) => (op === 'delete' ? true : null));
  assert.equal(await outcome(run, `caches.default.match(new Request('http://example.com/', { method: 'POST' }))`), 'undefined');
  assert.equal(await outcome(run, `caches.default.delete(new Request('http://example.com/', { method: 'HEAD' }))`), 'false');
  assert.equal(calls.length, 0);
  await run(`caches.default.match(new Request('http://example.com/', { method: 'POST' }), { ignoreMethod: true })`);
  assert.equal(await outcome(run, `caches.default.delete(new Request('http://example.com/', { method: 'POST' }), { ignoreMethod: 1 })`), 'true');
  assert.deepEqual(calls.map((c) => c.op), ['match', 'delete']);
});

test('put reads the body and sends status, headers and whether the request was authorized', async () => {
  const { run, calls } = setup(() => ({ stored: true }));
  assert.deepEqual(await json(run, `(async () => {
      const r = new Response('hello', { status: 203, headers: { 'cache-control': 'max-age=5', 'set-cookie': 'a=b' } });
      const p = caches.default.put(new Request('http://example.com/p', { headers: { authorization: 'x' } }), r);
      const used = r.bodyUsed;
      return [used, await p];
    })()`), [true, null]);  // put resolves to undefined (null in JSON)
  assert.deepEqual(calls[0].args, {
    cache: '', url: 'http://example.com/p', method: 'GET', status: 203,
    headers: [['cache-control', 'max-age=5'], ['set-cookie', 'a=b'], ['content-type', 'text/plain;charset=UTF-8']],
    authorization: true, body: { $buffer: 0 },
  });
  assert.deepEqual(calls[0].buffers, ['hello']);
});

test("put's refusals are TypeErrors thrown before any call", async () => {
  const { run, calls } = setup(() => ({ stored: true }));
  assert.equal(await outcome(run, `caches.default.put(new Request('http://x/', { method: 'POST' }), new Response('x'))`),
    'TypeError: Cannot cache response to non-GET request.');
  assert.equal(await outcome(run, `caches.default.put('http://x/', new Response('x', { status: 206 }))`),
    'TypeError: Cannot cache response to a range request (206 Partial Content).');
  assert.equal(await outcome(run, `caches.default.put('http://x/', new Response('x', { headers: { vary: 'accept,*' } }))`),
    "TypeError: Cannot cache response with 'Vary: *' header.");
  assert.equal(await outcome(run, `caches.default.put('http://x/', 'x')`),
    "TypeError: Failed to execute 'put' on 'Cache': parameter 2 is not of type 'Response'.");
  assert.equal(await outcome(run, `caches.default.put()`),
    "TypeError: Failed to execute 'put' on 'Cache': parameter 1 is not of type 'Request or string'.");
  assert.equal(await outcome(run, `caches.default.put('/relative', new Response('x'))`), 'TypeError: Invalid URL: /relative');
  assert.equal(await outcome(run, `(async () => { const r = new Response('x'); await r.text(); return caches.default.put('http://x/', r); })()`),
    'TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
  assert.equal(calls.length, 0);
});

test('host errors: InvalidArgument becomes a TypeError, others an Error', async () => {
  const { run } = setup((op) => (op === 'open' ? hostError('InvalidArgument', 'Cache name is too long.')
    : hostError('ResourceExhausted', 'cache entry of 9 bytes is larger than the cache')));
  assert.equal(await outcome(run, `caches.open('x')`), 'TypeError: Cache name is too long.');
  assert.equal(await outcome(run, `caches.default.put('http://x/', new Response('x'))`),
    'Error: cache entry of 9 bytes is larger than the cache');
});

test('open validates through the host and names the cache of later calls', async () => {
  const { run, calls } = setup(() => null);
  await run(`caches.open(42).then((c) => c.match('http://example.com/'))`);
  assert.deepEqual(calls.map((c) => [c.op, c.args.name ?? c.args.cache]), [['open', '42'], ['match', '42']]);
  assert.equal(await outcome(run, `caches.open()`),
    "TypeError: Failed to execute 'open' on 'CacheStorage': parameter 1 is not of type 'string'.");
});

test('before env is built (module top level) the cache throws workerd\'s global-scope error', async () => {
  const { run, calls } = setup(() => null, { bind: false });
  assert.match(await outcome(run, `caches.default.match('http://example.com/')`),
    /^Error: Disallowed operation called within global scope\./);
  assert.equal(calls.length, 0);
});

test('shapes: classes, the own default property and unimplemented methods', async () => {
  const { run } = setup(() => null);
  assert.deepEqual(await json(run, `(async () => [
      Object.prototype.toString.call(caches), Object.prototype.toString.call(caches.default),
      Reflect.ownKeys(caches), Object.getOwnPropertyDescriptor(caches, 'default').writable,
      (() => { try { new Cache(); } catch (e) { return e.message; } })(),
      await caches.has('x').catch((e) => e.message),
      await caches.default.keys().catch((e) => e.message),
      caches.default.match.length, Object.keys(globalThis).includes('caches')])()`), [
    '[object CacheStorage]', '[object Cache]', ['default'], false, 'Illegal constructor',
    "Failed to execute 'has' on 'CacheStorage': the method is not implemented.",
    "Failed to execute 'keys' on 'Cache': the method is not implemented.", 0, false,
  ]);
});
