import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('string and JSON-object [vars] reach env', async () => {
  assert.deepEqual(await (await worker.fetch('/env')).json(), {
    greeting: 'hello from vars',
    greetingType: 'string',
    empty: '',
    features: { enabled: true, limit: 10, tags: ['a', 'b'], nested: { deep: 'yes' } },
    featuresType: 'object',
    limitType: 'number',
    missing: true,
    keys: ['EMPTY', 'FEATURES', 'GREETING'],
  });
});
