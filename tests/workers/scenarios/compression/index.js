// CompressionStream / DecompressionStream and AbortSignal on fetch.
//   GET  /gzip?n=N         N bytes of text, gzip-compressed in the worker (no Content-Encoding:
//                          the client decompresses it itself)
//   POST /gunzip           the gzip upload, decompressed
//   POST /round-trip?format=F  the body compressed and decompressed again with format F
//   GET  /errors           names/messages for an unknown format and corrupt input
//   GET  /abort?origin=P   fetch of a slow origin with AbortSignal.timeout / AbortController
async function bytesOf(stream) {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function text(n) {
  const line = 'The quick brown fox jumps over the lazy dog. ';
  return line.repeat(Math.ceil(n / line.length)).slice(0, n);
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const headers = { 'content-type': 'application/octet-stream' };
    switch (url.pathname) {
      case '/gzip': {
        const n = Number(url.searchParams.get('n') || '100000');
        const gz = new Response(text(n)).body.pipeThrough(new CompressionStream('gzip'));
        return new Response(await bytesOf(gz), { headers });
      }
      case '/gunzip':
        return new Response(request.body.pipeThrough(new DecompressionStream('gzip')), { headers });
      case '/round-trip': {
        const format = url.searchParams.get('format');
        const packed = await bytesOf(request.body.pipeThrough(new CompressionStream(format)));
        const plain = await bytesOf(new Response(packed).body
          .pipeThrough(new DecompressionStream(format)));
        const original = new Uint8Array(await new Response(plain).arrayBuffer());
        return Response.json({ packedLength: packed.length, plainLength: original.length,
          text: new TextDecoder().decode(original) });
      }
      case '/errors': {
        const out = {};
        try { new CompressionStream('br'); } catch (e) { out.unknown = e.name; }
        try {
          await bytesOf(new Response('not gzip data at all').body
            .pipeThrough(new DecompressionStream('gzip')));
          out.corrupt = 'no error';
        } catch (e) { out.corrupt = e.name; }
        const c = new CompressionStream('deflate');
        out.kinds = [c.readable instanceof ReadableStream, c.writable instanceof WritableStream];
        out.signal = [request.signal instanceof AbortSignal, request.signal.aborted];
        return Response.json(out);
      }
      case '/abort': {
        const slow = `http://127.0.0.1:${url.searchParams.get('origin')}/slow`;
        const out = {};
        const t0 = Date.now();
        try {
          await fetch(slow, { signal: AbortSignal.timeout(100) });
          out.timeout = 'resolved';
        } catch (e) { out.timeout = e.name; }
        out.fast = Date.now() - t0 < 2500;
        try {
          await fetch(slow, { signal: AbortSignal.abort() });
          out.pre = 'resolved';
        } catch (e) { out.pre = e.name; }
        const c = new AbortController();
        setTimeout(() => c.abort(), 50);
        try {
          await fetch(new Request(slow, { signal: c.signal }));
          out.controller = 'resolved';
        } catch (e) { out.controller = e.name; }
        return Response.json(out);
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
