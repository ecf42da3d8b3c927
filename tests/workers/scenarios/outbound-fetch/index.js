// Outbound fetch() to the test's origin server on 127.0.0.1:<port>, port given as ?origin=.
function originUrl(searchParams, path) {
  return `http://127.0.0.1:${searchParams.get('origin')}${path}`;
}

export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    switch (pathname) {
      case '/get': {
        const res = await fetch(originUrl(searchParams, '/hello'));
        return Response.json({
          status: res.status,
          body: await res.text(),
          xOrigin: res.headers.get('x-origin'),
          contentType: res.headers.get('content-type'),
          cookies: res.headers.getSetCookie(),
        });
      }
      case '/post': {
        const res = await fetch(originUrl(searchParams, '/echo'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-custom': 'from-worker' },
          body: JSON.stringify({ hello: 'origin' }),
        });
        return Response.json({ status: res.status, echoed: await res.json() });
      }
      case '/post-request-body': {
        // Forward the incoming request body as the outbound body (a stream).
        const res = await fetch(originUrl(searchParams, '/echo'), {
          method: 'POST', headers: { 'content-type': 'text/plain' }, body: request.body,
        });
        return Response.json({ echoed: await res.json() });
      }
      case '/redirect-follow': {
        const res = await fetch(originUrl(searchParams, '/redirect'));
        return Response.json({ status: res.status, redirected: res.redirected, url: res.url, body: await res.text() });
      }
      case '/redirect-manual': {
        const res = await fetch(originUrl(searchParams, '/redirect'), { redirect: 'manual' });
        return Response.json({ status: res.status, location: res.headers.get('location') });
      }
      case '/proxy':
        // Return the origin's response object directly to the client.
        return fetch(originUrl(searchParams, '/hello'));
      case '/refused':
        try {
          await fetch(originUrl(searchParams, '/'));
          return Response.json({ caught: false });
        } catch (e) {
          return Response.json({
            caught: true, isError: e instanceof Error, isTypeError: e instanceof TypeError, name: e.name, message: e.message,
          });
        }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
