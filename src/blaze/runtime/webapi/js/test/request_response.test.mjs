// Request and Response: construction rules, errors (messages pinned from workerd) and bodies.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude } from '../testing/prelude_loader.mjs';

const { run, g } = loadPrelude();
const json = (src) => JSON.parse(run(`JSON.stringify(${src})`));
const rejects = (src, check) => assert.rejects(run(src), check);

test('Request: URL, method normalisation and defaults', () => {
  assert.deepEqual(json(`(() => { const r = new Request('HTTP://X.com/a/../b#frag');
    return [r.url, r.method, r.redirect, r.cf === undefined, r.body, r.bodyUsed]; })()`),
  ['http://x.com/b#frag', 'GET', 'follow', true, null, false]);
  assert.equal(run(`new Request('http://x', { method: 'post', body: 'x' }).method`), 'POST');
  assert.equal(run(`new Request('http://x', { method: 'PATCH' }).method`), 'PATCH');
  assert.equal(run(`new Request(new URL('http://y/z')).url`), 'http://y/z');
  assert.equal(run(`new Request('http://u:p@x/').url`), 'http://u:p@x/');
  assert.deepEqual(json(`new Request('http://x', { cf: { a: 1 } }).cf`), { a: 1 });
  assert.equal(run(`new Request('http://x', { redirect: 'manual' }).redirect`), 'manual');
});

test('Request: errors match workerd', () => {
  assert.throws(() => run(`new Request('nope')`), { name: 'TypeError', message: 'Invalid URL: nope' });
  assert.throws(() => run(`new Request('/relative')`), { message: 'Invalid URL: /relative' });
  assert.throws(() => run(`new Request('http://x', { method: 'patch' })`), { message: 'Invalid HTTP method string: patch' });
  assert.throws(() => run(`new Request('http://x', { method: 'foo' })`), { message: 'Invalid HTTP method string: foo' });
  assert.throws(() => run(`new Request('http://x', { body: 'x' })`), { message: 'Request with a GET or HEAD method cannot have a body.' });
  assert.throws(() => run(`new Request('http://x', { method: 'HEAD', body: 'x' })`), /GET or HEAD/);
  assert.throws(() => run(`new Request('http://x', { redirect: 'error' })`), /Invalid redirect value/);
  assert.throws(() => run(`new Request()`), (e) => e instanceof g.TypeError);
  // A body-less GET from a POST's init: the body is inherited, so it is refused.
  assert.throws(() => run(`new Request(new Request('http://x', { method: 'POST', body: 'b' }), { method: 'GET' })`), /GET or HEAD/);
});

