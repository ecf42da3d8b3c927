// The bound worker: echoes what it received, checks a token, throws on /boom.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/boom') throw new Error('auth exploded');
    if (url.pathname === '/verify') {
      const ok = request.headers.get('authorization') === 'Bearer good';
      return Response.json({ ok, role: env.ROLE }, { status: ok ? 200 : 401,
        headers: { 'x-auth': 'checked' } });
    }
    return Response.json({
      method: request.method, url: request.url, body: await request.text(),
      header: request.headers.get('x-from'),
    });
  },
};
