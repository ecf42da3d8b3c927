import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

// Pinned with wrangler 4.86.0 (workerd): the same answers from both targets. Blaze also logs
// each reported rejection as "Uncaught (in promise) ..." (runtime/engine tests); the request
// itself is unaffected either way.
test('unhandledrejection fires for rejections still unhandled after their turn', async () => {
  for (const path of ['/stray', '/awaited', '/same-turn', '/next-microtask', '/after-timer']) {
    const res = await worker.fetch(path);
    assert.equal(res.status, 200, path);
    assert.equal(await res.text(), 'ok', path);
  }
  const seen = await (await worker.fetch('/seen')).json();
  const event = (reason) => ({ reason, type: 'unhandledrejection', isPromise: true,
    cancelable: false, name: 'PromiseRejectionEvent' });
  assert.deepEqual(seen, [event('stray'), event('next-microtask'), event('after-timer')]);
});
