// bench/r2 worker: /put writes a 1 MB object under ?key= (a fresh key each time when the
// caller varies it), /get reads it back as the response body.
const kSize = 1024 * 1024;
const payload = new Uint8Array(kSize);
for (let i = 0; i < kSize; i++) payload[i] = (i * 131 + 7) & 0xff;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.searchParams.get('key') || 'obj';
    if (url.pathname === '/put') {
      payload[0] = (payload[0] + 1) & 0xff;  // distinct content: no deduplication shortcut
      const o = await env.BUCKET.put(key, payload);
      return new Response(o.etag);
    }
    if (url.pathname === '/get') {
      const o = await env.BUCKET.get(key);
      if (o === null) return new Response('missing', { status: 404 });
      return new Response(o.body, { headers: { etag: o.httpEtag } });
    }
    return new Response('ok');
  },
};
