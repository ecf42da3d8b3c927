// A runaway loop under `[limits] cpu_ms = 50`. /loop never returns on its own; the runtime must
// end it. /ok is another route of the same worker that must keep working afterwards.
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/loop':
        while (true) {} // eslint-disable-line no-constant-condition, no-empty
      case '/ok':
        return new Response('still alive');
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
