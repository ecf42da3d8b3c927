// TextEncoder/TextDecoder and atob/btoa (including InvalidCharacterError).
function errorOf(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e.name, isDOMException: e instanceof DOMException };
  }
}

export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    switch (pathname) {
      case '/text-encoder': {
        const bytes = new TextEncoder().encode(searchParams.get('s') ?? '');
        const into = new Uint8Array(4);
        const result = new TextEncoder().encodeInto('héllo', into);
        return Response.json({ bytes: [...bytes], encoding: new TextEncoder().encoding, into: [...into], result });
      }
      case '/text-decoder': {
        const utf8 = new TextDecoder().decode(new Uint8Array([0xe2, 0x82, 0xac, 0xff]));
        const fatal = errorOf(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])));
        const bom = new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]));
        const keptBom = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]));
        const streaming = new TextDecoder();
        const split = streaming.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) +
          streaming.decode(new Uint8Array([0xac]));
        return Response.json({ utf8, fatal, bom, keptBom: [...keptBom].map((c) => c.codePointAt(0)), split });
      }
      case '/base64':
        return Response.json({
          btoa: btoa('hello world'),
          btoaLatin1: btoa('\xff\xfe'),
          atob: atob('aGVsbG8gd29ybGQ='),
          atobNoPad: atob('aGk'),
          atobSpaces: atob(' aG k= '),
          btoaWide: errorOf(() => btoa('€')),
          atobBad: errorOf(() => atob('***')),
          atobBadLength: errorOf(() => atob('a')),
        });
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
