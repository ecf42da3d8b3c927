// KV binding: shapes, conversions, limits and error messages pinned against wrangler dev 4.86
// (workerd's KvNamespace over Miniflare's local KV), plus the CLI-seeds-the-worker flow.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { kRepoRoot, kTarget, kWorkersDir, onlyOn, useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);
const kNamespaceId = '6b1f0e8d2c4a49e3a5d7c9b1e3f50a72';

const get = async (path, init) => {
  const r = await worker.fetch(path, init);
  assert.equal(r.status, 200, `${path}: ${r.status} ${r.status === 200 ? '' : await r.text()}`);
  return r.json();
};
const runCase = (name) => get(`/case/${name}`);
const err = (name, message) => ({ error: { name, message } });
const typeErr = (message) => err('TypeError', message);
const kvErr = (message) => err('Error', message);
const kUndefined = '<undefined>';
const kBadValue = 'KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.';

test('get/getWithMetadata convert to text, json, arrayBuffer and stream; misses are null', async () => {
  assert.deepEqual(await runCase('types'), {
    ctor: 'KvNamespace',
    tag: '[object KvNamespace]',
    methods: ['constructor', 'delete', 'get', 'getWithMetadata', 'list', 'put'],
    text: '{"a":[1,2],"b":"c"}',
    textOpt: '{"a":[1,2],"b":"c"}',
    json: { a: [1, 2], b: 'c' },
    ab: ['ArrayBuffer', 19],
    stream: ['ReadableStream', '{"a":[1,2],"b":"c"}'],
    nullOpt: '{"a":[1,2],"b":"c"}',
    emptyOpt: '{"a":[1,2],"b":"c"}',
    gwm: { value: { a: [1, 2], b: 'c' }, metadata: { kind: 'json' }, cacheStatus: null },
    gwmKeys: ['value', 'metadata', 'cacheStatus'],
    gwmStream: ['ReadableStream', { kind: 'json' }],
    missing: null,
    missingJson: null,
    missingAb: null,
    missingStream: null,
    missingGwm: { value: null, metadata: null, cacheStatus: null },
    putReturns: kUndefined,
    deleteReturns: kUndefined,
    deleteMissing: kUndefined,
    afterDelete: null,
  });
});

test('put accepts strings, buffers, views and streams; other primitives become strings', async () => {
  const r = await runCase('values');
  // JSON.parse's message is the JS engine's own (V8 vs SpiderMonkey): only the class is pinned.
  assert.deepEqual({ ...r, jsonBad: r.jsonBad.error?.name }, {
    ab: [1, 2, 255],
    view: [8, 7],
    dataView: [6, 7],
    invalidUtf8AsText: '\ufffdA',
    stream: 'streamed value',
    empty: '',
    emptyAb: 0,
    bomLength: 3,
    utf8: 'héllo ✓ 😀',
    utf8Bytes: 15,
    number: '42',
    null: 'null',
    undefined: 'undefined',
    bool: 'true',
    object: typeErr(kBadValue),
    blob: typeErr(kBadValue),
    array: typeErr(kBadValue),
    jsonBad: 'SyntaxError',
  });
});

test('key names: empty, "." and ".." are TypeErrors; over 512 UTF-8 bytes is a 414', async () => {
  const r = await runCase('keys');
  for (const op of ['get', 'put', 'delete', 'gwm']) {
    assert.deepEqual(r[`${op}-empty`], typeErr('Key name cannot be empty.'), op);
    assert.deepEqual(r[`${op}-dot`], typeErr('"." is not allowed as a key name.'), op);
    assert.deepEqual(r[`${op}-dotdot`], typeErr('".." is not allowed as a key name.'), op);
  }
  const tooLong = (op) => kvErr(`KV ${op} failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.`);
  assert.deepEqual({
    put512: r.put512, get512: r.get512, put513: r.put513, get513: r.get513, gwm513: r.gwm513,
    delete513: r.delete513, multibyte512: r.multibyte512, multibyte513: r.multibyte513,
    dotInside: r.dotInside, numberKey: r.numberKey, undefinedKey: r.undefinedKey, unicodeKey: r.unicodeKey,
  }, {
    put512: kUndefined, get512: 'v', put513: tooLong('PUT'), get513: tooLong('GET'), gwm513: tooLong('GET'),
    delete513: tooLong('DELETE'), multibyte512: kUndefined, multibyte513: tooLong('PUT'),
    dotInside: 'v', numberKey: 'n', undefinedKey: null, unicodeKey: 'v',
  });
});

