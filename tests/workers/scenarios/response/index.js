// Response: constructor forms, Response.json, Response.redirect, clone, status/statusText, headers.
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/string':
        return new Response('plain string');
      case '/null-body':
        return new Response(null, { status: 204 });
      case '/bytes':
        return new Response(new Uint8Array([104, 105]), { headers: { 'content-type': 'application/octet-stream' } });
      case '/array-buffer':
        return new Response(new TextEncoder().encode('from buffer').buffer);
      case '/stream': {
        const encoder = new TextEncoder();
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(encoder.encode('chunk1,'));
            controller.enqueue(encoder.encode('chunk2'));
            controller.close();
          },
        });
        return new Response(stream);
      }
      case '/status':
        return new Response('teapot', { status: 418, statusText: 'I Am A Teapot', headers: { 'X-A': '1' } });
      case '/json':
        return Response.json({ ok: true, n: 1 }, { status: 201, headers: { 'X-Extra': 'e' } });
      case '/redirect':
        return Response.redirect('https://example.com/target', 301);
      case '/redirect-default':
        return Response.redirect('https://example.com/default');
      case '/clone': {
        const original = new Response('cloned body', { status: 202, headers: { 'X-C': 'c' } });
        const copy = original.clone();
        const first = await original.text();
        return new Response(`${first}|${await copy.text()}`, { status: copy.status, headers: copy.headers });
      }
      case '/props': {
        const r = new Response('x', { status: 299 });
        const bad = [];
        for (const status of [199, 600]) {
          try {
            new Response('x', { status });
            bad.push(`${status}:accepted`);
          } catch (e) {
            bad.push(`${status}:${e.constructor.name}`);
          }
        }
        let redirectBad;
        try {
          Response.redirect('https://example.com/', 200);
          redirectBad = 'accepted';
        } catch (e) {
          redirectBad = e.constructor.name;
        }
        return Response.json({
          ok: r.ok, status: r.status, statusText: r.statusText,
          statusTextOf200: new Response('x').statusText, bodyUsed: r.bodyUsed, bad, redirectBad,
          okOf404: new Response(null, { status: 404 }).ok,
          jsonType: Response.json({}).headers.get('content-type'),
          textType: new Response('t').headers.get('content-type'),
        });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
