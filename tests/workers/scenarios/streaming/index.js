// Streamed bodies across the HTTP boundary: responses sent as they are produced, request bodies
// read while the upload is still arriving, fetch() bodies reaching the worker chunk by chunk.
// The origin (harness/origin.mjs, port in ?origin=) lets a test hold the worker at a point
// until the client has seen what it should have seen by then.
const enc = new TextEncoder();
const dec = new TextDecoder();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let lastCancel = null; // what the /endless stream's cancel() saw (module state, one isolate)

function line(text) {
  return enc.encode(`${text} ${Date.now()}\n`);
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const origin = `http://127.0.0.1:${url.searchParams.get('origin')}`;
    const id = url.searchParams.get('id');
    switch (url.pathname) {
      case '/timed': // chunk 1, a 300 ms timer, chunk 2 (each stamped with when it was made)
        return new Response(new ReadableStream({
          start(c) { c.enqueue(line('chunk1')); },
          async pull(c) {
            await sleep(300);
            c.enqueue(line('chunk2'));
            c.close();
          },
        }), { headers: { 'content-type': 'text/plain' } });

      case '/gated': // chunk 2 is made only after the client confirmed chunk 1 (via the origin)
        return new Response(new ReadableStream({
          start(c) { c.enqueue(line('chunk1')); },
          async pull(c) {
            const released = await (await fetch(`${origin}/wait/${id}`)).text();
            c.enqueue(line(`chunk2 ${released}`));
            c.close();
          },
        }));

      case '/echo': // the upload straight back
        return new Response(request.body);

      case '/echo-js': { // the upload back through a TransformStream (every chunk through JS)
        return new Response(request.body.pipeThrough(new TransformStream()));
      }

      case '/count': { // reads the upload chunk by chunk; tells the origin about the first one
        const reader = request.body.getReader();
        let chunks = 0;
        let bytes = 0;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (chunks === 0 && id) await fetch(`${origin}/notify/${id}`);
          chunks += 1;
          bytes += value.byteLength;
        }
        return Response.json({ chunks, bytes });
      }

      case '/error-mid': // one chunk, then the stream errors
        return new Response(new ReadableStream({
          start(c) { c.enqueue(enc.encode('partial ')); },
          async pull(c) {
            await sleep(50);
            c.error(new Error('mid-stream failure'));
          },
        }));

      case '/endless': // a tick every 20 ms until the client goes away
        lastCancel = null;
        return new Response(new ReadableStream({
          async pull(c) {
            await sleep(20);
            c.enqueue(enc.encode(`tick ${Date.now()}\n`));
          },
          cancel(reason) { lastCancel = String(reason); },
        }));

      case '/last-cancel':
        return Response.json({ lastCancel });

      case '/cpu': // the second chunk never comes: the CPU limit stops the worker mid-body
        return new Response(new ReadableStream({
          start(c) { c.enqueue(enc.encode('before the loop\n')); },
          async pull() {
            await sleep(50); // chunk 1 goes out first
            for (;;) { /* burn */ }
          },
        }));

      case '/fetch-gated': { // reads the origin's body as it arrives
        const res = await fetch(`${origin}/gated/${id}`);
        const reader = res.body.getReader();
        const parts = [];
        const first = await reader.read();
        parts.push(dec.decode(first.value));
        await fetch(`${origin}/notify/${id}`); // the origin sends the rest only now
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parts.push(dec.decode(value));
        }
        return Response.json({ parts });
      }

      case '/fetch-through': // a streamed origin body returned as is
        return fetch(`${origin}/gated/${id}`);

      default:
        return new Response('ok');
    }
  },
};
