// URLPattern against workerd: testing/url_pattern_cases.mjs lists constructor arguments and
// exec() inputs; testing/url_pattern_expected.json holds what workerd (wrangler 4.86.0,
// compatibility_date 2025-01-01) returned for exactly those cases. Node 20 has no URLPattern,
// so workerd is the only oracle. The hand-written tests below were checked against workerd too.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';
import { kCases } from '../testing/url_pattern_cases.mjs';

const kFiles = ['events.js', 'url_pattern_parser.js', 'url_pattern.js'];
const p = loadPrelude({ files: manifestWith(kFiles) });
const { run } = p;
const json = (src) => JSON.parse(run(`JSON.stringify((() => { ${src} })())`));
const expected = JSON.parse(fs.readFileSync(new URL('../testing/url_pattern_expected.json',
  import.meta.url), 'utf8'));

test('every pinned case matches workerd: patterns, exec results, errors', () => {
  assert.equal(expected.length, kCases.length);
  p.g.kCases = run(`(${JSON.stringify(kCases)})`);
  const ours = JSON.parse(run(`(() => {
    const comps = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
    const execOne = (pat, args) => { try { const r = pat.exec(...args); return r === null ? null :
      { inputs: r.inputs, ...Object.fromEntries(comps.map((k) => [k, r[k]])) }; } catch (e) { return { error: e.name }; } };
    return JSON.stringify(kCases.map((c) => {
      let pat;
      try { pat = new URLPattern(...c.args); } catch (e) { return { error: e.name, message: e.message }; }
      return { patterns: Object.fromEntries(comps.map((k) => [k, pat[k]])),
        exec: (c.exec || []).map((a) => execOne(pat, a)) };
    }));
  })()`));
  kCases.forEach((c, i) => {
    const want = { ...expected[i] };
    const got = { ...ours[i] };
    // Constructor error messages are compared by the test below for the ones we pin.
    delete want.message;
    delete got.message;
    assert.deepEqual(got, want, `case ${i}: ${JSON.stringify(c.args)}`);
    // test() agrees with exec().
    for (const args of c.exec || []) {
      if (got.error) break;
      const t = run(`(() => { try { return new URLPattern(...${JSON.stringify(c.args)}).test(...${JSON.stringify(args)}); } catch (e) { return 'threw'; } })()`);
      const e = run(`(() => { try { return new URLPattern(...${JSON.stringify(c.args)}).exec(...${JSON.stringify(args)}) !== null; } catch (e) { return 'threw'; } })()`);
      assert.equal(t, e, `test/exec ${JSON.stringify(args)}`);
    }
  });
});

test('constructor errors carry workerd\'s messages', () => {
  const cases = [
    [`'/relative'`, 'Syntax error in URL Pattern: a relative pattern must have a base URL.'],
    [`'foo:bar'`, 'Syntax error in URL Pattern: a relative pattern must have a base URL.'],
    [`{ pathname: '/x', baseURL: 'nope' }`, 'Invalid base URL.'],
    [`{ pathname: '/(' }`, 'Syntax error in URL Pattern: invalid regex start at 1'],
    [`{ pathname: '/:' }`, 'Syntax error in URL Pattern: invalid name start at 1'],
    [`{ pathname: '/:a/:a' }`, 'Syntax error in URL Pattern: Duplicated part names [a]'],
    [`{ pathname: '/{' }`, 'Syntax error in URL Pattern: Missing required close token'],
    [`{ pathname: '/\\\\' }`, 'Syntax error in URL Pattern: invalid escape character at 1'],
    [`{ pathname: '/(\\u00e9)' }`, 'Syntax error in URL Pattern: invalid regex character at 2'],
    [`{ pathname: '/([)' }`, 'Invalid regular expression syntax.'],
    [`{ protocol: 'ht tp' }`, 'Syntax error in URL Pattern'],
    [`{ port: 'abc' }`, 'Syntax error in URL Pattern'],
    [`{ port: '99999' }`, 'Syntax error in URL Pattern'],
    [`{ hostname: 'a b' }`, 'Syntax error in URL Pattern'],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => run(`new URLPattern(${args})`), { name: 'TypeError', message }, args);
  }
});

