// Headers: case-insensitive get, ordered iteration, append vs set, getSetCookie and
// multiple Set-Cookie headers that must reach the client as separate header lines.
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/basics': {
        const h = new Headers({ 'Content-Type': 'text/plain', 'X-Zeta': 'z' });
        h.append('x-alpha', 'a1');
        h.append('X-ALPHA', 'a2');
        h.set('x-beta', 'b');
        const invalid = [];
        for (const [name, value] of [['bad name', 'v'], ['x-ok', 'bad\nvalue']]) {
          try {
            h.set(name, value);
            invalid.push('accepted');
          } catch (e) {
            invalid.push(e.constructor.name);
          }
        }
        return Response.json({
          get: h.get('CONTENT-TYPE'),
          alpha: h.get('x-Alpha'),
          has: h.has('X-BETA'),
          missing: h.get('x-missing'),
          entries: [...h],
          keys: [...h.keys()],
          invalid,
        });
      }
      case '/request-headers':
        // Echo what the client sent, lower-cased names in sorted order.
        return Response.json({ entries: [...request.headers].filter(([k]) => k.startsWith('x-')) });
      case '/cookies': {
        const h = new Headers();
        h.append('Set-Cookie', 'a=1; Path=/');
        h.append('Set-Cookie', 'b=2; Path=/; HttpOnly');
        h.append('Set-Cookie', 'c=3, with comma; Path=/');
        const joined = h.get('set-cookie');
        const list = h.getSetCookie();
        h.set('content-type', 'application/json');
        return new Response(JSON.stringify({ joined, list }), { headers: h });
      }
      case '/delete': {
        const h = new Headers({ 'X-Gone': '1', 'X-Kept': '2' });
        h.delete('x-GONE');
        return new Response('ok', { headers: h });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
