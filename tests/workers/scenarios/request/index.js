// Request: method, url, headers, body as text/json/arrayBuffer, clone.
function describe(request) {
  return {
    method: request.method,
    url: request.url,
    contentType: request.headers.get('content-type'),
    custom: request.headers.get('X-Custom'),
  };
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/text':
        return Response.json({ ...describe(request), body: await request.text() });
      case '/json': {
        const value = await request.json();
        return Response.json({ ...describe(request), value });
      }
      case '/array-buffer': {
        const buffer = await request.arrayBuffer();
        const bytes = [...new Uint8Array(buffer)];
        return Response.json({ isArrayBuffer: buffer instanceof ArrayBuffer, bytes });
      }
      case '/clone': {
        const copy = request.clone();
        const [a, b] = await Promise.all([request.text(), copy.text()]);
        return Response.json({ a, b, bodyUsed: request.bodyUsed, copyUsed: copy.bodyUsed });
      }
      case '/body-used': {
        await request.text();
        try {
          await request.text();
          return Response.json({ secondRead: 'succeeded' });
        } catch (e) {
          return Response.json({ secondRead: e.constructor.name });
        }
      }
      case '/bad-json': {
        try {
          await request.json();
          return Response.json({ parsed: true });
        } catch (e) {
          return Response.json({ error: e.name });
        }
      }
      case '/construct': {
        const made = new Request('https://example.com/a?b=1', {
          method: 'PUT',
          headers: { 'X-Made': 'yes' },
          body: 'payload',
        });
        return Response.json({
          method: made.method,
          url: made.url,
          header: made.headers.get('x-made'),
          body: await made.text(),
          redirect: made.redirect,
        });
      }
      case '/no-body':
        return Response.json({ ...describe(request), body: request.body === null ? null : 'stream' });
      default:
        return Response.json(describe(request), { status: pathname === '/' ? 200 : 404 });
    }
  },
};
