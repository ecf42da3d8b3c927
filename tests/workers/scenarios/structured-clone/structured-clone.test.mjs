import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('Map, Set, Date, RegExp, typed arrays, BigInt and cycles are cloned', async () => {
  assert.deepEqual(await (await worker.fetch('/clone')).json(), {
    distinct: true, mapIsMap: true, mapValue: { v: 1 }, mapLoop: true,
    set: [1, 'two'], setIsSet: true, dateIsDate: true, date: '2025-01-02T03:04:05.000Z',
    regexp: '/ab+c/gi', bytes: [1, 2, 3], nested: { arr: [1, [2, [3]]] },
    big: '12345678901234567890', hasUndef: true, cycle: true,
  });
});

test('functions, symbols and WeakMaps throw DataCloneError; Errors clone', async () => {
  const dataCloneError = { name: 'DataCloneError', isDOMException: true };
  assert.deepEqual(await (await worker.fetch('/errors')).json(), {
    fn: dataCloneError, symbol: dataCloneError, weakMap: dataCloneError,
    errorClone: { isRangeError: true, message: 'kept message' },
  });
});
