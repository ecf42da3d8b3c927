// Many requests at once: each answer must carry its own request's data. A short timer await
// makes requests overlap inside the isolate; module-global counters show the overlap.
let inFlight = 0;
let maxInFlight = 0;

export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    switch (pathname) {
      case '/echo': {
        const id = searchParams.get('id');
        const body = await request.text();
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, Number(searchParams.get('delay') ?? 5)));
          return Response.json({ id, body, header: request.headers.get('x-id') }, { headers: { 'x-id': id } });
        } finally {
          inFlight -= 1;
        }
      }
      case '/stats':
        return Response.json({ inFlight, maxInFlight });
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
