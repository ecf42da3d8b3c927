// env carries [vars] from wrangler.toml: strings stay strings, TOML tables arrive as JS objects.
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname !== '/env') return new Response('not found', { status: 404 });
    return Response.json({
      greeting: env.GREETING,
      greetingType: typeof env.GREETING,
      empty: env.EMPTY,
      features: env.FEATURES,
      featuresType: typeof env.FEATURES,
      limitType: typeof env.FEATURES?.limit,
      missing: env.NOT_DEFINED === undefined,
      keys: Object.keys(env).sort(),
    });
  },
};
