// URL and URLSearchParams. /self echoes the parts of the request URL; /parse?input=..&base=..
// echoes the parts of an arbitrary URL (or the error name); /params exercises URLSearchParams.
function parts(url) {
  return {
    href: url.href, origin: url.origin, protocol: url.protocol, username: url.username,
    password: url.password, host: url.host, hostname: url.hostname, port: url.port,
    pathname: url.pathname, search: url.search, hash: url.hash,
  };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/self':
        return Response.json(parts(url));
      case '/parse': {
        const input = url.searchParams.get('input');
        const base = url.searchParams.get('base') ?? undefined;
        try {
          return Response.json(parts(new URL(input, base)));
        } catch (e) {
          return Response.json({ error: e.constructor.name });
        }
      }
      case '/params': {
        const p = url.searchParams;
        const built = new URLSearchParams({ z: '1', 'a b': 'c&d' });
        built.append('a b', 'é');
        const sorted = new URLSearchParams(p);
        sorted.sort();
        return Response.json({
          a: p.get('a'), all: p.getAll('a'), has: p.has('plus'), plus: p.get('plus'),
          encoded: p.get('enc'), missing: p.get('nope'), entries: [...p], size: p.size,
          sorted: sorted.toString(), built: built.toString(),
        });
      }
      case '/mutate': {
        const u = new URL('https://example.com/path?x=1');
        u.searchParams.set('y', 'a b');
        u.pathname = '/new path';
        u.hash = 'frag';
        u.port = '8443';
        return Response.json({ href: u.href });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
