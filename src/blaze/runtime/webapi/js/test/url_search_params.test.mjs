// URLSearchParams: parsing, serialization and every method, compared with Node's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude } from '../testing/prelude_loader.mjs';

const { run } = loadPrelude();
const Ours = run('URLSearchParams');

const kInputs = ['', '?', 'a=1', '?a=1&b=2', 'a=1&a=2&b', '=x', 'a==b', '&&a=1&&', 'a+b=c+d',
  'a%20b=%zz', '%E2%82%AC=%F0%9F%98%80', 'ä=ö', 'a=%ff%fe', 'x=1;y=2', 'q=a&q=b&q=c',
  'sp ace=1', 'a=b=c', '%=%', 'a\u0000=b', '\ud800=lone'];
const kValues = ['', 'plain', 'a b', 'a+b', 'a&b=c', '~!\'()*-._', '€😀', '\ud800', '/?#[]@',
  '%41'];

test('string inputs parse and serialize like Node', () => {
  for (const input of kInputs) {
    const ours = new Ours(input);
    const theirs = new URLSearchParams(input);
    assert.deepEqual([...ours].map((e) => [...e]), [...theirs], input);
    assert.equal(ours.toString(), theirs.toString(), input);
    assert.equal(ours.size, theirs.size, input);
  }
});

test('values serialize like Node', () => {
  for (const name of kValues) {
    for (const value of kValues) {
      const ours = new Ours();
      const theirs = new URLSearchParams();
      ours.append(name, value);
      theirs.append(name, value);
      assert.equal(ours.toString(), theirs.toString(), `${name}=${value}`);
      assert.equal(new Ours(ours.toString()).get(name), theirs.get(name.replace(/[\ud800-\udfff]/g, '\ufffd')) ?? new URLSearchParams(theirs.toString()).get(name));
    }
  }
});

test('record and sequence initialisers', () => {
  assert.equal(run('new URLSearchParams({a: 1, b: "x y"}).toString()'), 'a=1&b=x+y');
  assert.equal(run('new URLSearchParams([["a", "1"], ["a", "2"]]).getAll("a").join()'), '1,2');
  assert.equal(run('new URLSearchParams(new URLSearchParams("z=9")).get("z")'), '9');
  assert.equal(run('new URLSearchParams(new Map([["m", "1"]])).toString()'), 'm=1');
  assert.throws(() => run('new URLSearchParams([["a"]])'), /TypeError/);
  assert.throws(() => run('new URLSearchParams([1])'), /TypeError/);
});

test('methods behave like Node', () => {
  const script = (P) => {
    const p = new P('b=2&a=1&b=3&c=4');
    const out = [p.get('b'), p.get('nope'), p.getAll('b').join(), p.has('a'), p.has('a', '2')];
    p.set('b', 'x');
    out.push(p.toString());
    p.append('a', '0');
    p.delete('a', '1');
    out.push(p.toString());
    p.sort();
    out.push(p.toString(), [...p.keys()].join(), [...p.values()].join());
    const seen = [];
    p.forEach((v, k) => seen.push(k + v));
    out.push(seen.join(), p.size);
    p.delete('b');
    out.push(p.toString());
    return out;
  };
  assert.deepEqual(script(Ours), script(URLSearchParams));
  assert.equal(run('(() => { const p = new URLSearchParams("z=1&a=2&z=0&a=1"); p.sort(); return p.toString(); })()'),
    'a=2&a=1&z=1&z=0');
  assert.throws(() => run('new URLSearchParams().append("a")'), /TypeError/);
  assert.equal(run('Object.prototype.toString.call(new URLSearchParams())'), '[object URLSearchParams]');
});
