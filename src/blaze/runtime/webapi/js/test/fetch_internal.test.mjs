// fetch against a local HTTP server (127.0.0.1, port 0), and the engine-facing functions.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { loadPrelude } from '../testing/prelude_loader.mjs';

let server, base;
test.before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/echo?from=redirect' });
        res.end();
        return;
      }
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(req.url === '/teapot' ? 418 : 200, { 'content-type': 'application/json', 'x-extra': 'y' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
test.after(() => server.close());

test('fetch sends method, headers and body and returns a Response', async () => {
  const { run, g } = loadPrelude();
  g.base = base;
  const out = await run(`(async () => {
    const r = await fetch(base + '/echo#frag', { method: 'POST', body: 'héllo', headers: { 'X-Test': 'v' } });
    const data = await r.json();
    return JSON.stringify([r instanceof Response, r.status, r.statusText, r.ok, r.url, r.redirected,
      r.headers.get('x-extra'), r.headers.getSetCookie(), data.method, data.url, data.headers['x-test'],
      data.headers['content-type'], data.body]);
  })()`);
  assert.deepEqual(JSON.parse(out), [true, 200, 'OK', true, `${base}/echo`, false, 'y', ['a=1', 'b=2'],
    'POST', '/echo', 'v', 'text/plain;charset=UTF-8', 'héllo']);
});

test('fetch accepts a Request, follows redirects and reports url/redirected', async () => {
  const { run, g } = loadPrelude();
  g.base = base;
  const out = await run(`(async () => {
    const r = await fetch(new Request(base + '/redirect'));
    const m = await fetch(base + '/redirect', { redirect: 'manual' });
    return JSON.stringify([r.status, r.redirected, r.url, (await r.json()).url, m.status, m.headers.get('location')]);
  })()`);
  assert.deepEqual(JSON.parse(out), [200, true, `${base}/echo?from=redirect`, '/echo?from=redirect', 302, '/echo?from=redirect']);
});

test('fetched responses have immutable headers and any status', async () => {
  const { run, g } = loadPrelude();
  g.base = base;
  const out = await run(`(async () => { const r = await fetch(base + '/teapot');
    let err; try { r.headers.set('a', 'b'); } catch (e) { err = e.message; }
    return JSON.stringify([r.status, r.statusText, err]); })()`);
  assert.deepEqual(JSON.parse(out), [418, 'I\'m a Teapot', 'Can\'t modify immutable headers.']);
});

test('fetch errors: bad URL, bad scheme, GET with body, network failure, used body', async () => {
  const { run, g } = loadPrelude();
  await assert.rejects(run(`fetch('nope')`), { name: 'TypeError', message: 'Invalid URL: nope' });
  await assert.rejects(run(`fetch('ftp://x/')`), { message: 'Fetch API cannot load: ftp://x/' });
  await assert.rejects(run(`fetch('http://x/', { body: 'b' })`), /GET or HEAD/);
  await assert.rejects(run(`fetch('http://127.0.0.1:1/')`), (e) => e instanceof g.TypeError);
  await assert.rejects(run(`(async () => { const q = new Request('http://127.0.0.1:1/', { method: 'POST', body: 'x' }); await q.text(); return fetch(q); })()`), /already been used/);
});

test('fetch hands the host exactly the documented init shape', async () => {
  let seen;
  const { run } = loadPrelude({ fetch: async (init) => {
    seen = init;
    return { status: 201, statusText: 'Created', headers: [['x', '1']], body: null, url: '', redirected: false };
  } });
  const status = await run(`fetch('https://h.test/p?q#f', { method: 'PUT', body: new Uint8Array([1, 2]), headers: [['A', '1'], ['a', '2']] }).then((r) => r.status + r.url)`);
  assert.equal(status, '201https://h.test/p?q');
  assert.deepEqual(JSON.parse(JSON.stringify({ ...seen, body: [...seen.body] })),
    { method: 'PUT', url: 'https://h.test/p?q', headers: [['a', '1'], ['a', '2']], body: [1, 2], redirect: 'follow' });
  await run(`fetch('https://h.test/')`);
  assert.equal(seen.body, null);
});

test('internal.newRequest builds an incoming Request with immutable headers and cf', async () => {
  const { internal, run, g } = loadPrelude();
  const body = run('new Uint8Array([104, 105])');
  const req = internal.newRequest({ method: 'PROPFIND', url: 'https://w.test/a?b', headers: [['Host', 'w.test'], ['x-a', '1']], body, cf: { colo: 'LHR' } });
  assert.ok(req instanceof g.Request);
  assert.equal(req.method, 'PROPFIND');
  assert.equal(req.url, 'https://w.test/a?b');
  assert.equal(req.headers.get('host'), 'w.test');
  assert.equal(req.cf.colo, 'LHR');
  assert.equal(await req.text(), 'hi');
  const noBody = internal.newRequest({ method: 'GET', url: 'https://w.test/', headers: [], body: null });
  assert.equal(noBody.cf, undefined);
  assert.equal(await noBody.text(), '');
});

test('internal.readResponse returns status, headers and body bytes, and refuses non-Responses', async () => {
  const { internal, run, g } = loadPrelude();
  const r = await internal.readResponse(run(`(() => { const h = new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['X', '1']]);
    return new Response('héllo', { status: 201, headers: h }); })()`));
  assert.equal(r.status, 201);
  assert.equal(r.statusText, 'Created');
  assert.deepEqual(JSON.parse(JSON.stringify(r.headers)), [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x', '1'],
    ['content-type', 'text/plain;charset=UTF-8']]);
  assert.ok(r.body instanceof g.Uint8Array);
  assert.equal(Buffer.from(r.body).toString(), 'héllo');
  const empty = await internal.readResponse(run('new Response(null, { status: 204 })'));
  assert.equal(empty.body.length, 0);
  for (const bad of ['not a response', undefined, { status: 200 }]) {
    await assert.rejects(internal.readResponse(bad), (e) => e instanceof g.TypeError &&
      e.message === 'Incorrect type for Promise: the Promise did not resolve to \'Response\'.');
  }
  await assert.rejects(internal.readResponse(run(`(() => { const r = new Response('x'); r.text(); return r; })()`)), /already been used/);
});

test('internal.newExecutionContext tracks waitUntil, including late additions, and never rejects', async () => {
  const { internal, run, logs } = loadPrelude();
  const handed = [];
  const ctx = internal.newExecutionContext({ waitUntil: (p) => handed.push(p) });
  const { settled, passThrough } = internal.executionContextState(ctx);
  const order = [];
  assert.equal(passThrough(), false);
  ctx.passThroughOnException();
  assert.equal(passThrough(), true);
  ctx.waitUntil(new Promise((r) => setTimeout(() => {
    order.push('first');
    ctx.waitUntil(new Promise((r2) => setTimeout(() => { order.push('late'); r2(); }, 5)));
    r();
  }, 5)));
  ctx.waitUntil(Promise.reject(run(`new Error('bg failure')`)));
  ctx.waitUntil('not a promise');
  await settled();
  assert.deepEqual(order, ['first', 'late']);
  assert.equal(handed.length, 4);  // every waitUntil reached the engine's hook, the late one too
  assert.equal(logs.filter((l) => l.level === 'error' && l.message.includes('bg failure')).length, 1);
  assert.deepEqual(Object.keys(Object.getPrototypeOf(ctx)), []);
  assert.equal(typeof ctx.waitUntil, 'function');
  // A context with nothing pending settles at once.
  await internal.executionContextState(internal.newExecutionContext()).settled();
});

test('internal.formatLog formats like console.log', () => {
  const { internal, run } = loadPrelude();
  assert.equal(internal.formatLog(run(`['a %d', 1, { b: [2] }]`)), 'a 1 { b: [ 2 ] }');
  assert.equal(internal.formatLog(run(`(function () { return arguments; })('x', 1)`)), 'x 1');
  assert.equal(internal.formatLog([]), '');
});
