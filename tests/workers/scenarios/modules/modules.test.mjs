import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

// wrangler bundles the graph with esbuild into one script before workerd sees it; Blaze is
// expected to load the same files as separate ES modules. The observable behaviour is the same.
const worker = useWorker(import.meta.url);

test('a graph of several files resolves relative imports and evaluates each module once', async () => {
  assert.deepEqual(await (await worker.fetch('/graph')).json(), {
    a: 'module a imports module b',
    aName: 'module a',
    b: 'module b: 5',
    cName: 'module c',
    evaluations: 1,
    counterSeenByC: 1,
    reexported: 'module b',
    namespaceKeys: ['bName', 'evaluations'],
  });
});

test('dynamic import() of a relative module shares the already-evaluated graph', async () => {
  assert.deepEqual(await (await worker.fetch('/dynamic')).json(), {
    lazy: 'lazy module sees module b',
    evaluations: 1,
  });
});
