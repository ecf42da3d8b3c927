// Web platform APIs beyond fetch: Blob/File, FormData (multipart both ways), AbortController and
// AbortSignal, URLPattern, streams through a TransformStream, performance.now.
async function blobAndFile() {
  const blob = new Blob(['hello ', new Uint8Array([119, 111, 114, 108, 100])], { type: 'Text/Plain' });
  const file = new File(['x'], 'a.txt', { type: 'text/plain', lastModified: 42 });
  return { size: blob.size, type: blob.type, text: await blob.text(), slice: await blob.slice(-5).text(),
    fileName: file.name, lastModified: file.lastModified, isBlob: file instanceof Blob };
}

async function formData(request) {
  const received = await request.formData();
  const fd = new FormData();
  fd.append('greeting', received.get('greeting').toUpperCase());
  fd.append('upload', new Blob(['file body']), 'up.txt');
  const echoed = await new Response(fd).formData();
  const upload = echoed.get('upload');
  return { keys: [...received.keys()], all: received.getAll('n'), greeting: echoed.get('greeting'),
    uploadName: upload.name, uploadText: await upload.text() };
}

async function abort() {
  const controller = new AbortController();
  const seen = [];
  controller.signal.addEventListener('abort', () => seen.push('event'));
  controller.abort();
  const timeout = AbortSignal.timeout(10);
  await new Promise((resolve) => setTimeout(resolve, 30));
  let thrown = null;
  try { timeout.throwIfAborted(); } catch (e) { thrown = e.name; }
  return { aborted: controller.signal.aborted, reason: controller.signal.reason.name, seen, timeout: thrown,
    any: AbortSignal.any([controller.signal]).aborted };
}

function pattern() {
  const p = new URLPattern({ pathname: '/games/:league/:id(\\d+)' });
  const m = p.exec('https://example.com/games/nfl/42');
  return { test: p.test('https://example.com/games/nfl/x'), groups: m.pathname.groups };
}

async function streams() {
  const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
  const text = await new Response(new Response('streamed text').body
    .pipeThrough(new TextDecoderStream()).pipeThrough(upper).pipeThrough(new TextEncoderStream())).text();
  return { text, nowType: typeof performance.now() };
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    const routes = { '/blob': blobAndFile, '/form': formData, '/abort': abort, '/pattern': pattern, '/streams': streams };
    const route = routes[pathname];
    if (!route) return new Response('not found', { status: 404 });
    return Response.json(await route(request));
  },
};
