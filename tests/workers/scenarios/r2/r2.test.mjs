// R2 binding: shapes, conversions and error messages. expected.json holds what each route of
// index.js answered under wrangler dev 4.86.0 (the reference; regenerate it from there, never
// from Blaze); both targets must answer the same. Differences are the tests at the end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { kRepoRoot, onlyOn, useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);
const expected = JSON.parse(readFileSync(new URL('./expected.json', import.meta.url), 'utf8'));

const get = async (path) => {
  const r = await worker.fetch(path);
  assert.equal(r.status, 200, `${path}: ${r.status} ${await r.clone().text()}`);
  return r.json();
};

// Compares field by field so a failure names the field.
async function matchesReference(route) {
  const actual = await get(route);
  for (const [field, want] of Object.entries(expected[route])) {
    assert.deepEqual(actual[field], want, `${route} → ${field}`);
  }
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected[route]).sort(), route);
}

test('put/head/get return R2Object shapes: md5 etag, quoted httpEtag, Checksums, classes', () =>
  matchesReference('/basics'));

test('put accepts strings, buffers, views, Blobs, null and request/response bodies', () =>
  matchesReference('/values'));

test('R2ObjectBody reads as text/json/arrayBuffer/bytes/blob/stream, once', () =>
  matchesReference('/bodies'));

test('httpMetadata (object or Headers), customMetadata, writeHttpMetadata, the 2 KiB limit', () =>
  matchesReference('/metadata'));

test('keys: up to 1024 bytes, any string (even "" and "../.."), converted with String()', () =>
  matchesReference('/keys'));

test('checksums: md5/sha1/sha256/... verified (hex or bytes), one algorithm at a time', () =>
  matchesReference('/checksums'));

test('ranges: {offset, length}, {suffix}, Range headers; unsatisfiable ranges', () =>
  matchesReference('/ranges'));

test('onlyIf on get: etags, dates, If-* headers; a failed condition returns no body', () =>
  matchesReference('/conditionals'));

test('onlyIf on put: null when the condition fails, the object stays as it was', () =>
  matchesReference('/conditional-put'));

test('list: byte order, prefix, delimiter, cursors, startAfter, include, limits', () =>
  matchesReference('/list'));

test('list with include returns at most 100 objects', () => matchesReference('/list-include-cap'));

test('delete takes a key or an array of keys and resolves undefined', () =>
  matchesReference('/delete'));

test('a 3 MB object round-trips, and a range of it', () => matchesReference('/big'));

test('a request body streams into put(); Headers become httpMetadata', async () => {
  const bytes = randomBytes(300 * 1024);
  const r = await worker.fetch('/upload', { method: 'POST', body: bytes,
    headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { size: bytes.length,
    etag: createHash('md5').update(bytes).digest('hex'),
    contentType: 'application/octet-stream', roundTrip: bytes.length });
});

// --- Differences ------------------------------------------------------------------------------

// Production R2 reports "Standard" (Cloudflare's docs); wrangler dev's local R2 reports "".
test('storageClass is "Standard"', { skip: onlyOn('blaze', 'wrangler dev reports ""') },
  async () => {
    assert.deepEqual(await get('/storage-class'), { put: 'Standard', head: 'Standard' });
  });

test('wrangler dev: storageClass is ""', { skip: onlyOn('wrangler', 'pins the reference') },
  async () => {
    assert.deepEqual(await get('/storage-class'), { put: '', head: '' });
  });

// workerd (production and dev) needs a stream of known length (a request/response body or a
// FixedLengthStream); Blaze reads any ReadableStream to its end first.
test('any ReadableStream can be put', { skip: onlyOn('blaze', 'workerd wants a known length') },
  async () => {
    assert.deepEqual(await get('/plain-stream'), { ok: { size: 13, text: 'chunk1,chunk2' } });
  });

test('wrangler dev: a stream of unknown length is refused',
  { skip: onlyOn('wrangler', 'pins the reference') }, async () => {
    assert.deepEqual(await get('/plain-stream'), { error: { name: 'TypeError', message:
      'Provided readable stream must have a known length (request/response body or readable ' +
      'half of FixedLengthStream)' } });
  });

// Blaze keeps every version (the runbook's "R2 buckets: versioning enabled"); the CLI reads the
// same data directory `blaze dev` writes.
test('the worker\'s overwrites are versions the CLI can list and restore',
  { skip: onlyOn('blaze', 'Blaze keeps versions; the CLI reads .blaze') }, async () => {
    assert.deepEqual(await get('/versions'), { text: 'v3' });
    const bin = process.env.BLAZE_BIN ? resolve(kRepoRoot, process.env.BLAZE_BIN)
      : join(kRepoRoot, 'build', 'blaze');
    const dataDir = join(worker.workDir, 'project', '.blaze');
    const blaze = (...args) => execFileSync(bin, [...args, '--data-dir', dataDir], { encoding: 'utf8' });
    const versions = JSON.parse(blaze('r2', 'object', 'versions', 'scenario-bucket', 'ver/report.csv', '--json'));
    assert.equal(versions.length, 3);
    assert.deepEqual(versions.map((v) => v.current), [true, false, false]);
    blaze('r2', 'object', 'restore', 'scenario-bucket', 'ver/report.csv', '--version', versions[2].version);
    assert.deepEqual(await get('/versions'), { text: 'v3' }, 'the route writes v1..v3 again');
    const after = JSON.parse(blaze('r2', 'object', 'versions', 'scenario-bucket', 'ver/report.csv', '--json'));
    assert.equal(after.length, 7);
    assert.equal(after[3].etag, versions[2].etag, 'the restore made v1 current as a new version');
  });
