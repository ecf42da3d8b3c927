// 100 MiB generated in 64 KiB chunks, piped through a TransformStream that upper-cases ASCII
// letters (clears bit 5), returned as the response body.
const kTotal = 100 * 1024 * 1024;
const kChunk = 64 * 1024;
const pattern = new Uint8Array(kChunk).map((_, i) => 97 + (i % 26));
export default {
  fetch() {
    let sent = 0;
    const source = new ReadableStream({
      pull(controller) {
        if (sent >= kTotal) { controller.close(); return; }
        controller.enqueue(pattern.slice());
        sent += kChunk;
      },
    });
    const upper = new TransformStream({
      transform(chunk, controller) {
        const out = new Uint8Array(chunk.length);
        for (let i = 0; i < chunk.length; i++) out[i] = chunk[i] & 0xdf;
        controller.enqueue(out);
      },
    });
    return new Response(source.pipeThrough(upper), {
      headers: { 'content-type': 'application/octet-stream' },
    });
  },
};
