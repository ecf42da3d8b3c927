// r2.js: the R2 binding (`env.BUCKET`): R2Bucket with Cloudflare's methods, argument
// conversions, result classes and error messages, pinned against wrangler dev 4.86.0 in
// tests/workers/scenarios/r2. The host side is bindings/r2_binding.cc (ops head, get, put,
// delete, list; object bytes travel as buffers, everything else as JSON).
//   Classes: objects are `HeadResult` (Cloudflare's R2Object: put, head, list, and a get whose
//   onlyIf failed) and `GetResult` (R2ObjectBody), with workerd's class names; their fields are
//   own properties in workerd's order, so JSON.stringify(object) matches. `checksums` is a
//   `Checksums` of ArrayBuffers whose toJSON gives hex strings.
//   Arguments: keys go through String() (undefined is a TypeError); shapes the JS API refuses
//   throw TypeError/RangeError here with workerd's texts; limits the storage enforces (key
//   length, metadata size, list limit, ranges, checksums) come back from the host as
//   "<op>: <message> (<code>)" plain Errors.
//   Deviation: any ReadableStream is accepted as a value (workerd wants a known length).
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const S = lib.streams;
  const Headers = globalThis.Headers;
  const kConstruct = Symbol('R2');

  // ---- argument conversion ----------------------------------------------------------------
  function isObject(v) {
    return v !== null && (typeof v === 'object' || typeof v === 'function');
  }

  function paramError(method, index, type, cls = 'R2Bucket') {
    return new TypeError(`Failed to execute '${method}' on '${cls}': parameter ${index} is not ` +
      `of type '${type}'.`);
  }

  function fieldError(field, dict, type) {
    return new TypeError(`Incorrect type for the '${field}' field on '${dict}': the provided ` +
      `value is not of type '${type}'.`);
  }

  function toKey(method, key) {
    if (key === undefined) throw paramError(method, 1, 'string');
    return String(key);
  }

  // Options dictionaries: undefined and null mean "none"; other non-objects are refused.
  function dictionary(method, index, name, value) {
    if (value === undefined || value === null) return {};
    if (!isObject(value)) throw paramError(method, index, name);
    return value;
  }

  function toMillis(value, field, dict) {
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'number') return value;
    throw fieldError(field, dict, 'date');
  }

  // The object's bytes: a Uint8Array now, or a promise of one for streams.
  function valueBytes(value) {
    if (value === undefined || value === null) return new Uint8Array(0);
    if (typeof value === 'string') return lib.utf8Encode(value);
    if (lib.isBufferSource(value)) return lib.viewBytes(value);
    if (typeof lib.isBlob === 'function' && lib.isBlob(value)) return lib.blobBytes(value);
    if (S.readableOf(value) !== undefined) {
      return new globalThis.Response(value).arrayBuffer().then((b) => new Uint8Array(b));
    }
    throw paramError('put', 2,
      'ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob');
  }

  function httpMetadataArg(value) {
    if (value === undefined || value === null) return undefined;
    if (value instanceof Headers) {
      const out = {};
      const pick = (name, field) => {
        const v = value.get(name);
        if (v !== null) out[field] = v;
      };
      pick('content-type', 'contentType');
      pick('content-language', 'contentLanguage');
      pick('content-disposition', 'contentDisposition');
      pick('content-encoding', 'contentEncoding');
      pick('cache-control', 'cacheControl');
      const expires = value.get('expires');
      if (expires !== null && !Number.isNaN(Date.parse(expires))) {
        out.cacheExpiry = Date.parse(expires);
      }
      return out;
    }
    if (!isObject(value)) throw fieldError('httpMetadata', 'PutOptions', 'HttpMetadata or Headers');
    const out = {};
    for (const field of ['contentType', 'contentLanguage', 'contentDisposition',
      'contentEncoding', 'cacheControl']) {
      if (value[field] !== undefined) out[field] = String(value[field]);
    }
    if (value.cacheExpiry !== undefined) {
      out.cacheExpiry = toMillis(value.cacheExpiry, 'cacheExpiry', 'HttpMetadata');
    }
    return out;
  }

  function customMetadataArg(value) {
    if (value === undefined) return undefined;
    if (!isObject(value) || Array.isArray(value)) {
      throw fieldError('customMetadata', 'PutOptions', 'object');
    }
    return Object.keys(value).map((k) => [k, String(value[k])]);
  }

  const kHashes = [
    { field: 'md5', name: 'MD5', bytes: 16 },
    { field: 'sha1', name: 'SHA-1', bytes: 20 },
    { field: 'sha256', name: 'SHA-256', bytes: 32 },
    { field: 'sha384', name: 'SHA-384', bytes: 48 },
    { field: 'sha512', name: 'SHA-512', bytes: 64 },
  ];

  function toHex(bytes) {
    let s = '';
    for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
    return s;
  }

  function hexToBuffer(hex) {
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out.buffer;
  }

  // Adds the one checksum the writer gave to `args` as lowercase hex.
  function checksumArgs(options, args) {
    let given = 0;
    for (const { field, name, bytes } of kHashes) {
      const value = options[field];
      if (value === undefined) continue;
      let hex;
      if (typeof value === 'string') {
        if (value.length !== bytes * 2) {
          throw new TypeError(`${name} is ${bytes * 2} hex characters, not ${value.length}`);
        }
        if (!/^[0-9a-fA-F]*$/.test(value)) {
          throw new TypeError(`Provided ${name} wasn't a valid hex string`);
        }
        hex = value.toLowerCase();
      } else if (lib.isBufferSource(value)) {
        const view = lib.viewBytes(value);
        if (view.byteLength !== bytes) {
          throw new TypeError(`${name} is ${bytes} bytes, not ${view.byteLength}`);
        }
        hex = toHex(view);
      } else {
        throw fieldError(field, 'PutOptions', 'JsBufferSource or string');
      }
      args[field] = hex;
      given++;
    }
    if (given > 1) throw new TypeError('You cannot specify multiple hashing algorithms.');
  }

  function etagArg(value, field) {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw fieldError(field, 'Conditional', 'string');
    if (value === '*') return [{ type: 'wildcard' }];
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      throw new TypeError(`Conditional ETag should not be wrapped in quotes (${value}).`);
    }
    return [{ type: 'strong', value }];
  }

  // An If-Match / If-None-Match header: "*" or a list of "tag" / W/"tag".
  function etagHeader(headers, name) {
    const raw = headers.get(name);
    if (raw === null) return undefined;
    return raw.split(',').map((item) => {
      const t = item.trim();
      if (t === '*') return { type: 'wildcard' };
      let m = /^W\/"([^"]*)"$/.exec(t);
      if (m) return { type: 'weak', value: m[1] };
      m = /^"([^"]*)"$/.exec(t);
      if (m) return { type: 'strong', value: m[1] };
      throw new Error(`Invalid ETag in ${name} header`);
    });
  }

  function dateHeader(headers, name) {
    const raw = headers.get(name);
    if (raw === null) return undefined;
    const ms = Date.parse(raw);
    return Number.isNaN(ms) ? undefined : ms;
  }

  function onlyIfArg(value, dict) {
    if (value === undefined || value === null) return undefined;
    if (value instanceof Headers) {
      return {
        etagMatches: etagHeader(value, 'if-match'),
        etagDoesNotMatch: etagHeader(value, 'if-none-match'),
        uploadedBefore: dateHeader(value, 'if-unmodified-since'),
        uploadedAfter: dateHeader(value, 'if-modified-since'),
        secondsGranularity: true,
      };
    }
    if (!isObject(value)) throw fieldError('onlyIf', dict, 'Conditional or Headers');
    const out = {
      etagMatches: etagArg(value.etagMatches, 'etagMatches'),
      etagDoesNotMatch: etagArg(value.etagDoesNotMatch, 'etagDoesNotMatch'),
      secondsGranularity: Boolean(value.secondsGranularity),
    };
    if (value.uploadedBefore !== undefined) {
      out.uploadedBefore = toMillis(value.uploadedBefore, 'uploadedBefore', 'Conditional');
    }
    if (value.uploadedAfter !== undefined) {
      out.uploadedAfter = toMillis(value.uploadedAfter, 'uploadedAfter', 'Conditional');
    }
    return out;
  }

  // workerd prints doubles like C++ does: NaN as "nan".
  function numberText(n) {
    return Number.isNaN(n) ? 'nan' : String(n);
  }

  function rangeNumber(value, what, prefix) {
    if (value === undefined || value === null) return undefined;
    const n = Number(value);
    if (!(n >= 0)) {
      throw new RangeError(`${prefix}. ${what} (${numberText(n)}) must be greater than or ` +
        'equal to 0.');
    }
    if (!Number.isInteger(n)) {
      throw new RangeError(`Invalid range. ${what} (${numberText(n)}) must be an integer, not ` +
        'floating point.');
    }
    return n;
  }

  // {range} in get options: an R2Range object, or Headers whose Range header the host parses.
  function rangeArg(value, args) {
    if (value === undefined || value === null) return;
    if (value instanceof Headers) {
      const header = value.get('range');
      if (header !== null) args.rangeHeader = header;
      return;
    }
    if (!isObject(value)) throw fieldError('range', 'GetOptions', 'Range or Headers');
    const range = {
      offset: rangeNumber(value.offset, 'Starting offset', 'Invalid range'),
      length: rangeNumber(value.length, 'Length', 'Invalid range'),
      suffix: rangeNumber(value.suffix, 'Suffix', 'Invalid suffix'),
    };
    if (range.suffix !== undefined && range.offset !== undefined) {
      throw new TypeError('Suffix is incompatible with offset.');
    }
    if (range.suffix !== undefined && range.length !== undefined) {
      throw new TypeError('Suffix is incompatible with length.');
    }
    args.range = range;
  }

  function listArgs(options) {
    const o = dictionary('list', 1, 'ListOptions', options);
    const args = {};
    for (const field of ['prefix', 'cursor', 'delimiter', 'startAfter']) {
      if (o[field] === undefined) continue;
      if (typeof o[field] !== 'string') throw fieldError(field, 'ListOptions', 'string');
      args[field] = o[field];
    }
    if (o.limit !== undefined) {
      const n = Math.trunc(Number(o.limit));
      if (n > 2147483647 || n < -2147483648) {
        throw new TypeError('Value out of range. Must be between -2147483648 and 2147483647 ' +
          '(inclusive).');
      }
      // NaN and 0 reach the host (which refuses them); a negative limit is ignored, as workerd.
      if (!(n < 0)) args.limit = Number.isNaN(n) ? 0 : n;
    }
    if (o.include !== undefined) {
      if (!Array.isArray(o.include)) throw fieldError('include', 'ListOptions', 'Array');
      args.include = o.include.map((v) => {
        const s = String(v);
        if (s !== 'httpMetadata' && s !== 'customMetadata') {
          throw new RangeError(`Unsupported include value ${s}`);
        }
        return s;
      });
    }
    return args;
  }

  // ---- results ------------------------------------------------------------------------------
  class Checksums {
    constructor(token, hex) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
      for (const field of ['sha512', 'sha384', 'sha256', 'sha1', 'md5']) {
        this[field] = typeof hex[field] === 'string' ? hexToBuffer(hex[field]) : undefined;
      }
    }

    toJSON() {
      const out = {};
      for (const { field } of kHashes) {
        if (this[field] !== undefined) out[field] = toHex(new Uint8Array(this[field]));
      }
      return out;
    }
  }

  function httpMetadataOf(json) {
    const out = {};
    for (const [k, v] of Object.entries(json || {})) {
      out[k] = k === 'cacheExpiry' ? new Date(v) : v;
    }
    return out;
  }

  function customMetadataOf(pairs) {
    const out = {};
    for (const [k, v] of pairs || []) out[k] = v;
    return out;
  }

  class HeadResult {
    constructor(token, json, range) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
      // Own properties in workerd's order (Object.keys and JSON.stringify show it).
      this.ssecKeyMd5 = undefined;
      this.storageClass = json.storageClass;
      this.range = range === undefined || range === null ? undefined
        : { offset: range.offset, length: range.length };
      this.customMetadata = customMetadataOf(json.customMetadata);
      this.httpMetadata = httpMetadataOf(json.httpMetadata);
      this.uploaded = new Date(json.uploaded);
      this.checksums = new Checksums(kConstruct, json.checksums || {});
      this.httpEtag = `"${json.etag}"`;
      this.etag = json.etag;
      this.size = json.size;
      this.version = json.version;
      this.key = json.key;
    }

    writeHttpMetadata(headers) {
      if (!(headers instanceof Headers)) {
        throw paramError('writeHttpMetadata', 1, 'Headers', 'HeadResult');
      }
      const m = this.httpMetadata;
      const set = (name, value) => { if (value !== undefined) headers.set(name, value); };
      set('content-type', m.contentType);
      set('content-language', m.contentLanguage);
      set('content-disposition', m.contentDisposition);
      set('content-encoding', m.contentEncoding);
      set('cache-control', m.cacheControl);
      if (m.cacheExpiry instanceof Date) headers.set('expires', m.cacheExpiry.toUTCString());
    }
  }
  lib.tagClass(HeadResult, 'HeadResult');

  class GetResult extends HeadResult {
    #source;

    constructor(token, json, range, bytes) {
      super(token, json, range);
      this.#source = lib.body.fromBytes(bytes);
    }

    static #sourceOf(r) {
      if (!isObject(r) || !(#source in r)) throw new TypeError('Illegal invocation');
      return r.#source;
    }

    get body() { return GetResult.#sourceOf(this).stream; }
    get bodyUsed() { return GetResult.#sourceOf(this).used; }

    async arrayBuffer() {
      const bytes = await lib.body.consume(GetResult.#sourceOf(this));
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
        return bytes.buffer;
      }
      return bytes.slice().buffer;
    }

    async bytes() {
      return (await lib.body.consume(GetResult.#sourceOf(this))).slice();
    }

    async text() {
      return lib.utf8Decode(await lib.body.consume(GetResult.#sourceOf(this)), false, false);
    }

    async json() {
      return JSON.parse(await this.text());
    }

    async blob() {
      const bytes = await lib.body.consume(GetResult.#sourceOf(this));
      const type = this.httpMetadata.contentType;
      return lib.newBlob(bytes.slice(), type === undefined ? '' : type);
    }
  }
  lib.tagClass(GetResult, 'GetResult');

  // ---- the bucket ---------------------------------------------------------------------------
  async function call(handle, op, args) {
    try {
      return await lib.bindings.call(handle, op, args);
    } catch (e) {
      throw new Error(`${op}: ${e && e.message !== undefined ? e.message : String(e)}`);
    }
  }

  class R2Bucket {
    #handle;

    constructor(token, handle) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
      this.#handle = handle;
    }

    async head(key) {
      const reply = await call(this.#handle, 'head', { key: toKey('head', key) });
      return reply === null ? null : new HeadResult(kConstruct, reply.object, reply.range);
    }

    async get(key, options = undefined) {
      const args = { key: toKey('get', key) };
      const o = dictionary('get', 2, 'GetOptions', options);
      const onlyIf = onlyIfArg(o.onlyIf, 'GetOptions');
      if (onlyIf !== undefined) args.onlyIf = onlyIf;
      rangeArg(o.range, args);
      const reply = await call(this.#handle, 'get', args);
      if (reply === null) return null;
      if (reply.body === undefined) return new HeadResult(kConstruct, reply.object, reply.range);
      return new GetResult(kConstruct, reply.object, reply.range, reply.body);
    }

    async put(key, value, options = undefined) {
      const args = { key: toKey('put', key) };
      const bytes = valueBytes(value);
      const o = dictionary('put', 3, 'PutOptions', options);
      const http = httpMetadataArg(o.httpMetadata);
      if (http !== undefined) args.httpMetadata = http;
      const custom = customMetadataArg(o.customMetadata);
      if (custom !== undefined) args.customMetadata = custom;
      const onlyIf = onlyIfArg(o.onlyIf, 'PutOptions');
      if (onlyIf !== undefined) args.onlyIf = onlyIf;
      checksumArgs(o, args);
      if (o.storageClass !== undefined) args.storageClass = String(o.storageClass);
      args.body = bytes instanceof Uint8Array ? bytes : await bytes;
      const reply = await call(this.#handle, 'put', args);
      return reply === null ? null : new HeadResult(kConstruct, reply.object, undefined);
    }

    async delete(keys) {
      if (keys === undefined) throw paramError('delete', 1, 'string or Array');
      const list = Array.isArray(keys) ? keys.map(String) : [String(keys)];
      await call(this.#handle, 'delete', { keys: list });
    }

    async list(options = undefined) {
      const reply = await call(this.#handle, 'list', listArgs(options));
      const out = {
        objects: reply.objects.map((o) => new HeadResult(kConstruct, o, undefined)),
        truncated: reply.truncated,
      };
      if (reply.truncated) out.cursor = reply.cursor;
      out.delimitedPrefixes = reply.delimitedPrefixes;
      return out;
    }

    async createMultipartUpload() {
      throw new Error('createMultipartUpload: multipart uploads are not available in Blaze yet');
    }

    resumeMultipartUpload() {
      throw new Error('resumeMultipartUpload: multipart uploads are not available in Blaze yet');
    }
  }
  lib.tagClass(R2Bucket, 'R2Bucket');

  lib.bindings.register('r2', (handle) => new R2Bucket(kConstruct, handle));
})();
