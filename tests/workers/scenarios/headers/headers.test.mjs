import assert from 'node:assert/strict';
import { get } from 'node:http';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

// Raw HTTP/1.1 GET so we can see header lines exactly as sent (fetch would merge them).
function rawGet(path) {
  return new Promise((resolveGet, reject) => {
    const req = get(worker.url(path), { agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolveGet(res));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

test('names are case-insensitive, iteration is sorted and lower-cased, append combines', async () => {
  const got = await (await worker.fetch('/basics')).json();
  assert.equal(got.get, 'text/plain');
  assert.equal(got.alpha, 'a1, a2');
  assert.equal(got.has, true);
  assert.equal(got.missing, null);
  assert.deepEqual(got.entries, [
    ['content-type', 'text/plain'], ['x-alpha', 'a1, a2'], ['x-beta', 'b'], ['x-zeta', 'z'],
  ]);
  assert.deepEqual(got.keys, ['content-type', 'x-alpha', 'x-beta', 'x-zeta']);
  assert.deepEqual(got.invalid, ['TypeError', 'TypeError']);
});

test('request headers arrive lower-cased and sorted', async () => {
  const res = await worker.fetch('/request-headers', { headers: { 'X-B': '2', 'x-a': '1', 'X-C': '3' } });
  assert.deepEqual((await res.json()).entries, [['x-a', '1'], ['x-b', '2'], ['x-c', '3']]);
});

test('getSetCookie keeps cookies apart; get joins them', async () => {
  const got = await (await worker.fetch('/cookies')).json();
  assert.deepEqual(got.list, ['a=1; Path=/', 'b=2; Path=/; HttpOnly', 'c=3, with comma; Path=/']);
  assert.equal(got.joined, 'a=1; Path=/, b=2; Path=/; HttpOnly, c=3, with comma; Path=/');
});

test('multiple Set-Cookie reach the client as separate header lines', async () => {
  const res = await rawGet('/cookies');
  const lines = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    if (res.rawHeaders[i].toLowerCase() === 'set-cookie') lines.push(res.rawHeaders[i + 1]);
  }
  assert.deepEqual(lines, ['a=1; Path=/', 'b=2; Path=/; HttpOnly', 'c=3, with comma; Path=/']);
  const viaFetch = await worker.fetch('/cookies');
  assert.deepEqual(viaFetch.headers.getSetCookie(), lines);
});

test('delete removes a header regardless of case', async () => {
  const res = await worker.fetch('/delete');
  assert.equal(res.headers.get('x-gone'), null);
  assert.equal(res.headers.get('x-kept'), '2');
});
