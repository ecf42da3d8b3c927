import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { Origin } from '../../harness/origin.mjs';
import { useWorker } from '../../harness/target.mjs';

// Production difference: a deployed Worker cannot fetch 127.0.0.1; the abort test only makes
// sense against a local runtime (the rest is production behaviour).
const worker = useWorker(import.meta.url);
const origin = new Origin();
before(() => origin.start());
after(() => origin.stop());

const line = 'The quick brown fox jumps over the lazy dog. ';
const text = (n) => line.repeat(Math.ceil(n / line.length)).slice(0, n);

test('a body gzipped in the worker decompresses with node:zlib', async () => {
  const res = await worker.fetch('/gzip?n=100000');
  assert.equal(res.status, 200);
  const gz = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...gz.subarray(0, 2)], [0x1f, 0x8b]);
  assert.ok(gz.length < 10000, `compressed size ${gz.length}`);
  assert.equal(zlib.gunzipSync(gz).toString(), text(100000));
});

test('a gzip upload is decompressed by the worker', async () => {
  const plain = text(50000) + 'ünïcödé';
  const res = await worker.fetch('/gunzip', { method: 'POST', body: zlib.gzipSync(plain) });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), plain);
});

for (const format of ['deflate-raw', 'deflate', 'gzip']) {
  test(`${format} round trips inside the worker`, async () => {
    const body = text(20000);
    const got = await (await worker.fetch(`/round-trip?format=${format}`, { method: 'POST', body })).json();
    assert.equal(got.plainLength, 20000);
    assert.equal(got.text, body);
    assert.ok(got.packedLength < 2000);
  });
}

test('unknown format and corrupt input are TypeErrors; request.signal is a live signal', async () => {
  assert.deepEqual(await (await worker.fetch('/errors')).json(), {
    unknown: 'TypeError', corrupt: 'TypeError', kinds: [true, true], signal: [true, false],
  });
});

test('fetch honours AbortSignal.timeout, a pre-aborted signal and AbortController', async () => {
  const got = await (await worker.fetch(`/abort?origin=${origin.port}`)).json();
  assert.deepEqual(got, { timeout: 'TimeoutError', fast: true, pre: 'AbortError', controller: 'AbortError' });
});
