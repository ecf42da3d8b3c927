// D1 binding: the shapes, type mapping and error messages pinned against wrangler dev 4.86.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyOn, useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);
const get = async (path) => {
  const r = await worker.fetch(path);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
};

const kMetaKeys = ['changed_db', 'changes', 'duration', 'last_row_id', 'rows_read',
  'rows_written', 'served_by', 'size_after'];

test('exec runs schema scripts and counts statements', async () => {
  const reset = await get('/reset');
  assert.equal(reset.count, 1);
  assert.equal(typeof reset.duration, 'number');
  assert.equal((await get('/exec-multi')).count, 3);
});

test('run() and batch() report meta like D1', async () => {
  const r = await get('/insert');
  assert.equal(r.success, true);
  assert.deepEqual(r.results, []);
  assert.deepEqual(Object.keys(r.meta).sort(), kMetaKeys);
  assert.equal(r.meta.changes, 1);
  assert.equal(r.meta.last_row_id, 1);
  assert.equal(r.meta.changed_db, true);
  assert.ok(r.meta.size_after > 0);
  const batch = await get('/insert-more');
  assert.deepEqual(batch.map((b) => b.meta.last_row_id), [2, 3]);
});

test('all() returns rows as objects, blobs as arrays of numbers', async () => {
  const r = await get('/all');
  assert.deepEqual(r.results, [
    { id: 1, name: 'Cardinals', rating: 91.5, logo: [1, 2, 255], note: null },
    { id: 2, name: 'Cubs', rating: 80, logo: null, note: null },
    { id: 3, name: 'Reds', rating: 77.25, logo: null, note: null },
  ]);
  assert.equal(r.meta.changed_db, false);
  assert.equal(r.meta.rows_read, 3);
  const types = await get('/types');
  assert.deepEqual(types, { logoIsArray: true, logoIsArrayBuffer: false, logoCtor: 'Array',
    logo: [1, 2, 255], raw: [1, 2, 255], t: 'blob' });
});

test('first(), first(column), raw()', async () => {
  assert.deepEqual(await get('/first'), {
    row: { name: 'Cubs', rating: 80 }, col: 80, none: null, noneCol: null,
    badCol: { error: { name: 'Error', message: 'D1_COLUMN_NOTFOUND: Column not found (zzz)',
      cause: 'Column not found' } },
  });
  assert.deepEqual(await get('/raw'), {
    raw: [[1, 'Cardinals'], [2, 'Cubs']],
    withNames: [['id', 'name'], [1, 'Cardinals'], [2, 'Cubs']],
  });
});

test('booleans bind as 1/0, numbers keep their kind, ?N reuses a parameter', async () => {
  assert.deepEqual(await get('/bools'), { t: 1, f: 0, big: 1099511627776, neg: -3.5, txt: 'x' });
  assert.deepEqual(await get('/named'), { a: 'x', b: 'x', c: 'y' });
});

test('errors start like Cloudflare\'s and keep the cause', async () => {
  const e = await get('/errors');
  assert.deepEqual(e.noTable.error, { name: 'Error',
    message: 'D1_ERROR: no such table: nope: SQLITE_ERROR',
    cause: 'no such table: nope: SQLITE_ERROR' });
  // workerd's newer SQLite adds " at offset 0" to syntax errors; the start is the same.
  assert.match(e.syntax.error.message, /^D1_ERROR: near "SELEC": syntax error.*: SQLITE_ERROR$/);
  assert.equal(e.constraint.error.message, 'D1_ERROR: UNIQUE constraint failed: teams.name: ' +
    'SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)');
  assert.equal(e.undef.error.message,
    "D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'");
  assert.equal(e.object.error.message,
    "D1_TYPE_ERROR: Type 'object' not supported for value '[object Object]'");
  assert.equal(e.tooFew.error.message, 'D1_ERROR: Wrong number of parameter bindings for SQL query.');
  assert.equal(e.execBad.error.message,
    'D1_EXEC_ERROR: Error in line 1: SELECT * FROM nope: no such table: nope: SQLITE_ERROR');
  assert.equal(e.empty.error.message, 'D1_ERROR: No SQL statements detected.');
});

test('a failing batch rolls back every statement', async () => {
  const r = await get('/batch-rollback');
  assert.equal(r.before, 3);
  assert.equal(r.after, 3);
  assert.match(r.err.error.message, /^D1_ERROR: UNIQUE constraint failed: teams.name/);
});

test('dump() returns the database file', { skip: onlyOn('blaze', 'wrangler dev answers dump() with D1_DUMP_ERROR: Status + 404') }, async () => {
  assert.deepEqual(await get('/dump-kind'), { ok: { isAB: true, size: true } });
});

// Every error above was caught by the worker: none may be reported as an unhandled rejection.
// (exec() and batch() returned the binding's rejected promise from an async method; it was
// adopted one microtask later, after the engine's check, and logged "Uncaught (in promise)".)
test('caught D1 errors are not reported as unhandled rejections', { skip: onlyOn('blaze', 'reads blaze dev\'s log') }, async () => {
  const { readFileSync } = await import('node:fs');
  await get('/errors');
  await get('/batch-rollback');
  const log = readFileSync(worker.logPath, 'utf8');
  assert.equal(log.includes('Uncaught (in promise)'), false, log);
});
