import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

function parts(url) {
  return {
    href: url.href, origin: url.origin, protocol: url.protocol, username: url.username,
    password: url.password, host: url.host, hostname: url.hostname, port: url.port,
    pathname: url.pathname, search: url.search, hash: url.hash,
  };
}

// What the WHATWG URL standard says, via Node's own (spec-conformant) URL parser.
function expected(input, base) {
  try {
    return parts(new URL(input, base));
  } catch (e) {
    return { error: e.constructor.name };
  }
}

async function parse(input, base) {
  const q = new URLSearchParams({ input });
  if (base !== undefined) q.set('base', base);
  return (await worker.fetch(`/parse?${q}`)).json();
}

test('the request URL is parsed into its parts', async () => {
  const got = await (await worker.fetch('/self?x=1&y=two')).json();
  assert.equal(got.protocol, 'http:');
  assert.equal(got.hostname, '127.0.0.1');
  assert.equal(got.port, String(worker.port));
  assert.equal(got.pathname, '/self');
  assert.equal(got.search, '?x=1&y=two');
  assert.equal(got.origin, worker.origin);
});

const kTricky = [
  ['https://user:pa%20ss@Example.COM:443/a/./b/../c?x=1&y=%20#h'],
  ['HTTP://EXAMPLE.com:80/'],
  ['https://例え.jp/パス?q=値'],
  ['https://[::1]:8080/p'],
  ['https://[0:0::FFFF:127.0.0.1]/'],
  ['http://0x7f.1/'],
  ['http://192.168.0.257/'],
  ['file:///C:/x/../y'],
  ['https://a.com/%zz?q=a b'],
  ['https://a.com/ pa th/<>"'],
  ['../up?x#y', 'https://h.com/a/b/c'],
  ['//other.org/p', 'https://h.com/a'],
  ['?only', 'https://h.com/a/b'],
  ['javascript:alert(1)'],
  ['blob:https://a.com/uuid'],
  ['mailto:someone@example.com'],
  ['https://a.com:99999/'],
  ['not a url'],
  ['https://exa mple.com/'],
  ['  https://trim.me/\t'],
  ['https://a.com\\b\\c'],
];

for (const [input, base] of kTricky) {
  test(`parses ${JSON.stringify(input)}${base ? ` against ${base}` : ''} per the URL standard`, async () => {
    assert.deepEqual(await parse(input, base), expected(input, base));
  });
}

test('a few pinned values (independent of the local oracle)', async () => {
  assert.equal((await parse('https://例え.jp/')).hostname, 'xn--r8jz45g.jp');
  assert.equal((await parse('HTTP://EXAMPLE.com:80/')).href, 'http://example.com/');
  assert.equal((await parse('http://0x7f.1/')).hostname, '127.0.0.1');
  assert.equal((await parse('../up?x#y', 'https://h.com/a/b/c')).href, 'https://h.com/a/up?x#y');
  assert.deepEqual(await parse('not a url'), { error: 'TypeError' });
  assert.deepEqual(await parse('https://a.com:99999/'), { error: 'TypeError' });
});

test('URLSearchParams reads duplicates, + as space and percent-encoding', async () => {
  const got = await (await worker.fetch('/params?a=1&b=x&a=2&plus=a+b&enc=%26%3D%F0%9F%98%80')).json();
  assert.deepEqual(got, {
    a: '1', all: ['1', '2'], has: true, plus: 'a b', encoded: '&=😀', missing: null,
    entries: [['a', '1'], ['b', 'x'], ['a', '2'], ['plus', 'a b'], ['enc', '&=😀']],
    size: 5,
    sorted: 'a=1&a=2&b=x&enc=%26%3D%F0%9F%98%80&plus=a+b',
    built: 'z=1&a+b=c%26d&a+b=%C3%A9',
  });
});

test('URL setters re-serialize the href', async () => {
  const got = await (await worker.fetch('/mutate')).json();
  assert.equal(got.href, 'https://example.com:8443/new%20path?x=1&y=a+b#frag');
});