test('named groups, wildcards, regexp groups and modifiers', () => {
  const groups = (pattern, url) => json(`const r = new URLPattern({ pathname: ${JSON.stringify(pattern)} })
    .exec(${JSON.stringify(url)}); return r && r.pathname.groups;`);
  assert.deepEqual(groups('/books/:id', 'https://x/books/7'), { id: '7' });
  assert.deepEqual(groups('/books/:id(\\d+)', 'https://x/books/x'), null);
  assert.deepEqual(groups('/a/*/b/*', 'https://x/a/1/b/2/3'), { 0: '1', 1: '2/3' });
  assert.deepEqual(groups('/a/:x?', 'https://x/a'), { x: '' });
  assert.deepEqual(groups('/:x?', 'https://x/'), null); // the optional part owns the '/'
  assert.deepEqual(groups('/:x+', 'https://x/a/b'), { x: 'a/b' });
  assert.deepEqual(groups('/a/:x*', 'https://x/a'), { x: '' });
  assert.deepEqual(groups('/(foo|bar)/:rest*', 'https://x/bar/1/2'), { 0: 'bar', rest: '1/2' });
  assert.deepEqual(groups('/file{.:ext}?', 'https://x/file.txt'), { ext: 'txt' });
  assert.deepEqual(groups('/file{.:ext}?', 'https://x/file'), { ext: '' });
  assert.deepEqual(json(`const p = new URLPattern({ pathname: '/Books/:id' }, { ignoreCase: true });
    return [p.test('https://x/books/1'), p.test('https://x/BOOKS/1'),
      new URLPattern({ pathname: '/Books/:id' }).test('https://x/books/1')];`), [true, true, false]);
});

test('pattern strings are normalized like workerd', () => {
  const normalized = (init) => json(`return new URLPattern(${init}).pathname;`);
  assert.equal(normalized(`{ pathname: '/foo/(.*)' }`), '/foo/*');
  assert.equal(normalized(`{ pathname: '/:id([^\\\\/]+)' }`), '/:id');
  assert.equal(normalized(`{ pathname: '/{foo}' }`), '/foo');
  assert.equal(normalized(`{ pathname: '{/:x}?' }`), '/:x?');
  assert.equal(normalized(`{ pathname: '/caf\u00e9' }`), '/caf%C3%A9');
  assert.equal(normalized(`{ pathname: '/a b' }`), '/a%20b');
  assert.equal(json(`return new URLPattern({ hostname: 'EXAMPLE.com' }).hostname;`), 'EXAMPLE.com');
});

test('inputs, test() and exec() argument forms', () => {
  assert.deepEqual(json(`const p = new URLPattern({ pathname: '/a/:x' });
    const r = p.exec('/a/1', 'https://h.com');
    return [r.inputs, p.test({ pathname: '/a/2' }), p.exec('nope'), p.test(),
      new URLPattern().test('https://anything/'), new URLPattern(undefined).pathname];`),
  [['/a/1', 'https://h.com'], true, null, false, true, '*']);
  assert.throws(() => run(`new URLPattern({ pathname: '/a' }).exec({ pathname: '/a' }, 'https://h.com')`),
    { name: 'TypeError', message: 'A baseURL is not allowed when input is an object.' });
  assert.equal(run(`new URLPattern({ pathname: '/a' }).test('/a', 'not a base')`), false);
  // A string baseURL next to a dictionary is ignored, as in workerd.
  assert.equal(run(`new URLPattern({ pathname: '/x' }, 'https://example.com').protocol`), '*');
  assert.throws(() => run(`URLPattern.prototype.test.call({}, 'https://x/')`),
    { name: 'TypeError', message: /^Illegal invocation/ });
  assert.equal(run(`Object.prototype.toString.call(new URLPattern())`), '[object URLPattern]');
});

test('lib.urlPatternParser tokenizes per the spec', () => {
  const { tokenize } = p.host.lib.urlPatternParser;
  const types = (s, policy) => Array.from(tokenize(s, policy), (t) => `${t.type}:${t.value}`);
  assert.deepEqual(types('/:id(\\d+)?*{x}\\:', 'strict'), ['char:/', 'name:id', 'regexp:\\d+',
    'other-modifier:?', 'asterisk:*', 'open:{', 'char:x', 'close:}', 'escaped-char::', 'end:']);
  assert.deepEqual(types('(é', 'lenient'), ['invalid-char:(', 'char:é', 'end:']);
  assert.deepEqual(types(':café_$1', 'strict'), ['name:café_$1', 'end:']);
});
