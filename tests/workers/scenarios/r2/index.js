// R2 binding scenario: each route runs one group of operations on env.BUCKET and answers with
// JSON describing what came back (values, classes, thrown errors), which r2.test.mjs compares.
// Routes use their own key prefixes so they do not depend on each other's order.

function err(e) {
  return { error: { name: e.name, message: e.message } };
}

async function attempt(fn) {
  try {
    return { ok: await fn() };
  } catch (e) {
    return err(e);
  }
}

// An R2Object as plain data: enough to compare shapes across runtimes.
function describe(o) {
  if (o === null) return null;
  return {
    cls: o.constructor.name,
    key: o.key,
    size: o.size,
    etag: o.etag,
    httpEtag: o.httpEtag,
    versionOk: /^[0-9a-f]{32}$/.test(o.version),
    uploadedIsDate: o.uploaded instanceof Date,
    httpMetadata: Object.fromEntries(Object.entries(o.httpMetadata).map(([k, v]) =>
      [k, v instanceof Date ? { date: v.toISOString() } : v])),
    customMetadata: o.customMetadata,
    checksums: o.checksums.toJSON(),
    range: o.range === undefined ? 'undefined' : o.range,
    hasBody: 'body' in o,
  };
}

async function clear(B, prefix) {
  for (;;) {
    const page = await B.list({ prefix });
    if (page.objects.length > 0) await B.delete(page.objects.map((o) => o.key));
    if (!page.truncated) break;
  }
}

const enc = new TextEncoder();

