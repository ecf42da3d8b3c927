// Graceful shutdown: /slow tells the test's origin server that it started (so the test sends
// SIGTERM while the request is certainly in flight), then awaits a 500 ms timer and answers.
export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    switch (pathname) {
      case '/slow': {
        const origin = searchParams.get('origin');
        if (origin) await fetch(`http://127.0.0.1:${origin}/notify/slow-started`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        return new Response('slow done');
      }
      case '/ok':
        return new Response('ok');
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
