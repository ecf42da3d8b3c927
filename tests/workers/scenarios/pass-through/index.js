// ctx.passThroughOnException(): on an uncaught exception the request should go to the origin
// instead of failing. Under a dev server there is no origin behind the worker.
export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/throw':
        ctx.passThroughOnException();
        throw new Error('pass-through boom');
      case '/no-throw':
        ctx.passThroughOnException();
        return new Response('handled normally');
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
