// crypto.randomUUID and crypto.getRandomValues (format, typed-array kinds, 65536-byte quota).
function attempt(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e.name, isDOMException: e instanceof DOMException };
  }
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/uuid':
        return Response.json({ uuids: Array.from({ length: 50 }, () => crypto.randomUUID()) });
      case '/random': {
        const filled = crypto.getRandomValues(new Uint8Array(65536));
        const same = crypto.getRandomValues(new Uint32Array(4));
        return Response.json({
          length: filled.length,
          distinct: new Set(filled).size,
          returnsSameKind: same instanceof Uint32Array,
          quota: attempt(() => crypto.getRandomValues(new Uint8Array(65537)).length),
          float: attempt(() => crypto.getRandomValues(new Float64Array(2)).length),
          bigint: attempt(() => crypto.getRandomValues(new BigUint64Array(2)).length),
        });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
