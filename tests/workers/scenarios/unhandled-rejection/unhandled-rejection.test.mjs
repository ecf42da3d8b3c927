import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kTarget, useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

// Pinned with wrangler 4.86.0 (workerd). One difference, on purpose: workerd reports a
// rejection still unhandled when the microtask that rejected it ends (so /next-microtask, handled
// one microtask later, is reported); Blaze reports what is still unhandled when the whole
// microtask checkpoint ends, as the HTML standard and Node do. Blaze's bindings answer inline,
// so `async () => env.DB.prepare(bad).run()` returns an already-rejected promise that is only
// adopted a microtask later: workerd's rule would report errors the worker does catch. Blaze
// also logs each reported rejection as "Uncaught (in promise) ..."; the request itself is
// unaffected either way.
test('unhandledrejection fires for rejections nobody handled in time', async () => {
  for (const path of ['/stray', '/awaited', '/same-turn', '/next-microtask', '/after-timer']) {
    const res = await worker.fetch(path);
    assert.equal(res.status, 200, path);
    assert.equal(await res.text(), 'ok', path);
  }
  const seen = await (await worker.fetch('/seen')).json();
  const event = (reason) => ({ reason, type: 'unhandledrejection', isPromise: true,
    cancelable: false, name: 'PromiseRejectionEvent' });
  const expected = kTarget === 'wrangler'
    ? [event('stray'), event('next-microtask'), event('after-timer')]
    : [event('stray'), event('after-timer')];
  assert.deepEqual(seen, expected);
});