const routes = {
  async '/basics'(B) {
    const put = await B.put('basics/hello.txt', 'hello', {
      httpMetadata: { contentType: 'text/plain' }, customMetadata: { team: 'cubs', n: 7 } });
    const head = await B.head('basics/hello.txt');
    const get = await B.get('basics/hello.txt');
    return {
      put: describe(put),
      head: describe(head),
      get: describe(get),
      text: await get.text(),
      ownKeys: Object.keys(head),
      json: Object.keys(JSON.parse(JSON.stringify(head))),
      getProto: Object.getOwnPropertyNames(Object.getPrototypeOf(get)).sort(),
      headProto: Object.getOwnPropertyNames(Object.getPrototypeOf(head)).sort(),
      bucketProto: Object.getOwnPropertyNames(Object.getPrototypeOf(B)).sort(),
      bucketCls: B.constructor.name,
      checksumsCls: head.checksums.constructor.name,
      checksumKeys: Object.keys(head.checksums),
      md5Type: Object.prototype.toString.call(head.checksums.md5),
      md5Bytes: head.checksums.md5.byteLength,
      sameVersion: put.version === head.version && head.version === get.version,
      uploadedSame: put.uploaded.getTime() === head.uploaded.getTime(),
      missingGet: await B.get('basics/missing'),
      missingHead: await B.head('basics/missing'),
      deleteMissing: await attempt(() => B.delete('basics/missing')),
    };
  },

  async '/values'(B) {
    const sizeOf = async (key, value) => attempt(async () => {
      const put = await B.put(key, value);
      const got = await B.get(key);
      return { size: put.size, bytes: [...new Uint8Array(await got.arrayBuffer())].slice(0, 8) };
    });
    return {
      string: await sizeOf('values/s', 'héllo'),
      arrayBuffer: await sizeOf('values/ab', new Uint8Array([1, 2, 3]).buffer),
      view: await sizeOf('values/view', new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4)),
      blob: await sizeOf('values/blob', new Blob(['ab', new Uint8Array([99])])),
      nullValue: await sizeOf('values/null', null),
      undefinedValue: await sizeOf('values/undef', undefined),
      responseBody: await sizeOf('values/resp', new Response('stream me').body),
      number: await sizeOf('values/num', 42),
      object: await sizeOf('values/obj', { a: 1 }),
      emptyEtag: (await B.head('values/null')).etag,
    };
  },

  async '/plain-stream'(B) {
    const stream = new ReadableStream({
      start(c) { c.enqueue(enc.encode('chunk1,')); c.enqueue(enc.encode('chunk2')); c.close(); },
    });
    return attempt(async () => {
      const put = await B.put('stream/plain', stream);
      return { size: put.size, text: await (await B.get('stream/plain')).text() };
    });
  },

  async '/bodies'(B) {
    await B.put('bodies/j', '{"a":[1,2]}', { httpMetadata: { contentType: 'application/json' } });
    const o = await B.get('bodies/j');
    const out = { bodyType: Object.prototype.toString.call(o.body), usedBefore: o.bodyUsed };
    out.json = await o.json();
    out.usedAfter = o.bodyUsed;
    out.again = await attempt(() => o.text());
    const b = await (await B.get('bodies/j')).blob();
    out.blob = { type: b.type, size: b.size, cls: b.constructor.name };
    const bytes = await (await B.get('bodies/j')).bytes();
    out.bytes = Object.prototype.toString.call(bytes) + bytes.length;
    const ab = await (await B.get('bodies/j')).arrayBuffer();
    out.arrayBuffer = Object.prototype.toString.call(ab) + ab.byteLength;
    const s = await B.get('bodies/j');
    const reader = s.body.getReader();
    let total = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      total += value.byteLength;
    }
    out.streamed = total;
    out.usedAfterStream = s.bodyUsed;
    const r = await B.get('bodies/j');
    out.response = await new Response(r.body).text();
    return out;
  },

  async '/metadata'(B) {
    const fromHeaders = await B.put('meta/h', 'x', { httpMetadata: new Headers({
      'content-type': 'a/b', 'cache-control': 'no-cache', 'content-disposition': 'inline',
      'content-language': 'en', 'content-encoding': 'identity',
      expires: 'Wed, 21 Oct 2015 07:28:00 GMT', 'x-other': '1' }) });
    const h = new Headers({ 'x-keep': '1', 'content-type': 'old' });
    (await B.head('meta/h')).writeHttpMetadata(h);
    const expiry = await B.put('meta/e', 'x', { httpMetadata: { cacheExpiry: new Date(1700000000000) } });
    return {
      fromHeaders: fromHeaders.httpMetadata.contentType,
      http: describe(await B.head('meta/h')).httpMetadata,
      written: [...h],
      expiry: describe(expiry).httpMetadata,
      expiryNumber: describe(await B.put('meta/n', 'x',
        { httpMetadata: { cacheExpiry: 1700000000000 } })).httpMetadata,
      stringified: describe(await B.put('meta/c', 'x',
        { httpMetadata: { contentType: 5, bogus: 'z' }, customMetadata: { a: 1, b: true } })),
      tooBig: await attempt(() => B.put('meta/big', 'x', { customMetadata: { a: 'x'.repeat(2048) } })),
      justFits: await attempt(async () => (await B.put('meta/fit', 'x',
        { customMetadata: { a: 'x'.repeat(2047) } })).size),
      badHttp: await attempt(() => B.put('meta/x', 'x', { httpMetadata: 5 })),
      badCustom: await attempt(() => B.put('meta/x', 'x', { customMetadata: 'str' })),
      badExpiry: await attempt(() => B.put('meta/x', 'x', { httpMetadata: { cacheExpiry: 'soon' } })),
      badOptions: await attempt(() => B.put('meta/x', 'x', 5)),
      badWrite: await attempt(async () => (await B.head('meta/h')).writeHttpMetadata({})),
    };
  },

  async '/keys'(B) {
    const long = 'k'.repeat(1025);
    return {
      putLong: await attempt(() => B.put(long, 'x')),
      getLong: await attempt(() => B.get(long)),
      headLong: await attempt(() => B.head(long)),
      deleteLong: await attempt(() => B.delete(long)),
      put1024: await attempt(async () => (await B.put('k'.repeat(1024), 'x')).key.length),
      empty: await attempt(async () => (await B.put('', 'empty key')).key),
      emptyGet: await attempt(async () => (await B.get('')).text()),
      dotdot: await attempt(async () => {
        await B.put('../../etc/passwd', 'not a file');
        return (await B.get('../../etc/passwd')).text();
      }),
      number: await attempt(async () => (await B.put(123, 'x')).key),
      nullKey: await attempt(async () => (await B.put(null, 'x')).key),
      unicode: await attempt(async () => (await B.put('ünï/😀', 'x')).key),
      noKey: await attempt(() => B.put()),
      getNoKey: await attempt(() => B.get()),
      deleteNothing: await attempt(() => B.delete()),
    };
  },

  async '/checksums'(B) {
    const sum = async (opts) => attempt(async () => (await B.put('sums/x', 'hello', opts)).checksums.toJSON());
    return {
      md5Hex: await sum({ md5: '5d41402abc4b2a76b9719d911017c592' }),
      md5Upper: await sum({ md5: '5D41402ABC4B2A76B9719D911017C592' }),
      md5Wrong: await sum({ md5: '0'.repeat(32) }),
      md5Short: await sum({ md5: 'abc' }),
      md5NotHex: await sum({ md5: 'z'.repeat(32) }),
      md5Buffer: await sum({ md5: new Uint8Array(await crypto.subtle.digest('MD5', enc.encode('hello'))) }),
      md5ShortBuffer: await sum({ md5: new Uint8Array(3) }),
      md5Number: await sum({ md5: 5 }),
      sha1: await sum({ sha1: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' }),
      sha256: await sum({ sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' }),
      sha256Wrong: await sum({ sha256: '0'.repeat(64) }),
      sha512Wrong: await sum({ sha512: 'a'.repeat(128) }),
      two: await sum({ md5: '5d41402abc4b2a76b9719d911017c592', sha1: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' }),
      kept: (await B.head('sums/x')).checksums.toJSON(),
    };
  },

  async '/ranges'(B) {
    await B.put('ranges/r', '0123456789');
    await B.put('ranges/empty', '');
    const read = (key, range) => attempt(async () => {
      const o = await B.get(key, { range });
      return { range: o.range, text: await o.text() };
    });
    const r = (range) => read('ranges/r', range);
    return {
      offsetLength: await r({ offset: 2, length: 3 }),
      offset: await r({ offset: 7 }),
      length: await r({ length: 4 }),
      suffix: await r({ suffix: 3 }),
      suffixBig: await r({ suffix: 30 }),
      lengthBig: await r({ offset: 5, length: 100 }),
      emptyRange: await r({}),
      strings: await r({ offset: '2', length: '3' }),
      offsetPast: await r({ offset: 30 }),
      offsetAtEnd: await r({ offset: 10 }),
      lengthZero: await r({ offset: 5, length: 0 }),
      suffixZero: await r({ suffix: 0 }),
      offsetNegative: await r({ offset: -1 }),
      offsetFraction: await r({ offset: 1.5 }),
      offsetNaN: await r({ offset: 'abc' }),
      lengthNegative: await r({ offset: 1, length: -1 }),
      lengthFraction: await r({ offset: 1, length: 1.5 }),
      suffixNegative: await r({ suffix: -1 }),
      suffixFraction: await r({ suffix: 1.5 }),
      suffixAndOffset: await r({ suffix: 2, offset: 1 }),
      suffixAndLength: await r({ suffix: 2, length: 1 }),
      notAnObject: await r(5),
      header: await r(new Headers({ range: 'bytes=1-3' })),
      headerOpen: await r(new Headers({ range: 'bytes=8-' })),
      headerSuffix: await r(new Headers({ range: 'bytes=-2' })),
      headerMulti: await r(new Headers({ range: 'bytes=0-1,3-4' })),
      headerBad: await r(new Headers({ range: 'foo' })),
      headerPast: await r(new Headers({ range: 'bytes=50-60' })),
      headerNone: await r(new Headers()),
      emptyObject: await read('ranges/empty', { offset: 0 }),
      emptyObjectHeader: await read('ranges/empty', new Headers({ range: 'bytes=0-' })),
      missingKey: await attempt(() => B.get('ranges/missing', { range: { offset: 50 } })),
    };
  },

  async '/conditionals'(B) {
    const put = await B.put('cond/k', 'conditional body');
    const etag = put.etag;
    const g = (onlyIf, range) => attempt(async () => {
      const o = await B.get('cond/k', { onlyIf, range });
      if (o === null) return null;
      return { cls: o.constructor.name, body: 'body' in o ? await o.text() : null, range: o.range };
    });
    const later = new Date(Date.now() + 3600_000);
    return {
      match: await g({ etagMatches: etag }),
      noMatch: await g({ etagMatches: 'other' }),
      star: await g({ etagMatches: '*' }),
      doesNotMatchSame: await g({ etagDoesNotMatch: etag }),
      doesNotMatchOther: await g({ etagDoesNotMatch: 'other' }),
      quoted: await g({ etagMatches: `"${etag}"` }),
      weakLiteral: await g({ etagMatches: `W/"${etag}"` }),
      list: await g({ etagMatches: ['a', etag] }),
      number: await g({ etagMatches: 5 }),
      beforeLater: await g({ uploadedBefore: later }),
      beforeEpoch: await g({ uploadedBefore: new Date(0) }),
      afterEpoch: await g({ uploadedAfter: new Date(0) }),
      afterLater: await g({ uploadedAfter: later }),
      afterNumber: await g({ uploadedAfter: 0 }),
      beforeString: await g({ uploadedBefore: '2020-01-01' }),
      ifMatch: await g(new Headers({ 'if-match': `"${etag}"` })),
      ifMatchList: await g(new Headers({ 'if-match': `"a", "${etag}"` })),
      ifMatchOther: await g(new Headers({ 'if-match': '"nope"' })),
      ifMatchWeak: await g(new Headers({ 'if-match': `W/"${etag}"` })),
      ifMatchUnquoted: await g(new Headers({ 'if-match': etag })),
      ifNoneMatch: await g(new Headers({ 'if-none-match': `"${etag}"` })),
      ifNoneMatchWeak: await g(new Headers({ 'if-none-match': `W/"${etag}"` })),
      ifNoneMatchStar: await g(new Headers({ 'if-none-match': '*' })),
      ifModifiedSince: await g(new Headers({ 'if-modified-since': later.toUTCString() })),
      ifUnmodifiedSince: await g(new Headers({ 'if-unmodified-since': new Date(0).toUTCString() })),
      ifModifiedSinceGarbage: await g(new Headers({ 'if-modified-since': 'garbage' })),
      failedWithRange: await g({ etagMatches: 'x' }, { offset: 1 }),
      notAnObject: await g('x'),
      missingKey: await attempt(() => B.get('cond/missing', { onlyIf: { etagMatches: 'a' } })),
      headIgnoresOptions: describe(await B.head('cond/k', { onlyIf: { etagMatches: 'x' } })).key,
    };
  },

  async '/conditional-put'(B) {
    await clear(B, 'cput/');
    const first = await B.put('cput/k', 'v1');
    const p = (key, value, onlyIf) => attempt(async () => {
      const r = await B.put(key, value, { onlyIf });
      return r === null ? null : r.size;
    });
    return {
      refused: await p('cput/k', 'v2-refused', { etagMatches: 'nope' }),
      afterRefused: await (await B.get('cput/k')).text(),
      accepted: await p('cput/k', 'v2', { etagMatches: first.etag }),
      createOnlyExisting: await p('cput/k', 'v3', { etagDoesNotMatch: '*' }),
      createOnlyNew: await p('cput/new', 'fresh', { etagDoesNotMatch: '*' }),
      matchMissing: await p('cput/missing', 'x', { etagMatches: 'a' }),
      headersRefused: await p('cput/k', 'v4', new Headers({ 'if-match': '"nope"' })),
      final: await (await B.get('cput/k')).text(),
      badOnlyIf: await p('cput/k', 'v5', 5),
    };
  },

  async '/list'(B) {
    await clear(B, 'list/');
    for (const k of ['a/1', 'a/2', 'a/b/3', 'b', 'c/x/y', 'c/z', 'd', 'é', 'Z', 'a.txt']) {
      await B.put('list/' + k, 'v-' + k, { httpMetadata: { contentType: 'text/plain' },
        customMetadata: { k } });
    }
    const L = async (opts) => attempt(async () => {
      const r = await B.list({ prefix: 'list/', ...opts });
      return {
        keys: r.objects.map((o) => o.key.slice(5)),
        prefixes: r.delimitedPrefixes.map((p) => p.slice(5)),
        truncated: r.truncated,
        hasCursor: 'cursor' in r,
        shape: Object.keys(r),
        first: r.objects[0] && { cls: r.objects[0].constructor.name,
          range: r.objects[0].range === undefined ? 'undefined' : r.objects[0].range,
          http: r.objects[0].httpMetadata, custom: r.objects[0].customMetadata,
          checksums: r.objects[0].checksums.toJSON() },
      };
    });
    const pages = [];
    let cursor;
    do {
      const r = await B.list({ prefix: 'list/', limit: 3, cursor });
      pages.push(r.objects.map((o) => o.key.slice(5)));
      cursor = r.truncated ? r.cursor : undefined;
    } while (cursor !== undefined);
    const dpages = [];
    cursor = undefined;
    do {
      const r = await B.list({ prefix: 'list/', delimiter: '/', limit: 2, cursor });
      dpages.push([...r.objects.map((o) => o.key.slice(5)), ...r.delimitedPrefixes.map((p) => p.slice(5))]);
      cursor = r.truncated ? r.cursor : undefined;
    } while (cursor !== undefined);
    return {
      all: await L({}),
      prefix: await L({ prefix: 'list/a/' }),
      delimiter: await L({ delimiter: '/' }),
      prefixDelimiter: await L({ prefix: 'list/a/', delimiter: '/' }),
      multiCharDelimiter: await L({ delimiter: 'x/' }),
      emptyDelimiter: await L({ delimiter: '' }),
      limit2: await L({ limit: 2 }),
      pages,
      delimitedPages: dpages,
      startAfter: await L({ startAfter: 'list/b' }),
      includeHttp: await L({ include: ['httpMetadata'], limit: 1 }),
      includeCustom: await L({ include: ['customMetadata'], limit: 1 }),
      includeBoth: await L({ include: ['httpMetadata', 'customMetadata'], limit: 1 }),
      limitFraction: await L({ limit: 1.5 }),
      limitString: await L({ limit: '2' }),
      limitNegative: await L({ limit: -1 }),
      limitZero: await L({ limit: 0 }),
      limitTooBig: await L({ limit: 1001 }),
      limitNaN: await L({ limit: 'abc' }),
      limitHuge: await L({ limit: 1e10 }),
      includeBad: await L({ include: ['foo'] }),
      includeString: await L({ include: 'httpMetadata' }),
      prefixNumber: await attempt(() => B.list({ prefix: 5 })),
      notAnObject: await attempt(() => B.list('x')),
      nullOptions: await attempt(async () => (await B.list(null)).truncated),
    };
  },

  async '/list-include-cap'(B) {
    await clear(B, 'many/');
    await Promise.all(Array.from({ length: 105 }, (_, i) =>
      B.put('many/' + String(i).padStart(3, '0'), 'x')));
    const plain = await B.list({ prefix: 'many/' });
    const withMeta = await B.list({ prefix: 'many/', include: ['customMetadata'], limit: 500 });
    return { plain: [plain.objects.length, plain.truncated],
      withMeta: [withMeta.objects.length, withMeta.truncated] };
  },

  async '/delete'(B) {
    await clear(B, 'del/');
    for (const k of ['a', 'b', 'c', 'd']) await B.put('del/' + k, k);
    const one = await B.delete('del/a');
    const many = await B.delete(['del/b', 'del/c', 'del/missing']);
    const empty = await B.delete([]);
    return {
      one: one === undefined ? 'undefined' : one,
      many: many === undefined ? 'undefined' : many,
      empty: empty === undefined ? 'undefined' : empty,
      left: (await B.list({ prefix: 'del/' })).objects.map((o) => o.key),
      getDeleted: await B.get('del/a'),
    };
  },

  async '/storage-class'(B) {
    const put = await B.put('sc/x', 'x');
    return { put: put.storageClass, head: (await B.head('sc/x')).storageClass };
  },

  async '/versions'(B) {
    await B.put('ver/report.csv', 'v1');
    await B.put('ver/report.csv', 'v2');
    await B.put('ver/report.csv', 'v3');
    return { text: await (await B.get('ver/report.csv')).text() };
  },

  // The upload pattern: the request body streams straight into the bucket.
  async '/upload'(B, request) {
    const put = await B.put('upload/blob.bin', request.body,
      { httpMetadata: request.headers });
    const got = await B.get('upload/blob.bin');
    return { size: put.size, etag: put.etag, contentType: got.httpMetadata.contentType,
      roundTrip: (await got.arrayBuffer()).byteLength };
  },

  async '/big'(B) {
    const bytes = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const put = await B.put('big/3mb', bytes);
    const got = await B.get('big/3mb');
    const back = new Uint8Array(await got.arrayBuffer());
    let same = back.length === bytes.length;
    for (let i = 0; same && i < back.length; i += 4093) same = back[i] === bytes[i];
    const part = await B.get('big/3mb', { range: { offset: 1024 * 1024, length: 16 } });
    return { size: put.size, same, part: [...new Uint8Array(await part.arrayBuffer())].slice(0, 4) };
  },
};

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const route = routes[pathname];
    if (route === undefined) return new Response('not found', { status: 404 });
    return Response.json(await route(env.BUCKET, request));
  },
};
