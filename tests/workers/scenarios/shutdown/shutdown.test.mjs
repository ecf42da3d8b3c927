import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { Origin } from '../../harness/origin.mjs';
import { onlyOn, useWorker } from '../../harness/target.mjs';

// SIGTERM while a slow request (a 500 ms timer) is in flight.
// Blaze (issue): stop accepting at once, let the in-flight request finish with 200, then exit.
// wrangler dev: exits at once; the in-flight request gets no response (the connection is closed
// without a status line, curl reports "Empty reply from server") and new connections are refused.
const worker = useWorker(import.meta.url);
const origin = new Origin();
before(() => origin.start());
after(() => origin.stop());

// Resolves 'refused' or 'accepted' for one fresh TCP connection attempt.
function tryConnect(port) {
  return new Promise((resolveTry) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.on('connect', () => { socket.destroy(); resolveTry('accepted'); });
    socket.on('timeout', () => { socket.destroy(); resolveTry('timeout'); });
    socket.on('error', (e) => resolveTry(e.code === 'ECONNREFUSED' ? 'refused' : e.code));
  });
}

async function refusedWithin(port, ms) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await tryConnect(port);
    if (last === 'refused') return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

// Starts /slow and resolves once the worker is inside the handler (it notified the origin).
// Returns {slow}: a bare promise would be adopted by the async function and awaited.
async function startSlow() {
  const ok = await worker.fetch('/ok');
  assert.equal(ok.status, 200);
  await ok.arrayBuffer();
  const slow = worker.fetch(`/slow?origin=${origin.port}`)
    .then(async (res) => ({ status: res.status, body: await res.text() }), (error) => ({ error }));
  await origin.seen('slow-started');
  return { slow };
}

test('SIGTERM drains the in-flight request and refuses new connections', { skip: onlyOn('blaze', 'wrangler dev drops in-flight requests on SIGTERM') }, async () => {
  const { slow } = await startSlow();
  worker.signal('SIGTERM');
  assert.equal(await refusedWithin(worker.port, 2000), 'refused');
  assert.deepEqual(await slow, { status: 200, body: 'slow done' });
});

test('wrangler dev: SIGTERM drops the in-flight request and refuses new connections', { skip: onlyOn('wrangler', 'documents wrangler dev') }, async () => {
  const { slow } = await startSlow();
  worker.signal('SIGTERM');
  const result = await slow;
  assert.ok(result.error, `expected the in-flight request to fail, got ${JSON.stringify(result)}`);
  assert.equal(result.error.name, 'TypeError'); // undici: "fetch failed" (socket closed)
  assert.equal(await refusedWithin(worker.port, 2000), 'refused');
});
