// bindings.js: the plumbing under every `env` binding (D1, KV, R2, services, analytics).
//
// A binding file registers a factory per kind: lib.bindings.register('kv', (handle) => obj).
// The engine builds `env` by calling internal.makeBinding(kind, handle) for each binding of the
// worker's config; `handle` is the engine's index of the binding in that config.
// lib.bindings.call(handle, op, args) sends `args` (any JSON-able value whose ArrayBuffers and
// views travel as binary buffers, {"$buffer": i} in the JSON) to the binding's host service
// and resolves with its decoded reply, where buffers come back as Uint8Arrays (and tables of
// rows, {"$rows": i}, as the Arrays the host built);
// lib.bindings.callPlain is the same for arguments without binary data (no replacer pass).
// A failure rejects with an Error whose `code` is the host's error code name ("InvalidArgument",
// "NotFound", ...): each binding class turns it into the exception Cloudflare throws.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const internal = host.internal;
  const factories = Object.create(null);

  function encode(args) {
    const buffers = [];
    const json = JSON.stringify(args === undefined ? null : args, (key, value) => {
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        buffers.push(value instanceof ArrayBuffer ? new Uint8Array(value)
          : new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        return { $buffer: buffers.length - 1 };
      }
      return value;
    });
    return { json, buffers };
  }

  // Rows of a host table as objects. A function per column list, compiled once, makes them
  // with an object literal — a fixed shape the JIT builds fast, where `obj[name] = value` for
  // each column of each row took ~1 us a row. Names are embedded as JSON string literals;
  // "__proto__" as a computed key, so that it stays an own property as JSON.parse makes it.
  const FunctionCtor = Function;
  const makers = new Map();  // column names joined by NUL → rows => objects
  const kMaxMakers = 256;

  function objectsGeneric(columns, rows) {
    const out = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const obj = {};
      for (let c = 0; c < columns.length; c++) {
        if (columns[c] === '__proto__') {
          Object.defineProperty(obj, '__proto__',
            { value: row[c], writable: true, enumerable: true, configurable: true });
        } else {
          obj[columns[c]] = row[c];
        }
      }
      out[i] = obj;
    }
    return out;
  }

  function compileMaker(columns) {
    const props = columns.map((name, i) => {
      const key = JSON.stringify(name);
      return `${name === '__proto__' ? `[${key}]` : key}: r[${i}]`;
    });
    try {
      return new FunctionCtor('rows', `'use strict';
        const out = [];
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i];
          out[i] = { ${props.join(', ')} };
        }
        return out;`);
    } catch {
      return (rows) => objectsGeneric(columns, rows);  // code generation refused
    }
  }

  function rowObjects(columns, rows) {
    const key = columns.join('\0');
    let make = makers.get(key);
    if (make === undefined) {
      if (makers.size >= kMaxMakers) makers.clear();
      make = compileMaker(columns);
      makers.set(key, make);
    }
    return make(rows);
  }

  // Puts buffers[i] where the parsed reply holds {"$buffer": i}, and table i (row arrays the
  // host built, made objects here when columns[i] names them) where it holds {"$rows": i}.
  function restore(value, buffers, tables, columns) {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (v !== null && typeof v === 'object') value[i] = restore(v, buffers, tables, columns);
      }
      return value;
    }
    if (typeof value.$buffer === 'number') return buffers[value.$buffer];
    if (typeof value.$rows === 'number' && tables !== undefined) {
      const names = columns[value.$rows];
      const rows = tables[value.$rows];
      return names === undefined ? rows : rowObjects(names, rows);
    }
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v !== null && typeof v === 'object') {
        const r = restore(v, buffers, tables, columns);
        if (r !== v) value[key] = r;
      }
    }
    return value;
  }

  function decode(json, buffers, tables = undefined, columns = undefined) {
    const value = JSON.parse(json);
    return buffers.length === 0 && tables === undefined ? value
      : restore(value, buffers, tables, columns);
  }

  // bindingCall's answer: the JSON text, or [json, buffers, tables?, columns?] when the reply
  // carries buffers or tables.
  function decodeReply(reply) {
    return typeof reply === 'string' ? JSON.parse(reply)
      : decode(reply[0], reply[1], reply[2], reply[3]);
  }

  // An inline host service (D1, KV, R2...: bindingCallNow) answers before the call returns:
  // the reply is decoded at once and the promise handed back is already settled, so the
  // worker's `await` costs one microtask, not three. Other services (and a host without
  // bindingCallNow, as in the prelude's tests) answer with a promise.
  const PromiseCtor = Promise;
  const resolved = PromiseCtor.resolve.bind(PromiseCtor);
  const rejected = PromiseCtor.reject.bind(PromiseCtor);
  const callNow = typeof host.bindingCallNow === 'function' ? host.bindingCallNow : null;

  // A failure as a rejected promise; onError (optional) maps it, as .then(undefined, onError).
  function failed(error, onError) {
    if (onError === undefined) return rejected(error);
    try {
      return resolved(onError(error));
    } catch (mapped) {
      return rejected(mapped);
    }
  }

  function send(handle, op, json, buffers, onError, decode) {
    let reply;
    try {
      reply = callNow !== null ? callNow(handle, op, json, buffers)
        : host.bindingCall(handle, op, json, buffers);
    } catch (e) {
      return failed(e, onError);
    }
    if (callNow === null || reply instanceof PromiseCtor) {
      const decoded = resolved(reply).then(decode);
      return onError === undefined ? decoded : decoded.then(undefined, onError);
    }
    try {
      return resolved(decode(reply));
    } catch (e) {
      return failed(e, onError);
    }
  }

  lib.bindings = {
    register(kind, factory) { factories[kind] = factory; },
    // A promise of the decoded reply; a throw (bad arguments) rejects it too. `onError`, if
    // given, maps a failure: the binding classes' Cloudflare-shaped exceptions. `decode`, if
    // given, replaces the generic decoding of the raw reply (a string, or [json, buffers,
    // tables?, columns?]) for a binding that knows its reply's layout.
    call(handle, op, args, onError = undefined, decode = decodeReply) {
      let encoded;
      try {
        encoded = encode(args);
      } catch (e) {
        return failed(e, onError);
      }
      return send(handle, op, encoded.json, encoded.buffers, onError, decode);
    },
    // The same for `args` known to hold no ArrayBuffer or view (plain JSON): no replacer pass.
    callPlain(handle, op, args, onError = undefined, decode = decodeReply) {
      let json;
      try {
        json = JSON.stringify(args);
      } catch (e) {
        return failed(e, onError);
      }
      return send(handle, op, json, undefined, onError, decode);
    },
    encode,
    decode,
    rowObjects,
  };

  internal.makeBinding = function makeBinding(kind, handle) {
    const factory = factories[kind];
    if (factory === undefined) throw new TypeError(`blaze: unknown binding kind '${kind}'`);
    return factory(handle);
  };
})();
