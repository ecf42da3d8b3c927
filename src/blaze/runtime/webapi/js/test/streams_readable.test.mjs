// ReadableStream (default controller): start/pull/cancel, backpressure, readers, tee and async
// iteration. Error messages were observed in wrangler 4 (workerd).
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

// Until these files are listed in manifest.txt (manifestWith is a no-op once they are).
const files = manifestWith(['streams_base.js', 'streams_readable.js', 'streams_bytes.js',
  'streams_writable.js', 'streams_pipe.js', 'streams_transform.js', 'text_streams.js']);

const { run, g } = loadPrelude({ files });
const json = async (src) => JSON.parse(await run(`(async () => JSON.stringify(await (async () => { ${src} })()))()`));

test('start enqueues, reader reads in order, then done', async () => {
  assert.deepEqual(await json(`const s = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
    const r = s.getReader(); const out = [s.locked];
    for (let i = 0; i < 3; i++) out.push(await r.read());
    r.releaseLock(); out.push(s.locked); return out;`),
  [true, { value: 'a', done: false }, { value: 'b', done: false }, { done: true }, false]);
});

test('pull is called on demand and desiredSize reflects backpressure', async () => {
  assert.deepEqual(await json(`const log = []; let ctl;
    const s = new ReadableStream({ start(c) { ctl = c; log.push('start:' + c.desiredSize); },
      pull(c) { log.push('pull:' + c.desiredSize); c.enqueue(log.length); } }, { highWaterMark: 2 });
    await Promise.resolve(); await new Promise((r) => setTimeout(r, 0));
    log.push('after-start:' + ctl.desiredSize);
    const r = s.getReader(); log.push((await r.read()).value);
    await new Promise((r) => setTimeout(r, 0));
    log.push('end:' + ctl.desiredSize); return log;`),
  ['start:2', 'pull:2', 'pull:1', 'after-start:0', 'pull:1', 2, 'end:0']);
});

test('CountQueuingStrategy and a size function weigh chunks', async () => {
  assert.deepEqual(await json(`const sizes = []; let c1, c2;
    new ReadableStream({ start(c) { c1 = c; c.enqueue('x'); c.enqueue('y'); } }, new CountQueuingStrategy({ highWaterMark: 5 }));
    new ReadableStream({ start(c) { c2 = c; c.enqueue('abcd'); } }, { highWaterMark: 10, size: (ch) => ch.length });
    const bl = new ByteLengthQueuingStrategy({ highWaterMark: 3 });
    return [c1.desiredSize, c2.desiredSize, bl.highWaterMark, bl.size(new Uint8Array(7)), new CountQueuingStrategy({ highWaterMark: 1 }).size()];`),
  [3, 6, 3, 7, 1]);
  assert.throws(() => run(`new ReadableStream({}, { highWaterMark: -1 })`), (e) => e instanceof g.RangeError);
  assert.throws(() => run(`new CountQueuingStrategy({})`), (e) => e instanceof g.TypeError);
});

test('cancel reaches the source, resolves reads as done and sets disturbed', async () => {
  assert.deepEqual(await json(`let reason; const s = new ReadableStream({ cancel(r) { reason = r; } });
    const rd = s.getReader(); const pending = rd.read();
    await rd.cancel('why'); return [reason, await pending];`),
  ['why', { done: true }]);
  await assert.rejects(run(`(() => { const s = new ReadableStream(); s.getReader(); return s.cancel(); })()`),
    { name: 'TypeError', message: 'This ReadableStream is currently locked to a reader.' });
});

