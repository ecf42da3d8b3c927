// setTimeout/clearTimeout/setInterval and queueMicrotask, observed from inside one request.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/sleep': {
        const started = Date.now();
        await sleep(50);
        return Response.json({ slept: true, elapsedAtLeast50: Date.now() - started >= 50 });
      }
      case '/clear': {
        let fired = false;
        const id = setTimeout(() => { fired = true; }, 10);
        clearTimeout(id);
        clearTimeout(id); // clearing twice is harmless
        clearTimeout(undefined);
        await sleep(40);
        return Response.json({ fired, idType: typeof id });
      }
      case '/interval': {
        let ticks = 0;
        await new Promise((resolve) => {
          const id = setInterval(() => {
            ticks += 1;
            if (ticks === 3) {
              clearInterval(id);
              resolve();
            }
          }, 5);
        });
        await sleep(30); // a cleared interval must not tick again
        return Response.json({ ticks });
      }
      case '/order': {
        const order = [];
        setTimeout(() => order.push('timeout'), 0);
        queueMicrotask(() => order.push('microtask'));
        Promise.resolve().then(() => order.push('promise'));
        order.push('sync');
        await sleep(20);
        return Response.json({ order });
      }
      case '/args': {
        const got = await new Promise((resolve) => setTimeout((a, b) => resolve([a, b]), 1, 'x', 2));
        return Response.json({ got });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