test('Request: body content types and reading', async () => {
  assert.equal(run(`new Request('http://x', { method: 'POST', body: 'x' }).headers.get('content-type')`), 'text/plain;charset=UTF-8');
  assert.equal(run(`new Request('http://x', { method: 'POST', body: new URLSearchParams('a=1') }).headers.get('content-type')`),
    'application/x-www-form-urlencoded;charset=UTF-8');
  assert.equal(run(`new Request('http://x', { method: 'POST', body: new Uint8Array([1]) }).headers.get('content-type')`), null);
  assert.equal(run(`new Request('http://x', { method: 'POST', body: 'x', headers: { 'Content-Type': 'a' } }).headers.get('content-type')`), 'a');
  assert.equal(await run(`new Request('http://x', { method: 'POST', body: '{"a":[1]}' }).json().then((v) => v.a[0])`), 1);
  assert.equal(await run(`new Request('http://x', { method: 'PUT', body: new Uint16Array([0x6968]) }).text()`), 'hi');
  await rejects(`(() => { const q = new Request('http://x', { method: 'POST', body: 'a' }); return q.text().then(() => q.text()); })()`,
    { name: 'TypeError', message: 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.' });
});

test('Request: clone and new Request(request) share or take the body', async () => {
  assert.equal(await run(`(async () => { const a = new Request('http://x', { method: 'POST', body: 'data', headers: { h: '1' } });
    const b = a.clone(); b.headers.set('h', '2');
    return [await a.text(), await b.text(), a.headers.get('h'), b.headers.get('h'), a.bodyUsed, b.bodyUsed].join(); })()`),
  'data,data,1,2,true,true');
  assert.equal(await run(`(async () => { const a = new Request('http://x', { method: 'POST', body: 'moved' });
    const b = new Request(a, { headers: { z: '1' } });
    return [a.bodyUsed, await b.text(), b.method, b.headers.get('z')].join(); })()`), 'true,moved,POST,1');
  assert.throws(() => run(`(() => { const a = new Request('http://x', { method: 'POST', body: 'x' }); a.text(); return a.clone(); })()`), /already been used/);
});

test('Response: construction, status rules and statusText defaults', () => {
  assert.deepEqual(json(`(() => { const r = new Response();
    return [r.status, r.statusText, r.ok, r.type, r.url, r.redirected, r.body, r.bodyUsed, r.headers.get('content-type'), r.webSocket]; })()`),
  [200, 'OK', true, 'default', '', false, null, false, null, null]);
  assert.equal(run(`new Response(null, { status: 404 }).statusText`), 'Not Found');
  // workerd (checked in wrangler dev by tests/workers/scenarios/response) names unknown codes by
  // their class; the Fetch spec would say ''.
  assert.equal(run(`new Response(null, { status: 299 }).statusText`), 'Successful');
  assert.equal(run(`new Response(null, { status: 599 }).statusText`), 'Server Error');
  assert.equal(run(`new Response(null, { status: 500, statusText: 'Oops' }).statusText`), 'Oops');
  assert.equal(run(`new Response(null, { status: 404 }).ok`), false);
  assert.equal(run(`new Response('x', { status: 200.5 }).status`), 200);
  for (const status of [101, 199, 600, 0, 'abc']) {
    assert.throws(() => run(`new Response(null, { status: ${JSON.stringify(status)} })`), { name: 'RangeError',
      message: 'Responses may only be constructed with status codes in the range 200 to 599, inclusive.' });
  }
  assert.throws(() => run(`new Response('x', { status: 204 })`), { message: 'Response with null body status (101, 204, 205, or 304) cannot have a body.' });
  assert.equal(run(`new Response(null, { status: 204 }).status`), 204);
  assert.throws(() => run(`new Response('x', { statusText: 'bad\\n' })`), { message: 'Invalid statusText' });
  assert.throws(() => run(`new Response('x', { headers: [['a']] })`), /exactly two elements/);
});

test('Response: body kinds', async () => {
  assert.equal(await run(`new Response('héllo').text()`), 'héllo');
  assert.equal(await run(`new Response(new Uint8Array([104, 105]).buffer).text()`), 'hi');
  assert.equal(await run(`new Response(new DataView(new Uint8Array([0, 104, 105]).buffer, 1)).text()`), 'hi');
  assert.equal(await run(`new Response(new URLSearchParams({ a: 'b c' })).text()`), 'a=b+c');
  assert.equal(await run(`new Response({}).text()`), '[object Object]');
  assert.equal(run(`new Response(new Uint8Array([1])).headers.get('content-type')`), null);
  assert.equal(await run(`new Response('\\ufeffbom').text()`), 'bom');
  assert.equal(await run(`(async () => { const src = new Uint8Array([1, 2]); const r = new Response(src); src[0] = 9;
    const ab = await r.arrayBuffer(); return ab instanceof ArrayBuffer && new Uint8Array(ab).join(); })()`), '1,2');
  await rejects(`new Response('{bad').json()`, (e) => e instanceof g.SyntaxError);
  await rejects(`(() => { const q = new Response('a'); return q.text().then(() => q.arrayBuffer()); })()`, /already been used/);
  assert.equal(await run(`(async () => { const r = new Response(''); await r.text(); return r.bodyUsed; })()`), true);
  assert.equal(await run(`(async () => { const r = new Response(null); await r.text(); await r.text(); return r.bodyUsed; })()`), false);
});

test('Response.json, Response.redirect, Response.error and clone', async () => {
  assert.deepEqual(json(`(() => { const r = Response.json({ a: 1 }, { status: 201, headers: { x: 'y' } });
    return [r.status, r.headers.get('content-type'), r.headers.get('x')]; })()`), [201, 'application/json', 'y']);
  assert.equal(await run(`Response.json([1, 'a']).text()`), '[1,"a"]');
  assert.equal(run(`Response.json(1, { headers: { 'content-type': 'application/vnd+json' } }).headers.get('content-type')`), 'application/vnd+json');
  assert.throws(() => run(`Response.json(1n)`), (e) => e instanceof g.TypeError);
  assert.throws(() => run(`Response.json(undefined)`), (e) => e instanceof g.TypeError);
  assert.deepEqual(json(`(() => { const r = Response.redirect('http://x/ä', 301); return [r.status, r.statusText, r.headers.get('location')]; })()`),
    [301, 'Moved Permanently', 'http://x/%C3%A4']);
  assert.equal(run(`Response.redirect('http://x').status`), 302);
  assert.throws(() => run(`Response.redirect('http://x', 200)`), { name: 'RangeError',
    message: '200 is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.' });
  assert.throws(() => run(`Response.redirect('nope')`), { name: 'TypeError', message: 'Unable to parse URL: nope' });
  assert.deepEqual(json(`(() => { const r = Response.error(); return [r.type, r.status, r.statusText, r.ok]; })()`), ['error', 0, '', false]);
  assert.equal(await run(`(async () => { const a = new Response('body', { status: 202, headers: { h: '1' } }); const b = a.clone();
    return [await a.text(), await b.text(), b.status, b.headers.get('h'), b.headers !== a.headers].join(); })()`), 'body,body,202,1,true');
  assert.throws(() => run(`(() => { const a = new Response('x'); a.text(); return a.clone(); })()`), /already been used/);
  assert.equal(run(`Object.prototype.toString.call(new Response())`), '[object Response]');
  assert.throws(() => run(`Object.getOwnPropertyDescriptor(Response.prototype, 'status').get.call({})`), (e) => e instanceof g.TypeError);
});
