// bench/kv worker: /seed writes KEYS keys of 1 KiB; /get reads one hot key (a per-core cache
// hit on Blaze after the first read); /spread reads a random one of the KEYS keys; /put writes
// one of them (every put invalidates the namespace's cached reads on every core).
const kKeys = 1000;
const value = 'v'.repeat(1024);
let n = 0;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/seed':
        for (let i = 0; i < kKeys; i++) await env.KV.put(`k${i}`, value);
        return new Response(`seeded ${kKeys}`);
      case '/get': {
        const v = await env.KV.get('k0');
        return new Response(v === null ? 'missing' : `${v.length}`, { status: v === null ? 404 : 200 });
      }
      case '/spread': {
        const v = await env.KV.get(`k${Math.floor(Math.random() * kKeys)}`);
        return new Response(v === null ? 'missing' : `${v.length}`, { status: v === null ? 404 : 200 });
      }
      case '/put':
        await env.KV.put(`k${n++ % kKeys}`, value);
        return new Response('ok');
      default:
        return new Response('ok');
    }
  },
};