test('argument errors read like workerd\'s', async () => {
  const sig = (method, index, type) =>
    typeErr(`Failed to execute '${method}' on 'KvNamespace': parameter ${index} is not of type '${type}'.`);
  assert.deepEqual(await runCase('signatures'), {
    get: sig('get', 1, 'string or Array'),
    gwm: sig('getWithMetadata', 1, 'Array or string'),
    put1: sig('put', 2, 'string or JsObject'),
    delete: sig('delete', 1, 'string'),
    putOptsString: sig('put', 3, 'PutOptions'),
    putOptsNull: kUndefined,
    listString: sig('list', 1, 'ListOptions'),
    // An unknown type is only checked once there is a value: a missing key is just null.
    badType: null,
    badTypeObj: null,
    upperType: null,
    badTypeExisting: typeErr('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".'),
    badTypeGwmExisting: typeErr('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".'),
  });
});

test('value, metadata and cacheTtl limits', async () => {
  assert.deepEqual(await runCase('limits'), {
    value25MiB: kUndefined,
    value25MiBPlus1: kvErr('KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.'),
    bigString: kvErr('KV PUT failed: 413 Value length of 26214402 exceeds limit of 26214400.'),
    bigLength: 26214400,
    meta1024: kUndefined,
    meta1025: kvErr('KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.'),
    metaObject: kvErr('KV PUT failed: 413 Metadata length of 1108 exceeds limit of 1024.'),
    metaMultibyteOk: kUndefined,
    metaMultibyteOver: kvErr('KV PUT failed: 413 Metadata length of 1026 exceeds limit of 1024.'),
    metaFunction: kvErr('KV PUT failed: 500 Internal Server Error'),
    cacheTtl10: kvErr('KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.'),
    cacheTtl30: 'v',
    cacheTtlFloat: 'v',
    cacheTtlNull: kvErr('KV GET failed: 400 Invalid cache_ttl of 0. Cache TTL must be at least 30.'),
    cacheTtlString: kvErr('KV GET failed: 400 Invalid cache_ttl of 0. Cache TTL must be at least 30.'),
    cacheTtlUndefined: 'v',
  });
});

test('expiration and expirationTtl: Cloudflare\'s checks, conversions and precedence', async () => {
  const r = await runCase('expiration');
  const ttl = (n, why) => kvErr(`KV PUT failed: 400 Invalid expiration_ttl of ${n}. ${why}`);
  const atLeast60 = 'Expiration TTL must be at least 60.';
  const positive = 'Please specify integer greater than 0.';
  assert.deepEqual(
    [r.ttl30, r.ttl59, r.ttl0, r.ttlNeg, r.ttlNaN, r.ttlNull],
    [ttl(30, atLeast60), ttl(59, atLeast60), ttl(0, positive), ttl(-5, positive), ttl(0, positive), ttl(0, positive)]);
  const past = /^KV PUT failed: 400 Invalid expiration of -?\d+\. Please specify integer greater than the current number of seconds since the UNIX epoch\.$/;
  for (const name of ['expPast', 'expNow', 'expNeg', 'expNaN', 'expNull']) {
    assert.equal(r[name].error?.name, 'Error', name);
    assert.match(r[name].error.message, past, name);
  }
  assert.match(r.expNeg.error.message, /of -5\./);
  assert.match(r.expNaN.error.message, /of 0\./);
  assert.match(r.exp59.error.message,
    /^KV PUT failed: 400 Invalid expiration of \d+\. Expiration times must be at least 60 seconds in the future\.$/);
  for (const name of ['ttl60', 'ttlFloat', 'ttlString', 'exp61', 'expFloat', 'expString', 'both', 'withMeta']) {
    assert.equal(r[name], kUndefined, name);
  }
  // Seconds from the request's start; a TTL counts from the put, which may be a second later.
  const expected = { 'exp/both': 500, 'exp/exp61': 61, 'exp/expFloat': 100, 'exp/expString': 200,
    'exp/ttl60': 60, 'exp/ttlFloat': 90, 'exp/ttlString': 120, 'exp/withMeta': 300 };
  assert.deepEqual(Object.keys(r.relative).sort(), Object.keys(expected).sort());
  for (const [name, seconds] of Object.entries(expected)) {
    assert.ok(r.relative[name] === seconds || r.relative[name] === seconds + 1, `${name}: ${r.relative[name]}`);
  }
  assert.deepEqual(Object.keys(r.listedWithMeta), ['name', 'expiration', 'metadata']);
  assert.deepEqual(r.listedWithMeta.metadata, { m: 1 });
  assert.equal(r.noFailedWrites, true);
  assert.equal(r.value, 'v');
});

