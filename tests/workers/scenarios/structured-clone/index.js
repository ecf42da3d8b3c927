// structuredClone: Map/Set/Date/RegExp/typed arrays/cycles survive; functions throw DataCloneError.
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/clone': {
        const original = {
          map: new Map([['k', { v: 1 }]]),
          set: new Set([1, 'two']),
          date: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
          regexp: /ab+c/gi,
          bytes: new Uint8Array([1, 2, 3]),
          nested: { arr: [1, [2, [3]]] },
          big: 12345678901234567890n,
          undef: undefined,
        };
        original.self = original;
        original.map.set('loop', original);
        const copy = structuredClone(original);
        return Response.json({
          distinct: copy !== original && copy.map !== original.map,
          mapIsMap: copy.map instanceof Map,
          mapValue: copy.map.get('k'),
          mapLoop: copy.map.get('loop') === copy,
          set: [...copy.set],
          setIsSet: copy.set instanceof Set,
          dateIsDate: copy.date instanceof Date,
          date: copy.date.toISOString(),
          regexp: String(copy.regexp),
          bytes: copy.bytes instanceof Uint8Array ? [...copy.bytes] : null,
          nested: copy.nested,
          big: String(copy.big),
          hasUndef: 'undef' in copy,
          cycle: copy.self === copy,
        });
      }
      case '/errors': {
        const out = {};
        for (const [name, value] of Object.entries({
          fn: { f() {} }, symbol: Symbol('s'), weakMap: new WeakMap(),
        })) {
          try {
            structuredClone(value);
            out[name] = 'cloned';
          } catch (e) {
            out[name] = { name: e.name, isDOMException: e instanceof DOMException };
          }
        }
        const err = structuredClone(new RangeError('kept message'));
        out.errorClone = { isRangeError: err instanceof RangeError, message: err.message };
        return Response.json(out);
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
