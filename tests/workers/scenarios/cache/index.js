// The Cache API (`caches.default`, `caches.open`): each route runs a group of cases and answers
// JSON, compared by cache.test.mjs with what wrangler dev answered.
const show = (e) => ({ name: e?.constructor?.name, message: e?.message });
async function attempt(fn) {
  try {
    const v = await fn();
    return { ok: v === undefined ? '<undefined>' : v };
  } catch (e) {
    return { error: show(e) };
  }
}
const kHttpDate = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;
// A hit as data; Date is checked for its form only (its value is the time of the put).
async function hit(c, key, options) {
  const r = await c.match(key, options);
  if (r === undefined) return '<miss>';
  const headers = [...r.headers].map(([k, v]) => (k === 'date' ? [k, kHttpDate.test(v) ? '<http-date>' : v] : [k, v]));
  return { status: r.status, statusText: r.statusText, headers, body: await r.text() };
}
const stored = async (c, key) => ((await c.match(key)) === undefined ? 'miss' : 'hit');
const minute = { 'cache-control': 'max-age=60' };
const res = (body, headers = minute, init = {}) => new Response(body, { headers, ...init });

// What the Cache API does at module top level (before any request).
let topLevel = 'not run';
try {
  const p = caches.default.match('http://example.com/top');
  topLevel = 'returned a promise';
  p.then(() => { topLevel = 'resolved'; }, (e) => { topLevel = show(e); });
} catch (e) {
  topLevel = show(e);
}

