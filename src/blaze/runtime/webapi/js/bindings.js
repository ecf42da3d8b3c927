// bindings.js: the plumbing under every `env` binding (D1, KV, R2, services, analytics).
//
// A binding file registers a factory per kind: lib.bindings.register('kv', (handle) => obj).
// The engine builds `env` by calling internal.makeBinding(kind, handle) for each binding of the
// worker's config; `handle` is the engine's index of the binding in that config.
// lib.bindings.call(handle, op, args) sends `args` (any JSON-able value whose ArrayBuffers and
// views travel as binary buffers, {"$buffer": i} in the JSON) to the binding's host service
// and resolves with its decoded reply, where buffers come back as Uint8Arrays. A failure
// rejects with an Error whose `code` is the host's error code name ("InvalidArgument",
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

  function decode(json, buffers) {
    if (buffers.length === 0) return JSON.parse(json);
    return JSON.parse(json, (key, value) => {
      if (value !== null && typeof value === 'object' && typeof value.$buffer === 'number') {
        return buffers[value.$buffer];
      }
      return value;
    });
  }

  lib.bindings = {
    register(kind, factory) { factories[kind] = factory; },
    async call(handle, op, args) {
      const { json, buffers } = encode(args);
      const [reply, replyBuffers] = await host.bindingCall(handle, op, json, buffers);
      return decode(reply, replyBuffers);
    },
    encode,
    decode,
  };

  internal.makeBinding = function makeBinding(kind, handle) {
    const factory = factories[kind];
    if (factory === undefined) throw new TypeError(`blaze: unknown binding kind '${kind}'`);
    return factory(handle);
  };
})();
