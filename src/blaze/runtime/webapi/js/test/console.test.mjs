// console.* and the log formatter: Node's util.format is the oracle for the general cases
// (workerd's formatter is a port of it); workerd-specific output is pinned from wrangler 4.
import test from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { loadPrelude } from '../testing/prelude_loader.mjs';

const p = loadPrelude();
const { run, internal } = p;

// Each entry is JS source for an argument list, evaluated in the prelude's realm for us and
// in Node's realm for util.format.
const kArgLists = [
  `['str', 1, -0, 1n, undefined, null, true]`,
  `[{ a: 1, b: 'x', c: [1, 2, { d: { e: { f: 1 } } }] }]`,
  `[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27]]`,
  `[[1, 2, 3], [], {}, [[]], [{}]]`,
  `[new Map([['a', 1]]), new Set([1, 'x']), new Map(), new Set()]`,
  `[(() => { class Foo { constructor() { this.a = 1; } } return new Foo(); })()]`,
  `[(() => { const c = { name: 'c' }; c.self = c; return c; })()]`,
  `[(() => { const a = [1]; a.push(a); return { a }; })()]`,
  `['%s is %d years and %i, %f, %o %O %j %c|', 'Bob', 42.5, 42.5, '3.5', {a:1}, {b:2}, {c:3}, 'color: red']`,
  `['%s %s', 'only one']`, `['100%', 5]`, `['%%s %s', 'x']`, `['a', 'b', { c: 'd' }]`,
  `['%d', '0x10']`, `['%i', 3.9]`, `['%s', 5n]`, `['%s', { a: [1] }]`, `['%d', {}]`,
  `[function foo() {}, class Bar {}, async () => {}, function* gen() {}]`,
  `[new Uint8Array([1, 2]), new ArrayBuffer(3), new Date(0), /re/g]`,
  `[[undefined, , 3], { 'a-b': 1, valid_id: 2, 'has space': 3, '1x': 4 }, Object.create(null)]`,
  `[[[[[1]]]], { x: { y: { z: { w: 1 } } } }]`,
  `['a'.repeat(30), { long1: 'a'.repeat(30), long2: 'b'.repeat(30), long3: 'c'.repeat(30) }]`,
  `[{ s: "it's", t: 'say "hi"', u: 'both \\' and "', n: 'line\\nbreak' }]`,
  `[['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']]`,
  `[Array.from({ length: 120 }, (_, i) => i)]`,
  `[{ get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} }]`,
  `[new Number(3), new String('s'), new Boolean(false)]`,
  `[{ f() {}, arrow: () => {} }]`,
  `[NaN, Infinity, -Infinity, 1e21, 0.1]`,
  `[new WeakMap(), new WeakSet()]`,
  `[{ a: { b: { c: {} } } }, { a: [[]] }]`,
  `[{ k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10, k11: 11, k12: 12, k13: 13 }]`,
  `[new Date(NaN)]`,
  `[['x'.repeat(100)]]`,
];

test('formatLog matches util.format', () => {
  for (const src of kArgLists) {
    const ours = internal.formatLog(run(src));
    const theirs = util.format(...eval(src));
    assert.equal(ours, theirs, src);
  }
});

test('workerd-specific formatting pinned from wrangler', () => {
  assert.equal(internal.formatLog(run(`[{ 'a-b': 1, [Symbol('k')]: 2 }]`)), `{ 'a-b': 1, Symbol(k): 2 }`);
  assert.equal(internal.formatLog(run(`[Symbol('s')]`)), 'Symbol(s)');
  // Promise state is not observable from JS in SpiderMonkey without a host hook.
  // (Node's async hooks add symbol keys to promises in the test realm, hence the regex.)
  assert.match(internal.formatLog(run(`[Promise.resolve(4)]`)), /^Promise \{\s+<unknown>/);
});

test('errors print their stack, with the header added for SpiderMonkey-style stacks', () => {
  const v8 = internal.formatLog(run(`[new Error('errmsg')]`));
  assert.match(v8, /^Error: errmsg\n    at /);
  const sm = internal.formatLog(run(`[(() => { const e = new TypeError('bad'); Object.defineProperty(e, 'stack', { value: 'f@a.js:1:2\\ng@b.js:3:4\\n' }); return e; })()]`));
  assert.equal(sm, 'TypeError: bad\n    at f@a.js:1:2\n    at g@b.js:3:4');
  const noStack = internal.formatLog(run(`[(() => { const e = new RangeError('r'); Object.defineProperty(e, 'stack', { value: '' }); return e; })()]`));
  assert.equal(noStack, '[RangeError: r]');
  const withProps = internal.formatLog(run(`[(() => { const e = new Error('x'); e.stack = 'Error: x\\n    at f'; e.code = 'E1'; return e; })()]`));
  assert.equal(withProps, "Error: x\n    at f {\n  code: 'E1'\n}");
  assert.match(internal.formatLog(run(`[new DOMException('m', 'AbortError')]`)), /^AbortError: m/);
});

test('console methods log at their level through host.log', () => {
  p.logs.length = 0;
  run(`console.log('a', 1); console.info('i'); console.warn('w'); console.error('e');
       console.debug('d'); console.table([1]); console.dir({x: 1}); console.trace('t');`);
  const levels = p.logs.map((l) => l.level);
  assert.deepEqual(levels, ['log', 'info', 'warn', 'error', 'debug', 'log', 'log', 'log']);
  assert.equal(p.logs[0].message, 'a 1');
  assert.equal(p.logs[6].message, '{ x: 1 }');
  assert.match(p.logs[7].message, /^Trace: t/);
});

test('console.assert, count, time and group', () => {
  let clock = 1000;
  const q = loadPrelude({ now: () => clock });
  q.run(`console.assert(true, 'no'); console.assert(false); console.assert(false, 'x %d', 5);
         console.assert(false, { o: 1 });
         console.count(); console.count(); console.count('k'); console.countReset(); console.count();
         console.time('t');`);
  clock += 12.5;
  q.run(`console.timeLog('t', 'extra'); console.timeEnd('t'); console.timeEnd('t'); console.time();`);
  clock += 2000;
  q.run(`console.timeEnd(); console.group('G'); console.log('inner\\nline'); console.groupEnd(); console.log('out');`);
  assert.deepEqual(q.logs.map((l) => `${l.level}:${l.message}`), [
    'error:Assertion failed', 'error:Assertion failed: x 5', 'error:Assertion failed: { o: 1 }',
    'info:default: 1', 'info:default: 2', 'info:k: 1', 'info:default: 1',
    'info:t: 12.5ms extra', 'info:t: 12.5ms', "warn:Warning: No such label 't' for console.timeEnd()",
    'info:default: 2.000s', 'log:G', 'log:  inner\n  line', 'log:out',
  ]);
});

test('console is a non-enumerable global', () => {
  const d = run('Object.getOwnPropertyDescriptor(globalThis, "console")');
  assert.equal(d.enumerable, false);
  assert.equal(run('Object.prototype.toString.call(console)'), '[object console]');
});