const routes = {
  async '/shape'() {
    const descriptor = Object.getOwnPropertyDescriptor(caches, 'default');
    const c = await caches.open('shape');
    return {
      topLevel,
      caches: [typeof caches, caches.constructor.name, Object.prototype.toString.call(caches)],
      cachesMethods: Object.getOwnPropertyNames(Object.getPrototypeOf(caches)).sort(),
      ownKeys: Reflect.ownKeys(caches).map(String),
      defaultProperty: { value: typeof descriptor.value, writable: descriptor.writable, enumerable: descriptor.enumerable },
      sameDefault: caches.default === caches.default,
      cache: [c.constructor.name, Object.prototype.toString.call(c), c instanceof Cache],
      cacheMethods: Object.getOwnPropertyNames(Object.getPrototypeOf(c)).sort(),
      openTwiceSame: c === (await caches.open('shape')),
      globals: [typeof Cache, typeof CacheStorage],
      newCache: await attempt(() => new Cache()),
      newCacheStorage: await attempt(() => new CacheStorage()),
      notImplemented: {
        add: await attempt(() => c.add('http://example.com/')),
        addAll: await attempt(() => c.addAll([])),
        matchAll: await attempt(() => c.matchAll()),
        keys: await attempt(() => c.keys()),
        storageHas: await attempt(() => caches.has('x')),
        storageKeys: await attempt(() => caches.keys()),
        storageDelete: await attempt(() => caches.delete('x')),
        storageMatch: await attempt(() => caches.match('http://example.com/')),
      },
      promises: [caches.open('p') instanceof Promise, c.match('http://example.com/none') instanceof Promise],
    };
  },

  async '/basic'() {
    const c = caches.default;
    const key = 'http://example.com/basic';
    const put = await attempt(() => c.put(key, res('hello', { 'cache-control': 'max-age=60', 'x-a': '1', 'content-type': 'text/plain' })));
    return {
      put,
      byUrl: await hit(c, key),
      byRequest: await hit(c, new Request(key)),
      byUrlObject: await hit(c, new URL(key)),
      withFragment: await hit(c, key + '#part'),
      withQuery: await hit(c, key + '?q=1'),
      post: await hit(c, new Request(key, { method: 'POST' })),
      postIgnoreMethod: (await hit(c, new Request(key, { method: 'POST' }), { ignoreMethod: true })).status,
      head: await hit(c, new Request(key, { method: 'HEAD' })),
      otherCache: await hit(await caches.open('other'), key),
      deletePost: await attempt(() => c.delete(new Request(key, { method: 'POST' }))),
      delete: await attempt(() => c.delete(key)),
      deleteAgain: await attempt(() => c.delete(key)),
      afterDelete: await hit(c, key),
      deleteIgnoreMethod: await attempt(async () => {
        await c.put(key, res('again'));
        return [await c.delete(new Request(key, { method: 'POST' }), { ignoreMethod: true }), await stored(c, key)];
      }),
      overwrite: await attempt(async () => {
        await c.put(key, res('first'));
        await c.put(key, res('second'));
        return (await c.match(key)).text();
      }),
    };
  },

  async '/errors'() {
    const c = caches.default;
    const used = new Response('abc');
    await used.text();
    return {
      postRequest: await attempt(() => c.put(new Request('http://example.com/e', { method: 'POST' }), res('x'))),
      headRequest: await attempt(() => c.put(new Request('http://example.com/e', { method: 'HEAD' }), res('x'))),
      partial: await attempt(() => c.put('http://example.com/e', res('x', minute, { status: 206 }))),
      varyStar: await attempt(() => c.put('http://example.com/e', res('x', { vary: '*' }))),
      varyListStar: await attempt(() => c.put('http://example.com/e', res('x', { vary: 'Accept, *' }))),
      notAResponse: await attempt(() => c.put('http://example.com/e', 'x')),
      noArguments: await attempt(() => c.put()),
      matchNoArguments: await attempt(() => c.match()),
      deleteNoArguments: await attempt(() => c.delete()),
      invalidUrl: await attempt(() => c.put('not a url', res('x'))),
      relativeUrl: await attempt(() => c.put('/relative', res('x'))),
      matchInvalidUrl: await attempt(() => c.match('not a url')),
      deleteInvalidUrl: await attempt(() => c.delete('not a url')),
      matchObject: await attempt(() => c.match({})),
      usedBody: await attempt(() => c.put('http://example.com/used', used)),
      openNoArguments: await attempt(() => caches.open()),
      nameTooLong: await attempt(() => caches.open('a'.repeat(1024))),
      nameTooLongUtf8: await attempt(() => caches.open('é'.repeat(600))),
      longestName: await attempt(async () => (await caches.open('a'.repeat(1023))).constructor.name),
      nonStringName: await attempt(async () => (await caches.open(42)).constructor.name),
      nothingStored: await stored(c, 'http://example.com/e'),
    };
  },

  async '/cache-control'() {
    const c = await caches.open('cache-control');
    const hourAhead = new Date(Date.now() + 3600e3).toUTCString();
    const hourAgo = new Date(Date.now() - 3600e3).toUTCString();
    const cases = {
      none: {},
      maxAge: { 'cache-control': 'max-age=60' },
      sMaxage: { 'cache-control': 's-maxage=60' },
      maxAgeZero: { 'cache-control': 'max-age=0' },
      sMaxageZeroWins: { 'cache-control': 'max-age=100, s-maxage=0' },
      noStore: { 'cache-control': 'no-store, max-age=60' },
      noCache: { 'cache-control': 'no-cache' },
      noCacheField: { 'cache-control': 'max-age=100, no-cache="x"' },
      private: { 'cache-control': 'private, max-age=60' },
      privateField: { 'cache-control': 'private="x-a", max-age=60' },
      publicOnly: { 'cache-control': 'public' },
      spaces: { 'cache-control': 'max-age = 100' },
      quoted: { 'cache-control': 'max-age="100"' },
      notANumber: { 'cache-control': 'max-age=abc' },
      mustRevalidate: { 'cache-control': 'max-age=100, must-revalidate' },
      setCookie: { 'cache-control': 'max-age=60', 'set-cookie': 'a=b' },
      expiresAhead: { expires: hourAhead },
      expiresPast: { expires: hourAgo },
      expiresInvalid: { expires: 'garbage' },
      maxAgeOverExpires: { 'cache-control': 'max-age=60', expires: hourAgo },
      vary: { 'cache-control': 'max-age=60', vary: 'Accept' },
    };
    const out = {};
    for (const [name, headers] of Object.entries(cases)) {
      const key = `http://example.com/cc/${name}`;
      const put = await attempt(() => c.put(key, res(name, headers)));
      out[name] = put.error ? put.error : await stored(c, key);
    }
    // Set-Cookie may be kept out with private=Set-Cookie; the rest of the response is stored.
    await c.put('http://example.com/cc/cookie', res('cookie', { 'cache-control': 'max-age=60, private=Set-Cookie', 'set-cookie': 'a=1', 'x-b': '2' }));
    const cookie = await c.match('http://example.com/cc/cookie');
    out.privateSetCookie = cookie && { setCookie: cookie.headers.get('set-cookie'), xb: cookie.headers.get('x-b'), body: await cookie.text() };
    // The response's own Age counts: it is reported on the hit.
    await c.put('http://example.com/cc/age', res('aged', { 'cache-control': 'max-age=100', age: '50' }));
    out.age = (await c.match('http://example.com/cc/age'))?.headers.get('age');
    // Headers the cache sets replace the response's own.
    await c.put('http://example.com/cc/preset', res('abc', { 'cache-control': 'max-age=60', 'cf-cache-status': 'MISS', date: 'x' }));
    out.preset = await hit(c, 'http://example.com/cc/preset');
    // A request with Authorization is kept only when the response allows it.
    const auth = (cc) => new Request(`http://example.com/cc/auth/${cc}`, { headers: { authorization: 'Bearer t' } });
    for (const cc of ['max-age=60', 'public, max-age=60']) {
      await c.put(auth(cc), res('auth', { 'cache-control': cc }));
      out[`authorization ${cc}`] = await stored(c, auth(cc));
    }
    // Vary (other than *) does not split entries.
    await c.put(new Request('http://example.com/cc/v', { headers: { accept: 'text/html' } }), res('html', { 'cache-control': 'max-age=60', vary: 'Accept' }));
    out.varyOtherAccept = await stored(c, new Request('http://example.com/cc/v', { headers: { accept: 'application/json' } }));
    return out;
  },

  async '/statuses'() {
    const c = await caches.open('statuses');
    const out = {};
    for (const s of [200, 201, 202, 203, 300, 301, 302, 303, 307, 308, 400, 403, 404, 405, 410, 414, 418, 500, 501, 503]) {
      const key = `http://example.com/status/${s}`;
      const put = await attempt(() => c.put(key, res(`b${s}`, minute, { status: s })));
      out[s] = put.error ? put.error : await stored(c, key);
    }
    out['304'] = await attempt(async () => {
      await c.put('http://example.com/status/304', new Response(null, { status: 304, headers: minute }));
      return stored(c, 'http://example.com/status/304');
    });
    out.hit404 = await hit(c, 'http://example.com/status/404');
    out.hit301 = await hit(c, 'http://example.com/status/301');
    return out;
  },

  async '/conditional'() {
    const c = await caches.open('conditional');
    const key = 'http://example.com/conditional';
    await c.put(key, res('0123456789', { 'cache-control': 'max-age=60', etag: '"v1"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' }));
    const with_ = (headers) => hit(c, new Request(key, { headers }));
    const bare = 'http://example.com/conditional/bare';
    await c.put(bare, res('abc'));
    return {
      ifNoneMatch: await with_({ 'if-none-match': '"v1"' }),
      ifNoneMatchWeak: (await with_({ 'if-none-match': 'W/"v1"' })).status,
      ifNoneMatchList: (await with_({ 'if-none-match': '"a", "v1"' })).status,
      ifNoneMatchStar: (await with_({ 'if-none-match': '*' })).status,
      ifNoneMatchOther: (await with_({ 'if-none-match': '"v2"' })).status,
      ifModifiedSinceSame: (await with_({ 'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT' })).status,
      ifModifiedSinceLater: (await with_({ 'if-modified-since': 'Thu, 22 Oct 2015 07:28:00 GMT' })).status,
      ifModifiedSinceEarlier: (await with_({ 'if-modified-since': 'Tue, 20 Oct 2015 07:28:00 GMT' })).status,
      ifModifiedSinceInvalid: (await with_({ 'if-modified-since': 'garbage' })).status,
      range: await with_({ range: 'bytes=0-3' }),
      rangeSuffix: await with_({ range: 'bytes=-3' }),
      rangeOpen: (await with_({ range: 'bytes=7-' })).body,
      rangePastEnd: (await with_({ range: 'bytes=5-100' })).body,
      rangeUnsatisfiable: await with_({ range: 'bytes=20-30' }),
      rangeOtherUnit: (await with_({ range: 'items=0-1' })).status,
      rangeReversed: (await with_({ range: 'bytes=5-2' })).status,
      bareIfNoneMatchStar: (await hit(c, new Request(bare, { headers: { 'if-none-match': '*' } }))).status,
      bareIfModifiedSince: (await hit(c, new Request(bare, { headers: { 'if-modified-since': 'Thu, 22 Oct 2025 07:28:00 GMT' } }))).status,
    };
  },

  async '/bodies'() {
    const c = await caches.open('bodies');
    const key = 'http://example.com/bodies/';
    await c.put(key + 'bytes', res(new Uint8Array([0, 1, 2, 255, 254])));
    const bytes = await c.match(key + 'bytes');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('str'));
        controller.enqueue(new TextEncoder().encode('eam'));
        controller.close();
      },
    });
    await c.put(key + 'stream', res(stream));
    const response = res('abc');
    const putting = c.put(key + 'used', response);
    const usedAfterPut = response.bodyUsed;
    await putting;
    await c.put(key + 'json', Response.json({ a: 1 }, { headers: minute }));
    const json = await c.match(key + 'json');
    await c.put(key + 'status-text', res('x', minute, { statusText: 'Fine' }));
    const statusText = await c.match(key + 'status-text');
    await c.put(key + 'empty', res(''));
    const empty = await c.match(key + 'empty');
    return {
      bytes: [...new Uint8Array(await bytes.arrayBuffer())],
      stream: await (await c.match(key + 'stream')).text(),
      usedAfterPut,
      json: [json.headers.get('content-type'), await json.json()],
      statusText: statusText.statusText,
      immutable: await attempt(() => statusText.headers.set('x-new', '1')),
      response: [statusText.constructor.name, statusText.url, statusText.redirected, statusText.type, statusText.body?.constructor.name],
      empty: [empty.status, empty.headers.get('content-length'), await empty.text()],
      encoding: await attempt(async () => {
        await c.put(key + 'enc', res('gz', { 'cache-control': 'max-age=60', 'content-encoding': 'identity' }));
        return (await c.match(key + 'enc')).headers.get('content-encoding');
      }),
    };
  },

  async '/names'() {
    await caches.default.put('http://example.com/names', res('default'));
    await (await caches.open('default')).put('http://example.com/names2', res('named default'));
    return {
      emptyNameIsDefault: await stored(await caches.open(''), 'http://example.com/names'),
      defaultNameIsNot: await stored(await caches.open('default'), 'http://example.com/names'),
      notTheOtherWayEither: await stored(caches.default, 'http://example.com/names2'),
    };
  },

  // Expiry: put with short lifetimes, then the test waits and reads again.
  async '/ttl/put'() {
    const c = await caches.open('ttl');
    await c.put('http://example.com/ttl/short', res('short', { 'cache-control': 'max-age=1' }));
    await c.put('http://example.com/ttl/s-maxage', res('long', { 'cache-control': 's-maxage=100, max-age=1' }));
    await c.put('http://example.com/ttl/s-maxage-short', res('short', { 'cache-control': 's-maxage=1, max-age=100' }));
    return { short: await stored(c, 'http://example.com/ttl/short') };
  },
  async '/ttl/get'() {
    const c = await caches.open('ttl');
    return {
      short: await stored(c, 'http://example.com/ttl/short'),
      sMaxage: await stored(c, 'http://example.com/ttl/s-maxage'),
      sMaxageShort: await stored(c, 'http://example.com/ttl/s-maxage-short'),
      deleteExpired: await c.delete('http://example.com/ttl/short'),
    };
  },

  // A response served from the cache when there, stored on the way out when not: the pattern
  // workers use, through ctx.waitUntil.
  async '/through'(request, ctx) {
    const url = new URL(request.url);
    const key = new Request(`http://example.com/through/${url.searchParams.get('id')}`);
    const cached = await caches.default.match(key);
    if (cached) return cached;
    const fresh = new Response(`computed ${url.searchParams.get('id')}`, { headers: { 'cache-control': 'max-age=60', 'x-origin': 'worker' } });
    ctx.waitUntil(caches.default.put(key, fresh.clone()));
    return fresh;
  },
};

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    const route = routes[pathname];
    if (!route) return new Response('not found', { status: 404 });
    const result = await route(request, ctx);
    return result instanceof Response ? result : Response.json(result);
  },
};