test('metadata round-trips as JSON; null and undefined store none', async () => {
  const r = await runCase('metadata');
  assert.deepEqual({ ...r, bigint: r.bigint.error?.name }, {
    object: { a: [1, { b: null }] },
    string: 'str',
    number: 5,
    null: null,
    bool: false,
    undefined: null,
    none: null,
    listed: [
      { name: 'meta/bool', metadata: false },
      { name: 'meta/none' },
      { name: 'meta/null' },
      { name: 'meta/number', metadata: 5 },
      { name: 'meta/object', metadata: { a: [1, { b: null }] } },
      { name: 'meta/string', metadata: 'str' },
      { name: 'meta/undefined' },
    ],
    overwritten: { value: 'v2', metadata: null, cacheStatus: null },
    bigint: 'TypeError', // JSON.stringify's own message differs between engines
  });
});

test('list: prefix, order, limit and cursor pages', async () => {
  assert.deepEqual(await runCase('list'), {
    all: { keys: [0, 1, 2, 3, 4].map((i) => ({ name: `list/${i}` })), list_complete: true, cacheStatus: null },
    first: { names: ['list/0', 'list/1'], list_complete: false, cursorType: 'string',
      keys: ['keys', 'list_complete', 'cursor', 'cacheStatus'] },
    second: { names: ['list/2', 'list/3'], list_complete: false },
    third: { names: ['list/4'], list_complete: true, hasCursor: false },
    exact: { count: 5, list_complete: true, hasCursor: false },
    limit1000: 5,
    limit1001: kvErr('KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000.'),
    limit0: 5,
    limitNeg: 5,
    limitString: 2,
    limitFloat: 2,
    prefixNumber: [{ name: '7seven' }],
    noMatch: { keys: [], list_complete: true, cacheStatus: null },
    cursorEmpty: 5,
    cursorNull: 5,
    noArgsKeys: ['keys', 'list_complete', 'cacheStatus'],
    nullArg: true,
  });
});

test('bulk get: a Map of up to 100 keys as text or json', async () => {
  const bulk = (m) => kvErr(`KV GET_BULK failed: ${m}`);
  assert.deepEqual(await runCase('bulk'), {
    get: [['bulk/a', 'A'], ['bulk/none', null], ['bulk/j', '{"q":2}']],
    ctor: 'Map',
    json: [['bulk/j', { q: 2 }], ['bulk/none', null]],
    jsonOpt: [['bulk/j', { q: 2 }]],
    jsonBad: bulk('400 At least one of the requested keys corresponds to a non-json value'),
    stream: bulk('400 "stream" is not a valid type. Use "json" or "text"'),
    arrayBuffer: bulk('400 "arrayBuffer" is not a valid type. Use "json" or "text"'),
    empty: bulk('400 You must request a minimum of 1 key'),
    tooMany: bulk('400 You can request a maximum of 100 keys'),
    emptyKey: bulk('400 Key names must not be empty'),
    longKey: bulk('414 UTF-8 encoded length of 513 exceeds key length limit of 512.'),
    duplicate: [['bulk/a', 'A']],
    gwm: [['bulk/a', { value: 'A', metadata: { m: 'a' } }], ['bulk/none', null]],
  });
});

