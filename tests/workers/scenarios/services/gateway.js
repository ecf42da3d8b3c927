// Calls the auth worker through env.AUTH (a service binding).
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/__ready') return new Response('ok');
    if (url.pathname === '/verify') {
      const r = await env.AUTH.fetch('http://auth/verify', {
        headers: { authorization: request.headers.get('authorization') ?? '' } });
      return Response.json({ status: r.status, body: await r.json(), xAuth: r.headers.get('x-auth') });
    }
    if (url.pathname === '/echo') {
      const r = await env.AUTH.fetch(new Request('https://auth.internal/echo?q=1', {
        method: 'POST', body: 'payload', headers: { 'x-from': 'gateway' } }));
      return new Response(r.body, { status: r.status, headers: r.headers });
    }
    if (url.pathname === '/boom') {
      try {
        const r = await env.AUTH.fetch('http://auth/boom');
        return Response.json({ resolved: r.status, body: await r.text(), type: r.headers.get('content-type') });
      } catch (e) {
        return Response.json({ rejected: e.message });
      }
    }
    if (url.pathname === '/shape') {
      return Response.json({ type: typeof env.AUTH.fetch, tag: Object.prototype.toString.call(env.AUTH) });
    }
    return new Response('no route', { status: 404 });
  },
};
