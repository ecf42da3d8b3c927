// A memory bomb: keeps allocating (and retaining) 1 MiB chunks. The Workers memory limit is
// 128 MB per isolate; a runtime that enforces it ends the request. The loop is bounded at
// kMaxMiB so a runtime that does not enforce a limit answers 200 instead of eating the machine.
const kMaxMiB = 1024;

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/bomb': {
        const kept = [];
        for (let i = 0; i < kMaxMiB; i++) {
          const chunk = new Array(128 * 1024); // 128 Ki doubles = 1 MiB of heap
          chunk.fill(i + 0.5); // doubles: 8 bytes a slot in V8 (even with pointer compression) and SpiderMonkey
          kept.push(chunk);
        }
        return new Response(`allocated ${kept.length} MiB without being stopped`);
      }
      case '/ok':
        return new Response('still alive');
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
