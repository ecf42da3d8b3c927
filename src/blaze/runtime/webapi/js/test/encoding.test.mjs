// TextEncoder, TextDecoder (host codecs and the pure-JS fallback), atob and btoa.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude } from '../testing/prelude_loader.mjs';

const native = loadPrelude();
const fallback = loadPrelude({ nativeUtf8: false });

const kStrings = ['', 'ascii', 'héllo', '€', '😀 emoji', '\ud800', 'a\udc00b', '\ud83d',
  '\u0000\u007f\u0080\u07ff\u0800\uffff', 'x'.repeat(20000) + '€'];
const kByteSeqs = [[], [0x68, 0x69], [0xef, 0xbb, 0xbf, 0x41], [0xff], [0xc0, 0x80],
  [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98],
  [0xe2, 0x82], [0x80, 0x41], [0xc3], [0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac],
  [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe1, 0x41]];

for (const [name, p] of [['host codecs', native], ['JS fallback', fallback]]) {
  test(`TextEncoder matches Node (${name})`, () => {
    const enc = p.run('new TextEncoder()');
    for (const s of kStrings) {
      assert.deepEqual([...enc.encode(s)], [...new TextEncoder().encode(s)]);
    }
    assert.equal(enc.encoding, 'utf-8');
    assert.equal(enc.encode().length, 0);
  });

  test(`TextDecoder matches Node, fatal and not, BOM handling (${name})`, () => {
    const U8 = p.run('Uint8Array');
    for (const bytes of kByteSeqs) {
      for (const ignoreBOM of [false, true]) {
        const ours = p.run(`new TextDecoder('utf-8', { ignoreBOM: ${ignoreBOM} })`);
        const theirs = new TextDecoder('utf-8', { ignoreBOM });
        assert.equal(ours.decode(U8.from(bytes)), theirs.decode(Uint8Array.from(bytes)), `${bytes}`);
        const fatalOurs = p.run(`new TextDecoder('utf-8', { fatal: true, ignoreBOM: ${ignoreBOM} })`);
        let expected;
        try { expected = new TextDecoder('utf-8', { fatal: true, ignoreBOM }).decode(Uint8Array.from(bytes)); } catch (e) { expected = 'TypeError'; }
        let actual;
        try { actual = fatalOurs.decode(U8.from(bytes)); } catch (e) { actual = e.name; }
        assert.equal(actual, expected, `fatal ${bytes}`);
      }
    }
  });

  test(`TextDecoder stream option splits code points anywhere (${name})`, () => {
    const all = [0xef, 0xbb, 0xbf, 0x61, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9, 0xff, 0x62];
    const U8 = p.run('Uint8Array');
    for (let cut1 = 0; cut1 <= all.length; cut1++) {
      for (let cut2 = cut1; cut2 <= all.length; cut2++) {
        const d = p.run('new TextDecoder()');
        const node = new TextDecoder();
        const parts = [all.slice(0, cut1), all.slice(cut1, cut2), all.slice(cut2)];
        let ours = '', theirs = '';
        for (const part of parts) {
          ours += d.decode(U8.from(part), { stream: true });
          theirs += node.decode(Uint8Array.from(part), { stream: true });
        }
        ours += d.decode();
        theirs += node.decode();
        assert.equal(ours, theirs, `${cut1}/${cut2}`);
      }
    }
  });
}

test('TextDecoder labels, errors, views and encodeInto', () => {
  const { run } = native;
  assert.equal(run('new TextDecoder("UTF8").encoding'), 'utf-8');
  assert.throws(() => run('new TextDecoder("foo")'), { name: 'RangeError', message: '"foo" is not a valid encoding.' });
  assert.throws(() => run('new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array([0xff]))'),
    { name: 'TypeError', message: 'Failed to decode input.' });
  assert.throws(() => run('new TextDecoder().decode("str")'), /TypeError/);
  assert.equal(run('new TextDecoder().decode(new DataView(new Uint8Array([0, 104, 105]).buffer, 1))'), 'hi');
  assert.equal(run('new TextDecoder().decode(new Uint16Array([0x6968]).buffer)'), 'hi');
  assert.equal(run('[new TextDecoder("utf-8", {fatal: true}).fatal, new TextDecoder().ignoreBOM].join()'), 'true,false');
  for (const [s, size] of [['héllo€😀', 20], ['héllo€😀', 5], ['€€', 4], ['😀', 3], ['a\ud800b', 10]]) {
    const r = run(`(() => { const u = new Uint8Array(${size}); const r = new TextEncoder().encodeInto(${JSON.stringify(s)}, u); return JSON.stringify([r.read, r.written, Array.from(u)]); })()`);
    const u = new Uint8Array(size);
    const e = new TextEncoder().encodeInto(s, u);
    assert.deepEqual(JSON.parse(r), [e.read, e.written, [...u]], `${s} into ${size}`);
  }
  assert.throws(() => run('new TextEncoder().encodeInto("a", [])'), /TypeError/);
});

test('btoa and atob match Node, with workerd error messages', () => {
  const { run, g } = native;
  const latin1 = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
  for (const s of ['', 'a', 'ab', 'abc', 'abcd', latin1, '\u00ff\u00fe']) {
    assert.equal(g.btoa(s), btoa(s));
    assert.equal(g.atob(g.btoa(s)), s);
  }
  for (const s of ['YQ', 'YQ==', 'YWI=', ' Y W I = ', 'YQ\n==', 'AB\tCD', 'A===', 'YQ=', '====', 'Y', 'YQ===', '@@@@', 'YQ==YQ==', '']) {
    let expected, actual;
    try { expected = atob(s); } catch (e) { expected = e.name; }
    try { actual = g.atob(s); } catch (e) { actual = e.name; }
    assert.equal(actual, expected, JSON.stringify(s));
  }
  assert.equal(g.btoa(null), 'bnVsbA==');
  assert.throws(() => g.btoa('\u0100'), (e) => e.name === 'InvalidCharacterError' && e.code === 5 &&
    e instanceof run('DOMException') && e.message.startsWith('btoa() can only operate'));
  assert.throws(() => g.atob('!'), (e) => e.name === 'InvalidCharacterError' &&
    e.message.startsWith('atob() called with invalid base64-encoded data.'));
  assert.throws(() => run('atob()'), /TypeError/);
});