test('writes are seen by the next request, and deletes too', async () => {
  await get('/put?key=xreq', { method: 'POST', body: 'first' });
  assert.equal((await get('/get?key=xreq')).value, 'first');
  assert.equal((await get('/get?key=xreq')).value, 'first');
  await get('/put?key=xreq', { method: 'POST', body: 'second' });
  assert.equal((await get('/get?key=xreq')).value, 'second');
  await get('/delete?key=xreq');
  assert.equal((await get('/get?key=xreq')).value, null);
});

test('50 concurrent writers each read their own value back', async () => {
  const one = async (i) => {
    await get(`/put?key=conc/${i}`, { method: 'POST', body: `value ${i}` });
    return (await get(`/get?key=conc/${i}`)).value;
  };
  const values = await Promise.all(Array.from({ length: 50 }, (_, i) => one(i)));
  assert.deepEqual(values, Array.from({ length: 50 }, (_, i) => `value ${i}`));
  assert.equal((await get('/list?prefix=conc/')).keys.length, 50);
});

// The CLI of each target, run in the project folder beside the running dev server. Async, so
// the event loop keeps serving the client's idle keep-alive sockets meanwhile (a blocked loop
// misses the server closing them and the next fetch fails on a dead socket).
function cli(args) {
  const projectDir = join(worker.workDir, 'project');
  const command = kTarget === 'wrangler'
    ? { bin: join(kWorkersDir, 'peer', 'node_modules', '.bin', 'wrangler'),
      args: [...args, '--local', '--persist-to', '.state'] }
    : { bin: process.env.BLAZE_BIN ? resolve(kRepoRoot, process.env.BLAZE_BIN) : join(kRepoRoot, 'build', 'blaze'),
      args: [...args, '--local'] };
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true',
    WRANGLER_LOG_PATH: join(worker.workDir, 'wrangler-logs') };
  return new Promise((resolveRun, reject) => {
    execFile(command.bin, command.args, { cwd: projectDir, env, timeout: 60_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command.bin} ${command.args.join(' ')}: ${error.message}\n${stderr}`));
        else resolveRun(stdout);
      });
  });
}

// Polls until `check` passes (a write from another process may take up to a second to be
// noticed by a core that has the key cached); bounded.
async function eventually(check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('`kv key put --local` in the project folder seeds what the worker reads', async () => {
  await cli(['kv', 'key', 'put', 'seeded', 'from the cli', '--namespace-id', kNamespaceId]);
  assert.equal((await get('/get?key=seeded')).value, 'from the cli');
  await cli(['kv', 'key', 'put', 'seeded', 'changed', '--binding', 'KV', '--metadata', '{"by":"cli"}']);
  await eventually(async () => {
    assert.deepEqual(await get('/get?key=seeded'), { value: 'changed', metadata: { by: 'cli' }, cacheStatus: null });
  });
  await get('/put?key=from-worker', { method: 'POST', body: 'written by the worker' });
  assert.equal(await cli(['kv', 'key', 'get', 'from-worker', '--binding', 'KV']), 'written by the worker');
  const listed = JSON.parse(await cli(['kv', 'key', 'list', '--binding', 'KV', '--prefix', 'seed']));
  assert.deepEqual(listed, [{ name: 'seeded', metadata: { by: 'cli' } }]);
});

test('blaze: a namespace used by `blaze dev` is in `kv namespace list`', { skip: onlyOn('blaze', 'wrangler has no local namespace catalog') }, async () => {
  await get('/get?key=anything');
  const list = JSON.parse(await cli(['kv', 'namespace', 'list', '--json']));
  assert.ok(list.some((ns) => ns.id === kNamespaceId), JSON.stringify(list));
});
