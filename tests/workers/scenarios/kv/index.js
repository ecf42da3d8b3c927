// KV binding scenario: each /case/<name> runs one group of checks against env.KV and answers
// JSON; an exception inside a check is reported as {error: {name, message}} so the test can
// compare Cloudflare's exception classes and messages. /get, /put, /list serve the
// cross-request and CLI tests.

const now = () => Math.floor(Date.now() / 1000);

async function attempt(fn) {
  try {
    const value = await fn();
    return value === undefined ? '<undefined>' : value;
  } catch (e) {
    return { error: { name: e?.constructor?.name ?? typeof e, message: e?.message } };
  }
}

const bytes = (ab) => [...new Uint8Array(ab)];
const mapEntries = (m) => (m instanceof Map ? [...m.entries()] : m);

const cases = {
  async types(kv) {
    await kv.put('types/json', '{"a":[1,2],"b":"c"}', { metadata: { kind: 'json' } });
    const stream = await kv.get('types/json', 'stream');
    return {
      ctor: kv.constructor.name,
      tag: Object.prototype.toString.call(kv),
      methods: Object.getOwnPropertyNames(Object.getPrototypeOf(kv)).sort(),
      text: await kv.get('types/json'),
      textOpt: await kv.get('types/json', { type: 'text' }),
      json: await kv.get('types/json', 'json'),
      ab: await kv.get('types/json', { type: 'arrayBuffer' }).then((ab) => [ab.constructor.name, ab.byteLength]),
      stream: [stream.constructor.name, await new Response(stream).text()],
      nullOpt: await kv.get('types/json', null),
      emptyOpt: await kv.get('types/json', {}),
      gwm: await kv.getWithMetadata('types/json', 'json'),
      gwmKeys: Object.keys(await kv.getWithMetadata('types/json')),
      gwmStream: await kv.getWithMetadata('types/json', 'stream').then((r) => [r.value.constructor.name, r.metadata]),
      missing: await kv.get('types/none'),
      missingJson: await kv.get('types/none', 'json'),
      missingAb: await kv.get('types/none', 'arrayBuffer'),
      missingStream: await kv.get('types/none', 'stream'),
      missingGwm: await kv.getWithMetadata('types/none'),
      putReturns: await attempt(() => kv.put('types/x', 'x')),
      deleteReturns: await attempt(() => kv.delete('types/x')),
      deleteMissing: await attempt(() => kv.delete('types/never')),
      afterDelete: await kv.get('types/x'),
    };
  },

  async values(kv) {
    const out = {};
    await kv.put('values/ab', new Uint8Array([1, 2, 255]).buffer);
    out.ab = bytes(await kv.get('values/ab', 'arrayBuffer'));
    await kv.put('values/view', new Uint8Array([9, 8, 7, 6]).subarray(1, 3));
    out.view = bytes(await kv.get('values/view', 'arrayBuffer'));
    await kv.put('values/dv', new DataView(new Uint8Array([5, 6, 7]).buffer, 1));
    out.dataView = bytes(await kv.get('values/dv', 'arrayBuffer'));
    await kv.put('values/bin', new Uint8Array([0xff, 0x41]));
    out.invalidUtf8AsText = await kv.get('values/bin');
    await kv.put('values/stream', new Response('streamed value').body);
    out.stream = await kv.get('values/stream');
    await kv.put('values/empty', '');
    out.empty = await kv.get('values/empty');
    out.emptyAb = (await kv.get('values/empty', 'arrayBuffer')).byteLength;
    await kv.put('values/bom', '\ufeffhi');
    out.bomLength = (await kv.get('values/bom')).length;
    await kv.put('values/utf8', 'héllo ✓ 😀');
    out.utf8 = await kv.get('values/utf8');
    out.utf8Bytes = (await kv.get('values/utf8', 'arrayBuffer')).byteLength;
    for (const [name, v] of [['number', 42], ['null', null], ['undefined', undefined], ['bool', true]]) {
      await kv.put(`values/${name}`, v);
      out[name] = await kv.get(`values/${name}`);
    }
    out.object = await attempt(() => kv.put('values/object', { a: 1 }));
    out.blob = await attempt(() => kv.put('values/blob', new Blob(['hi'])));
    out.array = await attempt(() => kv.put('values/array', [1, 2]));
    out.jsonBad = await attempt(() => kv.get('values/stream', 'json'));
    return out;
  },

  async keys(kv) {
    const out = {};
    for (const [name, key] of [['empty', ''], ['dot', '.'], ['dotdot', '..']]) {
      out[`get-${name}`] = await attempt(() => kv.get(key));
      out[`put-${name}`] = await attempt(() => kv.put(key, 'v'));
      out[`delete-${name}`] = await attempt(() => kv.delete(key));
      out[`gwm-${name}`] = await attempt(() => kv.getWithMetadata(key));
    }
    out.put512 = await attempt(() => kv.put('k'.repeat(512), 'v'));
    out.get512 = await attempt(() => kv.get('k'.repeat(512)));
    out.put513 = await attempt(() => kv.put('k'.repeat(513), 'v'));
    out.get513 = await attempt(() => kv.get('k'.repeat(513)));
    out.gwm513 = await attempt(() => kv.getWithMetadata('k'.repeat(513)));
    out.delete513 = await attempt(() => kv.delete('k'.repeat(513)));
    out.multibyte512 = await attempt(() => kv.put('é'.repeat(256), 'v'));
    out.multibyte513 = await attempt(() => kv.put('é'.repeat(256) + 'a', 'v'));
    out.dotInside = await attempt(async () => { await kv.put('./..', 'v'); return kv.get('./..'); });
    out.numberKey = await attempt(async () => { await kv.put(123, 'n'); return kv.get('123'); });
    out.undefinedKey = await attempt(() => kv.get(undefined));
    out.unicodeKey = await attempt(async () => { await kv.put('ключ/🔑', 'v'); return kv.get('ключ/🔑'); });
    return out;
  },

  async signatures(kv) {
    return {
      get: await attempt(() => kv.get()),
      gwm: await attempt(() => kv.getWithMetadata()),
      put1: await attempt(() => kv.put('k')),
      delete: await attempt(() => kv.delete()),
      putOptsString: await attempt(() => kv.put('k', 'v', 'abc')),
      putOptsNull: await attempt(() => kv.put('sig/k', 'v', null)),
      listString: await attempt(() => kv.list('abc')),
      badType: await attempt(() => kv.get('k', 'blob')),
      badTypeObj: await attempt(() => kv.get('k', { type: 'nope' })),
      upperType: await attempt(() => kv.get('k', 'TEXT')),
      badTypeExisting: await attempt(() => kv.put('sig/t', 'v').then(() => kv.get('sig/t', 'blob'))),
      badTypeGwmExisting: await attempt(() => kv.getWithMetadata('sig/t', { type: 'nope' })),
    };
  },

  async limits(kv) {
    return {
      value25MiB: await attempt(() => kv.put('limits/big', new Uint8Array(25 * 1024 * 1024))),
      value25MiBPlus1: await attempt(() => kv.put('limits/big', new Uint8Array(25 * 1024 * 1024 + 1))),
      bigString: await attempt(() => kv.put('limits/big', 'é'.repeat(13107201))),
      bigLength: await kv.get('limits/big', 'arrayBuffer').then((ab) => ab.byteLength),
      meta1024: await attempt(() => kv.put('limits/m', 'v', { metadata: 'x'.repeat(1022) })),
      meta1025: await attempt(() => kv.put('limits/m', 'v', { metadata: 'x'.repeat(1023) })),
      metaObject: await attempt(() => kv.put('limits/m', 'v', { metadata: { a: 'x'.repeat(1100) } })),
      metaMultibyteOk: await attempt(() => kv.put('limits/m', 'v', { metadata: 'é'.repeat(511) })),
      metaMultibyteOver: await attempt(() => kv.put('limits/m', 'v', { metadata: 'é'.repeat(512) })),
      metaFunction: await attempt(() => kv.put('limits/m', 'v', { metadata: () => 1 })),
      cacheTtl10: await attempt(() => kv.get('limits/m', { cacheTtl: 10 })),
      cacheTtl30: await attempt(() => kv.get('limits/m', { cacheTtl: 30 })),
      cacheTtlFloat: await attempt(() => kv.get('limits/m', { cacheTtl: 30.5 })),
      cacheTtlNull: await attempt(() => kv.get('limits/m', { cacheTtl: null })),
      cacheTtlString: await attempt(() => kv.get('limits/m', { cacheTtl: 'x' })),
      cacheTtlUndefined: await attempt(() => kv.get('limits/m', { cacheTtl: undefined })),
    };
  },

  async expiration(kv) {
    const t = now();
    const put = (key, opts) => attempt(() => kv.put(`exp/${key}`, 'v', opts));
    const out = {
      ttl30: await put('a', { expirationTtl: 30 }),
      ttl59: await put('a', { expirationTtl: 59 }),
      ttl0: await put('a', { expirationTtl: 0 }),
      ttlNeg: await put('a', { expirationTtl: -5 }),
      ttlNaN: await put('a', { expirationTtl: 'abc' }),
      ttlNull: await put('a', { expirationTtl: null }),
      expPast: await put('a', { expiration: t - 100 }),
      expNow: await put('a', { expiration: t }),
      expNeg: await put('a', { expiration: -5 }),
      exp59: await put('a', { expiration: t + 59 }),
      expNaN: await put('a', { expiration: 'abc' }),
      expNull: await put('a', { expiration: null }),
      ttl60: await put('ttl60', { expirationTtl: 60 }),
      ttlFloat: await put('ttlFloat', { expirationTtl: 90.7 }),
      ttlString: await put('ttlString', { expirationTtl: '120' }),
      exp61: await put('exp61', { expiration: t + 61 }),
      expFloat: await put('expFloat', { expiration: t + 100.9 }),
      expString: await put('expString', { expiration: String(t + 200) }),
      both: await put('both', { expiration: t + 1000, expirationTtl: 500 }),
      withMeta: await put('withMeta', { expirationTtl: 300, metadata: { m: 1 } }),
    };
    const listed = await kv.list({ prefix: 'exp/' });
    // Expirations relative to `t` (the second may tick between calls: allow +1).
    out.relative = Object.fromEntries(listed.keys.map((k) => [k.name, k.expiration - t]));
    out.listedWithMeta = listed.keys.find((k) => k.name === 'exp/withMeta');
    out.noFailedWrites = listed.keys.every((k) => k.name !== 'exp/a');
    out.value = await kv.get('exp/ttl60');
    return out;
  },

  async metadata(kv) {
    const out = {};
    for (const [name, meta] of [['object', { a: [1, { b: null }] }], ['string', 'str'], ['number', 5],
      ['null', null], ['bool', false]]) {
      await kv.put(`meta/${name}`, 'v', { metadata: meta });
      out[name] = (await kv.getWithMetadata(`meta/${name}`)).metadata;
    }
    await kv.put('meta/undefined', 'v', { metadata: undefined });
    out.undefined = (await kv.getWithMetadata('meta/undefined')).metadata;
    await kv.put('meta/none', 'v');
    out.none = (await kv.getWithMetadata('meta/none')).metadata;
    out.listed = (await kv.list({ prefix: 'meta/' })).keys;
    await kv.put('meta/object', 'v2');
    out.overwritten = await kv.getWithMetadata('meta/object');
    out.bigint = await attempt(() => kv.put('meta/x', 'v', { metadata: 1n }).then(() => 'stored'));
    return out;
  },

  async list(kv) {
    for (let i = 0; i < 5; i++) await kv.put(`list/${i}`, `v${i}`);
    await kv.put('list', 'no slash');
    await kv.put('lisu', 'after the prefix');
    const out = {};
    out.all = await kv.list({ prefix: 'list/' });
    const first = await kv.list({ prefix: 'list/', limit: 2 });
    out.first = { names: first.keys.map((k) => k.name), list_complete: first.list_complete,
      cursorType: typeof first.cursor, keys: Object.keys(first) };
    const second = await kv.list({ prefix: 'list/', limit: 2, cursor: first.cursor });
    out.second = { names: second.keys.map((k) => k.name), list_complete: second.list_complete };
    const third = await kv.list({ prefix: 'list/', limit: 2, cursor: second.cursor });
    out.third = { names: third.keys.map((k) => k.name), list_complete: third.list_complete,
      hasCursor: 'cursor' in third };
    const exact = await kv.list({ prefix: 'list/', limit: 5 });
    out.exact = { count: exact.keys.length, list_complete: exact.list_complete, hasCursor: 'cursor' in exact };
    out.limit1000 = await attempt(async () => (await kv.list({ prefix: 'list/', limit: 1000 })).keys.length);
    out.limit1001 = await attempt(() => kv.list({ prefix: 'list/', limit: 1001 }));
    out.limit0 = (await kv.list({ prefix: 'list/', limit: 0 })).keys.length;
    out.limitNeg = (await kv.list({ prefix: 'list/', limit: -1 })).keys.length;
    out.limitString = (await kv.list({ prefix: 'list/', limit: '2' })).keys.length;
    out.limitFloat = (await kv.list({ prefix: 'list/', limit: 2.5 })).keys.length;
    out.prefixNumber = await kv.put('7seven', 'v').then(() => kv.list({ prefix: 7 })).then((r) => r.keys);
    out.noMatch = await kv.list({ prefix: 'zzz/' });
    out.cursorEmpty = (await kv.list({ prefix: 'list/', cursor: '' })).keys.length;
    out.cursorNull = (await kv.list({ prefix: 'list/', cursor: null })).keys.length;
    out.noArgsKeys = Object.keys(await kv.list());
    out.nullArg = Array.isArray((await kv.list(null)).keys);
    return out;
  },

  async bulk(kv) {
    await kv.put('bulk/a', 'A', { metadata: { m: 'a' } });
    await kv.put('bulk/j', '{"q":2}');
    return {
      get: await attempt(async () => mapEntries(await kv.get(['bulk/a', 'bulk/none', 'bulk/j']))),
      ctor: (await kv.get(['bulk/a'])).constructor.name,
      json: await attempt(async () => mapEntries(await kv.get(['bulk/j', 'bulk/none'], 'json'))),
      jsonOpt: await attempt(async () => mapEntries(await kv.get(['bulk/j'], { type: 'json' }))),
      jsonBad: await attempt(() => kv.get(['bulk/a'], 'json')),
      stream: await attempt(() => kv.get(['bulk/a'], 'stream')),
      arrayBuffer: await attempt(() => kv.get(['bulk/a'], 'arrayBuffer')),
      empty: await attempt(() => kv.get([])),
      tooMany: await attempt(() => kv.get(Array.from({ length: 101 }, (_, i) => `k${i}`))),
      emptyKey: await attempt(() => kv.get([''])),
      longKey: await attempt(() => kv.get(['k'.repeat(513)])),
      duplicate: await attempt(async () => mapEntries(await kv.get(['bulk/a', 'bulk/a']))),
      gwm: await attempt(async () => mapEntries(await kv.getWithMetadata(['bulk/a', 'bulk/none']))),
    };
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const kv = env.KV;
    const json = (v) => new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } });
    const match = url.pathname.match(/^\/case\/([a-z]+)$/);
    if (match && cases[match[1]]) return json(await attempt(() => cases[match[1]](kv)));
    const key = url.searchParams.get('key');
    switch (url.pathname) {
      case '/put': {
        const ttl = url.searchParams.get('ttl');
        await kv.put(key, await request.text(), ttl ? { expirationTtl: Number(ttl) } : undefined);
        return json({ ok: true });
      }
      case '/get': return json(await kv.getWithMetadata(key));
      case '/delete': await kv.delete(key); return json({ ok: true });
      case '/list': return json(await kv.list({ prefix: url.searchParams.get('prefix') ?? undefined }));
      default: return new Response('not found', { status: 404 });
    }
  },
};
