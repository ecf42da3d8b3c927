// structuredClone: types, identity of shared and cyclic references, and errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude } from '../testing/prelude_loader.mjs';

const { run, g } = loadPrelude();

test('primitives and wrapper objects', () => {
  assert.equal(run(`(() => { const v = [1, 'a', true, null, undefined, 1n, -0, NaN];
    const c = structuredClone(v); return c !== v && Object.is(c[6], -0) && Number.isNaN(c[7]) && c[5] === 1n && c.length === 8; })()`), true);
  assert.equal(run(`structuredClone('s')`), 's');
  assert.equal(run(`(() => { const c = structuredClone([new Number(3), new String('x'), new Boolean(true), Object(2n)]);
    return c.map((x) => typeof x + ':' + x.valueOf()).join(); })()`), 'object:3,object:x,object:true,object:2');
});

test('Date, RegExp, Map, Set, ArrayBuffer, typed arrays and DataView', () => {
  assert.equal(run(`(() => {
    const d = new Date(5), r = /a+/gi; r.lastIndex = 3;
    const buf = new Uint8Array([1, 2, 3, 4]).buffer;
    const v = { d, r, m: new Map([[{k: 1}, 'v']]), s: new Set([1, 'x']), buf,
      u16: new Uint16Array(buf, 2, 1), dv: new DataView(buf, 1, 2), f: new Float64Array([1.5]) };
    const c = structuredClone(v);
    new Uint8Array(buf)[0] = 99;
    return [c.d instanceof Date && c.d !== d && c.d.getTime() === 5,
      c.r instanceof RegExp && c.r.source === 'a+' && c.r.flags === 'gi' && c.r.lastIndex === 0,
      c.m instanceof Map && [...c.m.keys()][0].k === 1, c.s.has('x') && c.s.size === 2,
      new Uint8Array(c.buf)[0] === 1, c.u16.buffer === c.buf && c.u16.byteOffset === 2,
      c.dv instanceof DataView && c.dv.buffer === c.buf && c.dv.byteLength === 2, c.f[0] === 1.5].join();
  })()`), 'true,true,true,true,true,true,true,true');
});

test('cycles and shared references keep their shape', () => {
  assert.equal(run(`(() => {
    const shared = { n: 1 }; const o = { a: shared, b: shared, list: [shared] }; o.self = o;
    const m = new Map(); m.set('me', m); o.m = m;
    const c = structuredClone(o);
    return [c !== o, c.self === c, c.a === c.b, c.list[0] === c.a, c.a !== shared, c.m.get('me') === c.m].join();
  })()`), 'true,true,true,true,true,true');
});

test('class instances become plain objects; arrays keep holes and length', () => {
  assert.equal(run(`(() => { class P { constructor() { this.x = 1; } get y() { return 2; } }
    const c = structuredClone(new P());
    const a = structuredClone([1, , 3]);
    return [Object.getPrototypeOf(c) === Object.prototype, c.x, 'y' in c, a.length, 1 in a].join(); })()`),
  'true,1,false,3,false');
});

test('errors keep type, message, cause and stack', () => {
  assert.equal(run(`(() => { const e = new RangeError('r', { cause: { why: 1 } });
    const c = structuredClone(e);
    class MyErr extends TypeError {}
    const d = structuredClone(new MyErr('m'));
    const x = structuredClone(new DOMException('gone', 'AbortError'));
    return [c instanceof RangeError, c.message, c.cause.why, c.stack === e.stack, d.constructor.name,
      x instanceof DOMException, x.name, x.code].join(); })()`),
  'true,r,1,true,TypeError,true,AbortError,20');
});

test('uncloneable values throw DataCloneError like workerd', () => {
  const cases = [['() => 1', '() => 1 could not be cloned.'], ['Symbol()', 'Symbol() could not be cloned.'],
    ['{ f() {} }', 'f() {} could not be cloned.'], ['new WeakMap()', null], ['Promise.resolve()', null],
    ['new Headers()', null], ['new URL("http://x")', null], ['[1, Symbol("s")]', null]];
  for (const [src, message] of cases) {
    assert.throws(() => run(`structuredClone(${src})`), (e) => e instanceof g.DOMException &&
      e.name === 'DataCloneError' && e.code === 25 && (message === null || e.message === message), src);
  }
  assert.throws(() => run('structuredClone()'), (e) => e instanceof g.TypeError);
});

test('transfer: an empty list is fine, anything else is not supported yet', () => {
  assert.equal(run(`structuredClone(new ArrayBuffer(2), { transfer: [] }).byteLength`), 2);
  assert.throws(() => run(`(() => { const b = new ArrayBuffer(1); return structuredClone(b, { transfer: [b] }); })()`),
    (e) => e.name === 'NotSupportedError');
});
