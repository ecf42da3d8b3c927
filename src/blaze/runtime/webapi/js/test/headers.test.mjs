// Headers: normalisation, validation, iteration order, Set-Cookie and the immutable guard.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude } from '../testing/prelude_loader.mjs';

const { run, g, internal } = loadPrelude();
const json = (src) => JSON.parse(run(`JSON.stringify(${src})`));

test('names are case-insensitive and iterate lower-cased, sorted, combined', () => {
  assert.deepEqual(json(`[...new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['B', '1'], ['a', '2'], ['b', '3']])]`),
    [['a', '2'], ['b', '1, 3'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
  assert.equal(run(`new Headers({ 'Content-Type': 'x' }).get('CONTENT-type')`), 'x');
  assert.equal(run(`new Headers({ a: 1 }).has('A')`), true);
  assert.equal(run(`new Headers().get('x')`), null);
  assert.equal(run(`new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']]).get('set-cookie')`), 'a=1, b=2');
  assert.deepEqual(json(`new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']]).getSetCookie()`), ['a=1', 'b=2']);
  assert.deepEqual(json(`new Headers([['Set-Cookie', 'a=1']]).getAll('set-cookie')`), ['a=1']);
  assert.throws(() => run(`new Headers().getAll('x')`), /TypeError/);
});

test('values are trimmed; bad names and values are TypeErrors with workerd messages', () => {
  assert.equal(run(`new Headers({ a: '  \\t spaced \\n ' }).get('a')`), 'spaced');
  assert.equal(run(`new Headers({ a: '\\u00ff' }).get('a')`), '\u00ff');
  assert.throws(() => run(`new Headers({ 'a b': '1' })`), { message: 'Invalid header name.' });
  assert.throws(() => run(`new Headers({ '': '1' })`), { message: 'Invalid header name.' });
  assert.throws(() => run(`new Headers({ a: 'x\\ny' })`), { message: 'Invalid header value.' });
  assert.throws(() => run(`new Headers({ a: 'x\\u0000y' })`), { message: 'Invalid header value.' });
  assert.throws(() => run(`new Headers([['a', 'b', 'c']])`), { message: 'To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.' });
  assert.throws(() => run(`new Headers([['a']])`), (e) => e instanceof g.TypeError);
  assert.throws(() => run(`new Headers('x')`), (e) => e instanceof g.TypeError);
  assert.throws(() => run(`new Headers().append('a')`), (e) => e instanceof g.TypeError);
});

test('set, append, delete, forEach, keys, values, and copies from Headers', () => {
  assert.deepEqual(json(`(() => { const h = new Headers({ x: '1' }); h.append('X', '2'); h.append('y', '3');
    const before = h.get('x'); h.set('x', 'only'); h.delete('Y');
    const seen = []; h.forEach((v, k, self) => seen.push(k + '=' + v + (self === h)));
    const copy = new Headers(h); copy.set('z', '1');
    return [before, [...h.keys()], [...h.values()], seen, h.has('z'), [...copy.keys()]]; })()`),
  ['1, 2', ['x'], ['only'], ['x=onlytrue'], false, ['x', 'z']]);
  // Iteration sees changes made while iterating, like the spec's live iterator.
  assert.deepEqual(json(`(() => { const h = new Headers({ b: '1' }); const out = [];
    for (const [k] of h) { out.push(k); if (k === 'b') h.set('c', '2'); } return out; })()`), ['b', 'c']);
  assert.equal(run(`Object.prototype.toString.call(new Headers())`), '[object Headers]');
});

test('incoming request headers and fetched/redirect/error response headers are immutable', () => {
  const req = internal.newRequest({ method: 'GET', url: 'http://x/', headers: [['a', 'b']], body: null });
  assert.throws(() => req.headers.set('x', 'y'), { message: 'Can\'t modify immutable headers.' });
  assert.throws(() => req.headers.append('x', 'y'), /immutable/);
  assert.throws(() => req.headers.delete('a'), /immutable/);
  assert.throws(() => run(`Response.redirect('http://x/').headers.set('a', 'b')`), /immutable/);
  assert.throws(() => run(`Response.error().headers.set('a', 'b')`), /immutable/);
  run(`new Response('x').headers.set('a', 'b')`);
  // A new Request made from an immutable one gets its own mutable copy.
  g.incoming = req;
  assert.equal(run(`(() => { const r = new Request(incoming); r.headers.set('x', '1'); return r.headers.get('x') + incoming.headers.has('x'); })()`), '1false');
});
