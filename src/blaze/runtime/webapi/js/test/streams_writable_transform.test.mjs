// WritableStream (backpressure, close, abort), TransformStream (identity, uppercase, flush,
// terminate) and pipeTo/pipeThrough with their error propagation rules.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadPrelude, manifestWith } from '../testing/prelude_loader.mjs';

// Until these files are listed in manifest.txt (manifestWith is a no-op once they are).
const files = manifestWith(['streams_base.js', 'streams_readable.js', 'streams_bytes.js',
  'streams_writable.js', 'streams_pipe.js', 'streams_transform.js', 'text_streams.js']);

const { run, g } = loadPrelude({ files });
const json = async (src) => JSON.parse(await run(`(async () => JSON.stringify(await (async () => { ${src} })()))()`));
const tick = 'await new Promise((r) => setTimeout(r, 0));';

test('WritableStream: writes in order, one at a time, then close', async () => {
  assert.deepEqual(await json(`const log = []; let release;
    const w = new WritableStream({ write(ch) { log.push('w' + ch); return new Promise((r) => { release = r; }); },
      close() { log.push('close'); } });
    const wr = w.getWriter(); const p1 = wr.write(1); const p2 = wr.write(2); const pc = wr.close();
    ${tick} log.push('pending'); release(); ${tick} release(); await Promise.all([p1, p2, pc]); await wr.closed;
    return [log, w.locked];`), [['w1', 'pending', 'w2', 'close'], true]);
});

test('WritableStream: backpressure through desiredSize and ready', async () => {
  assert.deepEqual(await json(`let release; const w = new WritableStream({ write() { return new Promise((r) => { release = r; }); } },
      new CountQueuingStrategy({ highWaterMark: 2 }));
    const wr = w.getWriter(); const out = [wr.desiredSize];
    wr.write('a'); wr.write('b'); out.push(wr.desiredSize);
    let ready = false; wr.ready.then(() => { ready = true; }); ${tick} out.push(ready);
    release(); ${tick} out.push(wr.desiredSize, ready); return out;`), [2, 0, false, 1, true]);
});

test('WritableStream: abort rejects queued writes and reaches the sink; errors are TypeErrors', async () => {
  assert.deepEqual(await json(`let reason, release; const w = new WritableStream({ write() { return new Promise((r) => { release = r; }); }, abort(r) { reason = r; } });
    const wr = w.getWriter(); wr.write(1); const p2 = wr.write(2).catch((e) => 'rejected:' + e);
    ${tick} const pa = wr.abort('stop'); release(); await pa; return [reason, await p2, await wr.closed.catch((e) => 'closed:' + e)];`),
  ['stop', 'rejected:stop', 'closed:stop']);
  await assert.rejects(run(`(async () => { const wr = new WritableStream().getWriter(); await wr.close(); return wr.write(1); })()`),
    { name: 'TypeError', message: 'This WritableStream has been closed.' });
  assert.throws(() => run(`(() => { const w = new WritableStream(); w.getWriter(); w.getWriter(); })()`),
    { message: 'This WritableStream is currently locked to a writer.' });
  await assert.rejects(run(`new WritableStream({ write() { throw new Error('sink'); } }).getWriter().write(1)`), { message: 'sink' });
  await assert.rejects(run(`new WritableStream({ start(c) { c.error(new Error('ctl')); } }).getWriter().closed`), { message: 'ctl' });
});

test('TransformStream: identity, uppercase with flush, and terminate', async () => {
  assert.deepEqual(await json(`const t = new TransformStream(); const wr = t.writable.getWriter();
    wr.write('x'); wr.write('y'); wr.close(); const got = []; for await (const v of t.readable) got.push(v); return got;`), ['x', 'y']);
  assert.deepEqual(await json(`const t = new TransformStream({ transform(ch, c) { c.enqueue(ch.toUpperCase()); }, flush(c) { c.enqueue('!'); } });
    const wr = t.writable.getWriter(); wr.write('ab'); wr.write('cd'); wr.close();
    const got = []; for await (const v of t.readable) got.push(v); return got;`), ['AB', 'CD', '!']);
  await assert.rejects(run(`new TransformStream({ start(c) { c.terminate(); } }).writable.getWriter().write(1)`),
    { name: 'TypeError', message: 'The transform stream has been terminated' });
  await assert.rejects(run(`(() => { const t = new TransformStream({ transform() { throw new Error('tx'); } });
    t.writable.getWriter().write(1).catch(() => {}); return t.readable.getReader().read(); })()`), { message: 'tx' });
  assert.throws(() => run(`new TransformStream({ readableType: 'bytes' })`), (e) => e instanceof g.RangeError);
});

