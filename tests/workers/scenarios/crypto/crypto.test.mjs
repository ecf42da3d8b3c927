import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('randomUUID returns distinct RFC 4122 version-4 UUIDs', async () => {
  const { uuids } = await (await worker.fetch('/uuid')).json();
  assert.equal(uuids.length, 50);
  for (const u of uuids) assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(uuids).size, 50);
});

test('getRandomValues fills up to 65536 bytes and rejects more with QuotaExceededError', async () => {
  const got = await (await worker.fetch('/random')).json();
  assert.equal(got.length, 65536);
  assert.ok(got.distinct > 200, `only ${got.distinct} distinct byte values`);
  assert.equal(got.returnsSameKind, true);
  assert.deepEqual(got.quota, { error: 'QuotaExceededError', isDOMException: true });
  assert.deepEqual(got.float, { error: 'TypeMismatchError', isDOMException: true });
  assert.deepEqual(got.bigint, { value: 2 });
});
