import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('console.log/info/warn/error/debug/time/timeEnd do not break the request', async () => {
  const res = await worker.fetch('/log');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'logged');
});