test('TransformStream: writes wait for the readable side (backpressure)', async () => {
  assert.deepEqual(await json(`const t = new TransformStream(); const wr = t.writable.getWriter();
    let done = false; wr.write(1).then(() => { done = true; }); ${tick} const before = done;
    const rd = t.readable.getReader(); const v = await rd.read(); ${tick} return [before, v.value, done];`), [false, 1, true]);
});

test('pipeTo: copies everything and closes the destination', async () => {
  assert.deepEqual(await json(`const got = []; let closed = false;
    const src = new ReadableStream({ start(c) { for (let i = 0; i < 5; i++) c.enqueue(i); c.close(); } });
    await src.pipeTo(new WritableStream({ write(ch) { got.push(ch); }, close() { closed = true; } }));
    return [got, closed, src.locked];`), [[0, 1, 2, 3, 4], true, false]);
  assert.deepEqual(await json(`let closed = false; const src = new ReadableStream({ start(c) { c.close(); } });
    const w = new WritableStream({ close() { closed = true; } }); await src.pipeTo(w, { preventClose: true });
    return [closed, w.locked];`), [false, false]);
});

test('pipeTo: a source error aborts the destination unless preventAbort', async () => {
  assert.deepEqual(await json(`let aborted; const src = new ReadableStream({ start(c) { c.error('bad'); } });
    const r = await src.pipeTo(new WritableStream({ abort(e) { aborted = e; } })).catch((e) => 'rejected:' + e);
    let aborted2 = 'no'; const r2 = await new ReadableStream({ start(c) { c.error('bad2'); } })
      .pipeTo(new WritableStream({ abort() { aborted2 = 'yes'; } }), { preventAbort: true }).catch((e) => 'rejected:' + e);
    return [r, aborted, r2, aborted2];`), ['rejected:bad', 'bad', 'rejected:bad2', 'no']);
});

test('pipeTo: a destination error cancels the source unless preventCancel', async () => {
  assert.deepEqual(await json(`let canceled = 'no'; const src = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(e) { canceled = String(e); } });
    const r = await src.pipeTo(new WritableStream({ write() { throw 'sinkfail'; } })).catch((e) => 'rejected:' + e);
    let canceled2 = 'no'; const src2 = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel() { canceled2 = 'yes'; } });
    const r2 = await src2.pipeTo(new WritableStream({ write() { throw 'f2'; } }), { preventCancel: true }).catch((e) => 'rejected:' + e);
    return [r, canceled, r2, canceled2, src2.locked];`), ['rejected:sinkfail', 'sinkfail', 'rejected:f2', 'no', false]);
});

test('pipeTo/pipeThrough argument and lock errors', async () => {
  await assert.rejects(run(`new ReadableStream().pipeTo({})`), (e) => e instanceof g.TypeError);
  await assert.rejects(run(`(() => { const s = new ReadableStream(); s.getReader(); return s.pipeTo(new WritableStream()); })()`),
    { message: 'This ReadableStream is currently locked to a reader.' });
  assert.throws(() => run(`new ReadableStream().pipeThrough({ readable: 1, writable: 2 })`), (e) => e instanceof g.TypeError);
});

test('pipeThrough chains transforms', async () => {
  assert.equal(await run(`(async () => { const src = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
    const up = new TransformStream({ transform(ch, c) { c.enqueue(ch.toUpperCase()); } });
    const twice = new TransformStream({ transform(ch, c) { c.enqueue(ch); c.enqueue(ch); } });
    let s = ''; for await (const v of src.pipeThrough(up).pipeThrough(twice)) s += v; return s; })()`), 'AABB');
});
