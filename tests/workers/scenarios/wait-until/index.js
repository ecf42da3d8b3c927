// ctx.waitUntil: the response is sent before the waitUntil work finishes. Completion is recorded
// in module-global state, which a later request to the same isolate can read.
const kWorkMs = 400;
const jobs = new Map(); // id -> 'pending' | 'done'

export default {
  async fetch(request, env, ctx) {
    const { pathname, searchParams } = new URL(request.url);
    const id = searchParams.get('id') ?? 'default';
    switch (pathname) {
      case '/start':
        jobs.set(id, 'pending');
        ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, kWorkMs)).then(() => jobs.set(id, 'done')));
        return Response.json({ id, state: jobs.get(id), workMs: kWorkMs });
      case '/status':
        return Response.json({ id, state: jobs.get(id) ?? 'unknown' });
      case '/rejected':
        // A rejected waitUntil promise must not affect the response that was already sent.
        ctx.waitUntil(Promise.reject(new Error('background failure')));
        return new Response('still fine');
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
