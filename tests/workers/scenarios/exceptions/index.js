// Uncaught exceptions and rejected promises: the client gets a 500.
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/throw':
        throw new Error('boom from worker');
      case '/reject':
        await null;
        return Promise.reject(new TypeError('async boom'));
      case '/throw-string':
        throw 'a bare string';
      case '/not-a-response':
        return 'this is not a Response';
      case '/caught':
        try {
          JSON.parse('{');
        } catch (e) {
          return new Response(`caught ${e.name}`);
        }
        return new Response('unreachable');
      case '/ok':
        return new Response('ok');
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
