// Analytics Engine: `env.VITALS.writeDataPoint()` returns undefined at once (fire-and-forget)
// for any point, including one over the limits, as workerd and wrangler dev do. wrangler dev's
// local stand-in (Miniflare's LocalAnalyticsEngineDataset) converts and keeps nothing; Blaze
// behaves like workerd (observed running workerd 2026-04-26 directly with an analyticsEngine
// binding): argument TypeErrors at once, limits checked as the point is written (the point is
// dropped, an uncaught TypeError is logged). The points themselves are read back with
// `blaze analytics query` (blaze-only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyOn, runBlazeCli, useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

async function get(path) {
  const r = await worker.fetch(path);
  const text = await r.text();
  assert.equal(r.status, 200, `${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

const typeError = (message) => ({ error: { name: 'TypeError', message } });
const kNotAnEvent = "Failed to execute 'writeDataPoint' on 'AnalyticsEngine': parameter 1 is not of type 'AnalyticsEngineEvent'.";
const kNotAnArray = (field) => `Incorrect type for the '${field}' field on 'AnalyticsEngineEvent': the provided value is not of type 'Array'.`;

// `blaze analytics query SQL --json`, retried until `ready(json)` (writes are fire-and-forget:
// the response may go out before the point is committed). Bounded.
async function query(sql, ready = () => true) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const r = runBlazeCli(worker, ['analytics', 'query', sql, '--json']);
    const json = r.status === 0 ? JSON.parse(r.stdout) : null;
    if ((json && ready(json)) || Date.now() > deadline) {
      assert.equal(r.status, 0, `blaze analytics query failed: ${r.stderr}${r.stdout}`);
      return json;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('the binding is on env and writeDataPoint returns undefined', async () => {
  assert.deepEqual(await get('/shape'), { binding: 'object', method: 'function', enumerable: true });
  assert.deepEqual(await get('/write?tag=shape&n=3'), { results: ['<undefined>'] });
});

test('points over the limits do not throw: writeDataPoint returns before they are checked', async () => {
  assert.deepEqual(await get('/limits?tag=limits'), {
    blobs21: '<undefined>', doubles21: '<undefined>', indexes2: '<undefined>',
    index97: '<undefined>', blobBytes: '<undefined>',
  });
});

const kAccepted = {
  noArgument: '<undefined>', nullEvent: '<undefined>', emptyEvent: '<undefined>',
  unknownField: '<undefined>', kinds: '<undefined>', inherited: '<undefined>',
};

// workerd (production) converts the event with Web IDL rules and throws TypeErrors at once.
test('argument errors are TypeErrors thrown at once, as workerd throws them',
  { skip: onlyOn('blaze', "wrangler dev's local stand-in accepts anything") }, async () => {
    assert.deepEqual(await get('/conversions?tag=conversions'), {
      ...kAccepted,
      stringEvent: typeError(kNotAnEvent),
      numberEvent: typeError(kNotAnEvent),
      blobsString: typeError(kNotAnArray('blobs')),
      blobsNull: typeError(kNotAnArray('blobs')),
      blobsSet: typeError(kNotAnArray('blobs')),
      doublesNumber: typeError(kNotAnArray('doubles')),
      doubleBigInt: typeError('Cannot convert a BigInt value to a number'),
    });
  });

test('wrangler dev checks no argument at all',
  { skip: onlyOn('wrangler', 'pins the reference, which differs from workerd here') }, async () => {
    const all = await get('/conversions?tag=conversions');
    assert.deepEqual([...new Set(Object.values(all))], ['<undefined>']);
  });

test('written points are rows of the dataset, queried with `blaze analytics query`',
  { skip: onlyOn('blaze', 'wrangler dev keeps no data points') }, async () => {
    await get('/write?tag=rows&n=4');
    const json = await query(
      "SELECT index1, blob1, blob2, blob3, double1, double2, double3, _sample_interval, dataset " +
      "FROM vitals WHERE blob1 = 'rows' ORDER BY double1 FORMAT JSON", (j) => j.rows === 4);
    assert.deepEqual(json.meta, [
      { name: 'index1', type: 'String' }, { name: 'blob1', type: 'String' },
      { name: 'blob2', type: 'String' }, { name: 'blob3', type: 'String' },
      { name: 'double1', type: 'Float64' }, { name: 'double2', type: 'Float64' },
      { name: 'double3', type: 'Float64' }, { name: '_sample_interval', type: 'UInt32' },
      { name: 'dataset', type: 'String' },
    ]);
    assert.equal(json.rows, 4);
    assert.equal(json.rows_before_limit_at_least, 4);
    assert.deepEqual(json.data[3], {
      index1: 'rows-1', blob1: 'rows', blob2: 'path-3', blob3: '', double1: 3, double2: 4.5,
      double3: 0, _sample_interval: 1, dataset: 'vitals',
    });
    const counts = await query(
      "SELECT index1, count() AS n FROM vitals WHERE blob1 = 'rows' GROUP BY index1 ORDER BY index1");
    assert.deepEqual(counts.data, [{ index1: 'rows-0', n: '2' }, { index1: 'rows-1', n: '2' }]);
    const stamp = await query("SELECT timestamp FROM vitals WHERE blob1 = 'rows' LIMIT 1");
    assert.equal(stamp.meta[0].type, 'DateTime');
    assert.match(stamp.data[0].timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

test('points over the limits are dropped; converted values are stored as workerd converts them',
  { skip: onlyOn('blaze', 'wrangler dev keeps no data points') }, async () => {
    await get('/limits?tag=dropped');
    await get('/conversions?tag=converted');
    await get('/write?tag=after-limits');  // written after the dropped ones: once it shows, they would too
    await query("SELECT count() AS n FROM vitals WHERE blob1 = 'after-limits'", (j) => j.data[0].n === '1');
    const dropped = await query("SELECT count() AS n FROM vitals WHERE blob1 = 'dropped'");
    assert.deepEqual(dropped.data, [{ n: '0' }]);
    const kinds = await query(
      "SELECT index1, blob2, blob3, blob4, blob5, blob6, blob7, double1, double2, double3, double4 " +
      "FROM vitals WHERE blob1 = 'converted' AND blob2 <> 'inherited'");
    assert.deepEqual(kinds.data, [{
      index1: '7', blob2: '42', blob3: '', blob4: 'hi', blob5: 'true', blob6: '',
      blob7: '[object Object]', double1: 1.5, double2: 0, double3: null, double4: 1,
    }]);
    const inherited = await query("SELECT count() AS n FROM vitals WHERE blob1 = 'converted' AND blob2 = 'inherited'");
    assert.deepEqual(inherited.data, [{ n: '1' }]);
  });

test('`blaze analytics query` prints a table, lists datasets and refuses writes',
  { skip: onlyOn('blaze', 'the Blaze CLI') }, async () => {
    await get('/write?tag=table');
    await query("SELECT count() AS n FROM vitals WHERE blob1 = 'table'", (j) => j.data[0].n === '1');
    const table = runBlazeCli(worker, ['analytics', 'query', "SELECT blob1, double1 FROM vitals WHERE blob1 = 'table'"]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /blob1/);
    assert.match(table.stdout, /│ table +│ 0\.0 +│/);
    assert.deepEqual((await query('SHOW TABLES')).data, [{ dataset: 'vitals' }]);
    const write = runBlazeCli(worker, ['analytics', 'query', 'DELETE FROM vitals']);
    assert.notEqual(write.status, 0);
    assert.match(write.stderr, /only SELECT/);
  });
