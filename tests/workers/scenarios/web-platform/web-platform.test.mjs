import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);
const json = async (path, init) => (await worker.fetch(path, init)).json();

test('Blob and File', async () => {
  assert.deepEqual(await json('/blob'), { size: 11, type: 'text/plain', text: 'hello world', slice: 'world',
    fileName: 'a.txt', lastModified: 42, isBlob: true });
});

test('FormData parses a multipart request and serializes one', async () => {
  const body = new FormData();
  body.append('greeting', 'hi');
  body.append('n', '1');
  body.append('n', '2');
  assert.deepEqual(await json('/form', { method: 'POST', body }), { keys: ['greeting', 'n', 'n'], all: ['1', '2'],
    greeting: 'HI', uploadName: 'up.txt', uploadText: 'file body' });
});

test('FormData parses an urlencoded request', async () => {
  const got = await json('/form', { method: 'POST', body: new URLSearchParams('greeting=hey&n=3') });
  assert.equal(got.greeting, 'HEY');
  assert.deepEqual(got.all, ['3']);
});

test('AbortController, AbortSignal.timeout and any', async () => {
  assert.deepEqual(await json('/abort'), { aborted: true, reason: 'AbortError', seen: ['event'], timeout: 'TimeoutError', any: true });
});

test('URLPattern matches with named and regexp groups', async () => {
  assert.deepEqual(await json('/pattern'), { test: false, groups: { league: 'nfl', id: '42' } });
});

test('a body streamed through TextDecoderStream, a TransformStream and TextEncoderStream', async () => {
  assert.deepEqual(await json('/streams'), { text: 'STREAMED TEXT', nowType: 'number' });
});
