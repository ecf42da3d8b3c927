// kv.js: the KV binding (`env.KV`): KvNamespace with Cloudflare's methods, argument
// conversions, result shapes and error messages (pinned against wrangler dev in
// tests/workers/scenarios/kv). The host side is bindings/kv_binding.cc (ops get, getBulk, put,
// delete, list; values travel as buffers, metadata as JSON text).
//   Key names: converted with String(); "", "." and ".." throw TypeErrors here, as workerd does
//   before any request; the host checks the 512-byte limit ("KV GET failed: 414 ...").
//   Values: strings, ArrayBuffers, views and ReadableStreams; other primitives become strings
//   (42 → "42", null → "null"); other objects are a TypeError.
//   Host errors (limits, expirations, storage) reject with a plain Error carrying the host's
//   message, e.g. "KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.".
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const S = lib.streams;

  const kMaxValueBytes = 25 * 1024 * 1024;
  const kUnknownType = 'Unknown response type. Possible types are "text", "arrayBuffer", ' +
    '"json", and "stream".';
  const kBadValue = 'KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ' +
    'ReadableStreams as values.';

  function signatureError(method, index, type) {
    return new TypeError(`Failed to execute '${method}' on 'KvNamespace': parameter ${index} ` +
      `is not of type '${type}'.`);
  }

  function checkKey(key) {
    if (key === '') throw new TypeError('Key name cannot be empty.');
    if (key === '.' || key === '..') throw new TypeError(`"${key}" is not allowed as a key name.`);
    return key;
  }

  // Numbers as workerd converts them to integers: Number(), NaN → 0, truncated.
  function toInteger(value) {
    const n = Math.trunc(Number(value));
    return Number.isFinite(n) ? n : 0;
  }

  function rethrowPlain(e) {
    throw new Error(e && e.message !== undefined ? e.message : String(e));
  }

  // `binary`: whether args hold the value's bytes (put); other ops send plain JSON.
  function call(handle, op, args, binary = false) {
    return binary ? lib.bindings.call(handle, op, args, rethrowPlain)
      : lib.bindings.callPlain(handle, op, args, rethrowPlain);
  }

  // get()'s second argument: a type string or {type, cacheTtl}. An unknown type is only an
  // error once there is a value to convert (workerd answers null for a missing key first).
  function readOptions(options) {
    let type;
    let cacheTtl;
    if (options !== null && typeof options === 'object') {
      type = options.type;
      if (options.cacheTtl !== undefined) cacheTtl = toInteger(options.cacheTtl);
    } else if (options !== undefined && options !== null) {
      type = options;
    }
    type = type === undefined ? 'text' : String(type);
    return { type, cacheTtl };
  }

  function decode(bytes, type) {
    switch (type) {
      case 'text': return lib.utf8Decode(bytes, false, true);
      case 'json': return JSON.parse(lib.utf8Decode(bytes, false, true));
      case 'arrayBuffer':
        if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer;
        return bytes.slice().buffer;
      case 'stream': return lib.body.fromBytes(bytes).stream;
      default: throw new TypeError(kUnknownType);
    }
  }

  function parseMetadata(text) {
    return text === null || text === undefined ? null : JSON.parse(text);
  }

  async function getOne(handle, key, options) {
    const { type, cacheTtl } = readOptions(options);
    const reply = await call(handle, 'get', { key: checkKey(String(key)), cacheTtl });
    return {
      value: reply.value === null ? null : decode(reply.value, type),
      metadata: parseMetadata(reply.metadata),
    };
  }

  async function getBulk(handle, keys, options) {
    const { type, cacheTtl } = readOptions(options);
    if (type !== 'text' && type !== 'json') {
      throw new Error(`KV GET_BULK failed: 400 "${type}" is not a valid type. Use "json" or "text"`);
    }
    const names = keys.map((k) => String(k));
    const reply = await call(handle, 'getBulk', { keys: names, cacheTtl });
    const out = new Map();
    for (let i = 0; i < names.length; i++) {
      const bytes = reply.values[i];
      let value = null;
      if (bytes !== null) {
        const text = lib.utf8Decode(bytes, false, true);
        if (type === 'json') {
          try {
            value = JSON.parse(text);
          } catch {
            throw new Error('KV GET_BULK failed: 400 At least one of the requested keys ' +
              'corresponds to a non-json value');
          }
        } else {
          value = text;
        }
      }
      out.set(names[i], { value, metadata: bytes === null ? null : parseMetadata(reply.metadata[i]) });
    }
    return out;
  }

  async function valueBytes(value) {
    let bytes;
    if (typeof value === 'string') {
      bytes = lib.utf8Encode(value);
    } else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      bytes = lib.viewBytes(value);
    } else if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      if (S.readableOf(value) === undefined) throw new TypeError(kBadValue);
      bytes = await lib.body.extract(value).source.readAll();
    } else {
      bytes = lib.utf8Encode(String(value));
    }
    if (bytes.byteLength > kMaxValueBytes) {
      throw new Error(`KV PUT failed: 413 Value length of ${bytes.byteLength} exceeds limit of ` +
        `${kMaxValueBytes}.`);
    }
    return bytes;
  }

  function putArgs(options) {
    const args = {};
    if (options === undefined || options === null) return args;
    if (typeof options !== 'object') throw signatureError('put', 3, 'PutOptions');
    if (options.expiration !== undefined) args.expiration = toInteger(options.expiration);
    if (options.expirationTtl !== undefined) args.expirationTtl = toInteger(options.expirationTtl);
    if (options.metadata !== undefined && options.metadata !== null) {
      const text = JSON.stringify(options.metadata);
      if (text === undefined) throw new Error('KV PUT failed: 500 Internal Server Error');
      args.metadata = text;
    }
    return args;
  }

  class KvNamespace {
    #handle;
    constructor(handle) { this.#handle = handle; }

    async get(key, options) {
      if (arguments.length === 0) throw signatureError('get', 1, 'string or Array');
      if (Array.isArray(key)) {
        const map = await getBulk(this.#handle, key, options);
        for (const [name, entry] of map) map.set(name, entry.value);
        return map;
      }
      return (await getOne(this.#handle, key, options)).value;
    }

    async getWithMetadata(key, options) {
      if (arguments.length === 0) throw signatureError('getWithMetadata', 1, 'Array or string');
      if (Array.isArray(key)) {
        const map = await getBulk(this.#handle, key, options);
        for (const [name, entry] of map) map.set(name, entry.value === null ? null : entry);
        return map;
      }
      const { value, metadata } = await getOne(this.#handle, key, options);
      return { value, metadata, cacheStatus: null };
    }

    async put(key, value, options) {
      if (arguments.length < 2) throw signatureError('put', 2, 'string or JsObject');
      const name = checkKey(String(key));
      const args = putArgs(options);
      const bytes = await valueBytes(value);
      await call(this.#handle, 'put', { key: name, value: bytes, ...args }, true);
    }

    async delete(key) {
      if (arguments.length === 0) throw signatureError('delete', 1, 'string');
      await call(this.#handle, 'delete', { key: checkKey(String(key)) });
    }

    async list(options) {
      const args = {};
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object') throw signatureError('list', 1, 'ListOptions');
        if (options.prefix !== undefined && options.prefix !== null) args.prefix = String(options.prefix);
        if (options.limit !== undefined) args.limit = toInteger(options.limit);
        if (options.cursor !== undefined && options.cursor !== null && options.cursor !== '') {
          args.cursor = String(options.cursor);
        }
      }
      const reply = await call(this.#handle, 'list', args);
      const keys = reply.keys.map((k) => {
        const key = { name: k.name };
        if (k.expiration !== undefined) key.expiration = k.expiration;
        if (k.metadata !== undefined) key.metadata = JSON.parse(k.metadata);
        return key;
      });
      const result = { keys, list_complete: reply.list_complete };
      if (reply.cursor !== undefined) result.cursor = reply.cursor;
      result.cacheStatus = null;
      return result;
    }
  }
  lib.tagClass(KvNamespace, 'KvNamespace');

  lib.bindings.register('kv', (handle) => new KvNamespace(handle));
})();
