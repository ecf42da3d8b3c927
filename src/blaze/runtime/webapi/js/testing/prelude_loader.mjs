// Loads the prelude into a fresh vm context that has only ECMAScript builtins (no Node
// globals), with a Node-implemented __blazeHost, the way the engine loads it into a realm.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { webcrypto } from 'node:crypto';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const kDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function manifest() {
  return fs.readFileSync(path.join(kDir, 'manifest.txt'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

// The manifest with `files` inserted before `before` (default body.js); files already listed
// stay where the manifest has them, so tests written before a file joins manifest.txt keep
// working after it does.
export function manifestWith(files, before = 'body.js') {
  const list = manifest();
  const missing = files.filter((f) => !list.includes(f));
  const at = list.indexOf(before);
  list.splice(at < 0 ? list.length : at, 0, ...missing);
  return list;
}

// options.files replaces the manifest's list of files (see manifestWith);
// options.nativeUtf8 = false drops the host codecs to exercise the pure-JS fallback;
// options.fetch replaces the host fetch; options.now replaces the clock;
// options.zlib = false drops the host zlib natives (no CompressionStream).
export function loadPrelude(options = {}) {
  const ctx = vm.createContext({});
  const run = (code) => vm.runInContext(code, ctx);
  const U8 = run('Uint8Array');
  const CtxTypeError = run('TypeError');
  const toCtxBytes = (buf) => { const u = new U8(buf.length); u.set(buf); return u; };

  const logs = [];
  const timers = new Map();
  let nextTimer = 1;
  const host = {
    randomFill(u8) { webcrypto.getRandomValues(u8); },
    log(level, message) { logs.push({ level, message }); },
    setTimer(callback, ms, repeat) {
      const id = nextTimer++;
      const t = repeat ? setInterval(callback, ms) : setTimeout(() => { timers.delete(id); callback(); }, ms);
      timers.set(id, { t, repeat });
      return id;
    },
    clearTimer(id) {
      const entry = timers.get(id);
      if (!entry) return;
      (entry.repeat ? clearInterval : clearTimeout)(entry.t);
      timers.delete(id);
    },
    now: options.now || (() => Date.now()),
    fetch: options.fetch || ((init) => nodeFetch(init, toCtxBytes, CtxTypeError)),
  };
  if (options.nativeUtf8 !== false) {
    host.utf8Encode = (s) => toCtxBytes(Buffer.from(s, 'utf8'));
    host.utf8Decode = (u8, fatal, ignoreBOM) => {
      try {
        return new TextDecoder('utf-8', { fatal, ignoreBOM }).decode(u8);
      } catch (e) {
        throw new CtxTypeError(e.message);
      }
    };
  }
  if (options.zlib !== false) host.zlib = nodeZlibHost(toCtxBytes, CtxTypeError);
  ctx.__blazeHost = host;
  for (const file of options.files || manifest()) {
    const code = fs.readFileSync(path.join(kDir, file), 'utf8');
    vm.runInContext(code, ctx, { filename: file });
  }
  return { ctx, run, g: run('globalThis'), host, logs, internal: host.internal, pendingTimers: () => timers.size };
}

// host.fetch over Node's fetch. The prelude passes a URL string and header pairs.
async function nodeFetch(init, toCtxBytes, CtxTypeError) {
  let res;
  try {
    res = await fetch(init.url, {
      method: init.method,
      headers: init.headers,
      body: init.body === null ? undefined : Buffer.from(init.body),
      redirect: init.redirect,
    });
  } catch (e) {
    throw new CtxTypeError(`Network connection lost. (${e.cause ? e.cause.code : e.message})`);
  }
  const body = toCtxBytes(Buffer.from(await res.arrayBuffer()));
  const headers = [];
  res.headers.forEach((v, k) => { if (k !== 'set-cookie') headers.push([k, v]); });
  for (const c of res.headers.getSetCookie()) headers.push(['set-cookie', c]);
  return { status: res.status, statusText: res.statusText, headers, body, url: res.url,
    redirected: res.redirected };
}

// host.zlib over node:zlib, with the engine's (workerd's) error messages:
// create(format, compress) -> handle, push(handle, u8) -> u8, finish(handle) -> u8,
// close(handle). Node has no synchronous incremental zlib API, so push buffers the input and
// returns nothing; finish runs the one-shot sync function (the engine streams).
function nodeZlibHost(toCtxBytes, CtxTypeError) {
  const fns = {
    gzip: [zlib.gzipSync, zlib.gunzipSync],
    deflate: [zlib.deflateSync, zlib.inflateSync],
    'deflate-raw': [zlib.deflateRawSync, zlib.inflateRawSync],
  };
  const open = (handle) => {
    if (handle.pieces === null) throw new CtxTypeError('zlib: the stream is closed');
    return handle.pieces;
  };
  return {
    create(format, compress) {
      const f = fns[String(format)];
      if (!f) throw new CtxTypeError(`zlib: unknown format ${format}`);
      return { fn: compress ? f[0] : f[1], compress: !!compress, pieces: [] };
    },
    push(handle, u8) {
      const view = ArrayBuffer.isView(u8) ? u8 : new Uint8Array(u8);
      open(handle).push(Buffer.from(view.buffer, view.byteOffset, view.byteLength));
      return toCtxBytes(Buffer.alloc(0));
    },
    finish(handle) {
      const input = Buffer.concat(open(handle));
      handle.pieces = null;
      try {
        return toCtxBytes(handle.fn(input));
      } catch (e) {
        if (handle.compress) throw new CtxTypeError('Compression failed.');
        if (e.code === 'Z_BUF_ERROR') {
          throw new CtxTypeError('Called close() on a decompression stream with incomplete data');
        }
        throw new CtxTypeError('Decompression failed.');
      }
    },
    close(handle) { handle.pieces = null; },
  };
}

// Replaces env.host.bindingCall with a fake binding host for the binding classes' tests: it
// records each call as {handle, op, args, buffers (as strings)} and answers with
// reply(op, args) — a plain value (the reply's JSON), {json, bytes: [strings]} for a reply with
// buffers, or an Error to reject with. Returns the list of calls.
export function fakeBindingHost(env, reply, { bufferEncoding = 'latin1' } = {}) {
  const calls = [];
  env.host.bindingCall = (handle, op, json, buffers) => {
    calls.push({ handle, op, args: JSON.parse(json),
      buffers: Array.from(buffers ?? [], (b) => Buffer.from(b).toString(bufferEncoding)) });
    return Promise.resolve().then(() => {
      const r = reply(op, JSON.parse(json));
      if (r instanceof Error) throw r;
      const bytes = (r && r.bytes) || [];
      const ctxBytes = bytes.map((s) => env.run(`new TextEncoder().encode(${JSON.stringify(s)})`));
      return [JSON.stringify(r && r.bytes ? r.json : r === undefined ? null : r), ctxBytes];
    });
  };
  return calls;
}
