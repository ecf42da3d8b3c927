// Analytics Engine (`env.VITALS.writeDataPoint`): what a write returns and throws. The rows
// written are read back by analytics.test.mjs with `blaze analytics query` (Blaze only: wrangler
// dev keeps no data points).
const show = (e) => ({ name: e?.constructor?.name, message: e?.message });
function attempt(fn) {
  try {
    const v = fn();
    return v === undefined ? '<undefined>' : { returned: String(v) };
  } catch (e) {
    return { error: show(e) };
  }
}
const many = (n, v) => Array.from({ length: n }, () => v);

const routes = {
  '/shape'(env) {
    return {
      binding: typeof env.VITALS,
      method: typeof env.VITALS.writeDataPoint,
      enumerable: Object.keys(env).includes('VITALS'),
    };
  },
  // ?tag=T&n=N: N points tagged T (blob1 = T, double1 = i, index1 = T-i%2).
  '/write'(env, url) {
    const tag = url.searchParams.get('tag');
    const n = Number(url.searchParams.get('n') || 1);
    const results = [];
    for (let i = 0; i < n; i++) {
      results.push(attempt(() => env.VITALS.writeDataPoint({
        blobs: [tag, `path-${i}`], doubles: [i, i * 1.5], indexes: [`${tag}-${i % 2}`],
      })));
    }
    return { results: [...new Set(results)] };
  },
  // Over workerd's limits (tagged blob1 = ?tag): writeDataPoint still returns undefined.
  '/limits'(env, url) {
    const tag = url.searchParams.get('tag');
    return {
      blobs21: attempt(() => env.VITALS.writeDataPoint({ blobs: [tag, ...many(20, 'x')] })),
      doubles21: attempt(() => env.VITALS.writeDataPoint({ blobs: [tag], doubles: many(21, 1) })),
      indexes2: attempt(() => env.VITALS.writeDataPoint({ blobs: [tag], indexes: ['a', 'b'] })),
      index97: attempt(() => env.VITALS.writeDataPoint({ blobs: [tag], indexes: ['x'.repeat(97)] })),
      blobBytes: attempt(() => env.VITALS.writeDataPoint({ blobs: [tag, 'x'.repeat(16000)] })),
    };
  },
  // Argument conversions and the errors workerd throws at once.
  '/conversions'(env, url) {
    const tag = url.searchParams.get('tag');
    const V = env.VITALS;
    return {
      noArgument: attempt(() => V.writeDataPoint()),
      nullEvent: attempt(() => V.writeDataPoint(null)),
      emptyEvent: attempt(() => V.writeDataPoint({})),
      stringEvent: attempt(() => V.writeDataPoint('x')),
      numberEvent: attempt(() => V.writeDataPoint(5)),
      blobsString: attempt(() => V.writeDataPoint({ blobs: 'abc' })),
      blobsNull: attempt(() => V.writeDataPoint({ blobs: null })),
      blobsSet: attempt(() => V.writeDataPoint({ blobs: new Set(['a']) })),
      doublesNumber: attempt(() => V.writeDataPoint({ doubles: 5 })),
      doubleBigInt: attempt(() => V.writeDataPoint({ doubles: [10n] })),
      unknownField: attempt(() => V.writeDataPoint({ foo: 1 })),
      // Converted, then stored (blob1 = tag marks the row).
      kinds: attempt(() => V.writeDataPoint({
        blobs: [tag, 42, null, new Uint8Array([104, 105]), true, undefined, { a: 1 }],
        doubles: ['1.5', null, 'abc', true],
        indexes: [7],
      })),
      inherited: attempt(() => V.writeDataPoint(Object.create({ blobs: [tag, 'inherited'] }))),
    };
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const route = routes[url.pathname];
    if (!route) return new Response('not found', { status: 404 });
    return Response.json(route(env, url));
  },
};