test('errors: controller.error, pull rejection and throwing start', async () => {
  await assert.rejects(run(`new ReadableStream({ start(c) { c.error(new RangeError('boom')); } }).getReader().read()`), { message: 'boom' });
  await assert.rejects(run(`new ReadableStream({ pull() { throw new Error('pulled'); } }).getReader().read()`), { message: 'pulled' });
  await assert.rejects(run(`new ReadableStream({ start() { return Promise.reject(new Error('late')); } }).getReader().closed`), { message: 'late' });
  assert.throws(() => run(`new ReadableStream({ start() { throw new Error('sync'); } })`), { message: 'sync' });
  assert.throws(() => run(`new ReadableStream({ start(c) { c.close(); } , pull() {} }); let cc; new ReadableStream({ start(c) { cc = c; c.close(); } }); cc.enqueue(1)`),
    { name: 'TypeError', message: 'Unable to enqueue' });
  assert.throws(() => run(`new ReadableStream({ type: 'nope' })`), (e) => e instanceof g.TypeError);
});

test('locking and releasing readers (workerd messages)', async () => {
  assert.throws(() => run(`(() => { const s = new ReadableStream(); s.getReader(); s.getReader(); })()`),
    { name: 'TypeError', message: 'This ReadableStream is currently locked to a reader.' });
  await assert.rejects(run(`(() => { const r = new ReadableStream().getReader(); const p = r.read(); r.releaseLock(); return p; })()`),
    { name: 'TypeError', message: 'This ReadableStream reader has been released.' });
  await assert.rejects(run(`(() => { const r = new ReadableStream().getReader(); r.releaseLock(); return r.read(); })()`),
    { message: 'This ReadableStream reader has been released.' });
  assert.equal(run(`new ReadableStreamDefaultReader(new ReadableStream()) instanceof ReadableStreamDefaultReader`), true);
  assert.throws(() => run(`new ReadableStreamDefaultController()`), (e) => e instanceof g.TypeError);
  assert.equal(run(`Object.prototype.toString.call(new ReadableStream())`), '[object ReadableStream]');
});

test('tee: both branches see every chunk, cancel needs both branches', async () => {
  assert.deepEqual(await json(`const s = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
    const [a, b] = s.tee(); const out = [s.locked];
    const ra = a.getReader(), rb = b.getReader();
    out.push((await ra.read()).value, (await ra.read()).value, (await ra.read()).done);
    out.push((await rb.read()).value, (await rb.read()).value, (await rb.read()).done);
    return out;`), [true, 1, 2, true, 1, 2, true]);
  assert.deepEqual(await json(`let reason; const s = new ReadableStream({ cancel(r) { reason = r; } });
    const [a, b] = s.tee(); let settled = false; const p = a.cancel('x').then(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 0)); const before = settled;
    await b.cancel('y'); await p; return [before, reason];`), [false, ['x', 'y']]);
  await assert.rejects(run(`(() => { let c; const [a, b] = new ReadableStream({ start(x) { c = x; } }).tee();
    c.error(new Error('both')); return b.getReader().read(); })()`), { message: 'both' });
});

test('async iteration: for await, break cancels, preventCancel keeps the stream', async () => {
  assert.deepEqual(await json(`const s = new ReadableStream({ start(c) { for (const x of 'abc') c.enqueue(x); c.close(); } });
    const got = []; for await (const v of s) got.push(v); return [got, s.locked];`), [['a', 'b', 'c'], false]);
  assert.deepEqual(await json(`let canceled = false; let n = 0;
    const make = () => new ReadableStream({ pull(c) { c.enqueue(n++); }, cancel() { canceled = true; } });
    const s1 = make(); for await (const v of s1) { if (v === 1) break; }
    const first = canceled; canceled = false;
    const s2 = make(); for await (const v of s2.values({ preventCancel: true })) { break; }
    return [first, canceled, s2.locked, (await s2.getReader().read()).done];`), [true, false, false, false]);
  await assert.rejects(run(`(async () => { const s = new ReadableStream({ start(c) { c.enqueue(1); c.error(new Error('mid')); } });
    for await (const v of s) {} })()`), { message: 'mid' });
  assert.equal(run(`typeof ReadableStream.prototype[Symbol.asyncIterator]`), 'function');
});
