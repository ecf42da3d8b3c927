// Promise rejections nobody handles: which ones fire `unhandledrejection` on the global scope
// (the test states where Blaze and workerd differ).
const seen = [];
addEventListener('unhandledrejection', (event) => {
  seen.push({
    reason: event.reason instanceof Error ? event.reason.message : String(event.reason),
    type: event.type,
    isPromise: event.promise instanceof Promise,
    cancelable: event.cancelable,
    name: event.constructor.name,
  });
});
addEventListener('rejectionhandled', (event) => seen.push({ handled: event.reason.message }));

async function thrower(message) { throw new Error(message); }

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/seen':
        return Response.json(seen);
      case '/stray':  // nobody ever handles it
        Promise.reject(new Error('stray'));
        break;
      case '/awaited':  // rejected inside the call, handled by the await right after
        try { await thrower('awaited'); } catch { /* handled */ }
        break;
      case '/same-turn':
        Promise.reject(new Error('same-turn')).catch(() => {});
        break;
      case '/next-microtask': {  // handled one microtask later: workerd reports it, Blaze not
        const p = Promise.reject(new Error('next-microtask'));
        Promise.resolve().then(() => p.catch(() => {}));
        break;
      }
      case '/after-timer': {  // handled after a timer: reported, and no rejectionhandled
        const p = Promise.reject(new Error('after-timer'));
        await new Promise((resolve) => setTimeout(resolve, 10));
        p.catch(() => {});
        break;
      }
      default:
        return new Response('not found', { status: 404 });
    }
    return new Response('ok');
  },
};
