import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorker } from '../../harness/target.mjs';

const worker = useWorker(import.meta.url);

test('TextEncoder encodes UTF-8 and encodeInto reports read/written', async () => {
  const got = await (await worker.fetch(`/text-encoder?s=${encodeURIComponent('a€😀')}`)).json();
  assert.deepEqual(got.bytes, [0x61, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
  assert.equal(got.encoding, 'utf-8');
  assert.deepEqual(got.into, [0x68, 0xc3, 0xa9, 0x6c]);
  assert.deepEqual(got.result, { read: 3, written: 4 });
});

test('TextDecoder: replacement, fatal, BOM, streaming', async () => {
  const got = await (await worker.fetch('/text-decoder')).json();
  assert.equal(got.utf8, '€\uFFFD');
  assert.deepEqual(got.fatal, { error: 'TypeError', isDOMException: false });
  assert.equal(got.bom, 'A');
  assert.deepEqual(got.keptBom, [0xfeff, 0x41]);
  assert.equal(got.split, '€');
});

test('atob/btoa round trip and InvalidCharacterError', async () => {
  const got = await (await worker.fetch('/base64')).json();
  assert.equal(got.btoa, 'aGVsbG8gd29ybGQ=');
  assert.equal(got.btoaLatin1, '//4=');
  assert.equal(got.atob, 'hello world');
  assert.equal(got.atobNoPad, 'hi');
  assert.equal(got.atobSpaces, 'hi');
  assert.deepEqual(got.btoaWide, { error: 'InvalidCharacterError', isDOMException: true });
  assert.deepEqual(got.atobBad, { error: 'InvalidCharacterError', isDOMException: true });
  assert.deepEqual(got.atobBadLength, { error: 'InvalidCharacterError', isDOMException: true });
});
