// console.* must never break a request. The output itself goes to the dev server's log / tail
// and is not asserted over HTTP.
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname !== '/log') return new Response('not found', { status: 404 });
    const cyclic = { name: 'cycle' };
    cyclic.self = cyclic;
    console.log('log', 1, { a: [1, 2] }, cyclic);
    console.info('info %s %d', 'fmt', 42);
    console.warn('warn', new Error('not thrown'));
    console.error('error', null, undefined, 10n, Symbol('s'));
    console.debug('debug', new Map([[1, 2]]), new Set([3]));
    console.time('t');
    console.timeEnd('t');
    console.timeEnd('never-started');
    console.log();
    return new Response('logged');
  },
};
