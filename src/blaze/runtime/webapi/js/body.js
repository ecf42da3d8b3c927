// body.js: request/response bodies as ReadableStreams (the Fetch spec's "body").
//
// Request and Response hold a *body source* (or null for no body): a StreamSource wrapping a
// ReadableStream, exposing { stream, used, locked, readAll(), tee(), take() }. `used` is the
// stream's "disturbed" flag, so reading `request.body` by hand also makes `bodyUsed` true, and
// text()/json()/arrayBuffer()/blob()/formData() read the same stream. Bodies built from bytes
// are byte streams holding one chunk, as in workerd (so BYOB readers work on them).
//
// Host bodies (an incoming request body or a fetch() response body still arriving) are byte
// streams whose pull reads the next chunk with host.readBody(handle); nothing is read before
// the worker asks. For the engine (finish.js readResponseStreaming) a source offers, cheapest
// first: its bytes at once (bytesNow), its untouched host handle to pass through natively
// (takeHost), all its bytes when they are known up front (fixed: readAll), or a chunk reader
// ({next, cancel}) the engine pulls one chunk at a time as the client reads.
// Blob and FormData come from blob.js / form_data.js through lib (newBlob, isBlob, blobBytes,
// isFormData, parseFormData, serializeFormData) and are used only when those are loaded.
// Provides lib.body = { fromBytes, fromHost, isSource, extract, consume, checkUsable, installMixin,
// kUsedMessage }.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const S = lib.streams;

  const kUsedMessage = 'Body has already been used. It can only be used once. Use tee() ' +
    'first if you need to read it twice.';
  const kDisturbedMessage = 'This ReadableStream is disturbed (has already been read from), ' +
    'and cannot be used as a body.';
  const kNotBytesMessage = 'This ReadableStream did not return bytes.';

  const noop = () => S.resolved(undefined);

  // Chunks of a body must be bytes; a worker's own stream may yield anything.
  function chunkBytes(chunk) {
    if (chunk instanceof Uint8Array) return chunk;
    if (lib.isBufferSource(chunk)) return lib.viewBytes(chunk);
    throw new TypeError(kNotBytesMessage);
  }

  class StreamSource {
    #r; // the stream's internal record (streams_readable.js)
    #fixed; // built from bytes known up front (not a stream the worker produces over time)
    constructor(r, fixed = false) { this.#r = r; this.#fixed = fixed; }
    get stream() { return this.#r.pub; }
    get fixed() { return this.#fixed; }
    get used() { return this.#r.disturbed; }
    get locked() { return S.isReadableLocked(this.#r); }

    async readAll() {
      const reader = S.acquireDefaultReader(this.#r);
      const chunks = [];
      for (;;) {
        const { value, done } = await S.readPromise(reader);
        if (done) break;
        let bytes;
        try {
          bytes = chunkBytes(value);
        } catch (e) {
          S.cancelReadable(this.#r, e).then(undefined, () => {});
          throw e;
        }
        if (bytes.byteLength > 0) chunks.push(bytes);
      }
      S.defaultReaderRelease(reader);
      return chunks.length === 1 ? chunks[0] : lib.concatBytes(chunks);
    }

    bytesNow() { return undefined; }

    // The host handle of an untouched host body, which the engine then reads itself; the
    // stream is locked and disturbed for good. Undefined for anything else.
    takeHost() {
      const r = this.#r;
      if (r.hostHandle === undefined || r.disturbed || S.isReadableLocked(r)) return undefined;
      S.acquireDefaultReader(r);
      r.disturbed = true;
      return r.hostHandle;
    }

    // For sending a body as it is produced: { next, cancel }. next() resolves to the next
    // non-empty chunk as a Uint8Array, or null at the end; cancel(reason) cancels the stream
    // (the client went away). Locks the stream.
    chunkReader() {
      const r = this.#r;
      const reader = S.acquireDefaultReader(r);
      const cancel = (reason) => S.cancelReadable(r, reason).then(() => undefined, () => undefined);
      const next = async () => {
        for (;;) {
          const { value, done } = await S.readPromise(reader);
          if (done) {
            S.defaultReaderRelease(reader);
            return null;
          }
          let bytes;
          try {
            bytes = chunkBytes(value);
          } catch (e) {
            S.cancelReadable(this.#r, e).then(undefined, () => {});
            throw e;
          }
          if (bytes.byteLength > 0) return bytes;
        }
      };
      return { next, cancel };
    }

    // clone(): both halves read the same data; this source's stream is replaced by branch 1,
    // as the Fetch spec's "clone a body" does.
    tee() {
      const [a, b] = S.tee(this.#r);
      return [new StreamSource(a), new StreamSource(b)];
    }

    // new Request(request): the new request reads through a proxy; the old one's stream is
    // locked and disturbed from now on, so it reads as used.
    take() {
      const reader = S.acquireDefaultReader(this.#r);
      this.#r.disturbed = true;
      let proxy;
      proxy = S.createByteReadable(() => undefined, () => S.readPromise(reader).then(
        ({ value, done }) => {
          if (done) {
            S.byteClose(proxy.controller);
            S.byteRespondToPendingAfterClose(proxy.controller);
            return;
          }
          const bytes = chunkBytes(value);
          if (bytes.byteLength > 0) S.byteEnqueue(proxy.controller, bytes);
        }), (reason) => S.cancelReadable(this.#r, reason));
      return new StreamSource(proxy);
    }
  }

  function streamOfBytes(bytes) {
    const r = S.createByteReadable(() => undefined, noop, noop);
    if (bytes.byteLength > 0) S.byteEnqueue(r.controller, bytes);
    S.byteClose(r.controller);
    r.fixed = true; // `new Response(otherBody.body)` still knows its bytes up front
    return new StreamSource(r, true);
  }

  // A body of bytes known up front. Its ReadableStream is built only if someone asks for
  // `body` (or tees/streams it): text()/json()/arrayBuffer() and the engine's readResponse take
  // the bytes directly, which keeps `new Response("hello")` as cheap as before streams.
  // A string body is kept as the string until something needs its bytes, and the engine takes
  // the text itself (textNow) and encodes it natively: a text or JSON response then allocates no
  // ArrayBuffer, whose malloc'd contents (ArrayBuffers are allocated tenured) made a full GC
  // every ~12,000 responses per core.
  class BytesSource {
    #bytes;  // a Uint8Array, or the string it is the UTF-8 of (encoded on first need)
    #stream = null;  // the StreamSource once materialized; from then on it is the truth
    #used = false;
    constructor(bytes) { this.#bytes = bytes; }
    #encoded() {
      if (typeof this.#bytes === 'string') this.#bytes = lib.utf8Encode(this.#bytes);
      return this.#bytes;
    }
    #materialize() {
      if (this.#stream === null) {
        this.#stream = streamOfBytes(this.#used ? new Uint8Array(0) : this.#encoded());
      }
      return this.#stream;
    }
    get stream() { return this.#materialize().stream; }
    get fixed() { return true; }
    get used() { return this.#stream !== null ? this.#stream.used : this.#used; }
    get locked() { return this.#stream !== null && this.#stream.locked; }
    bytesNow() {
      if (this.#stream !== null || this.#used) return undefined;
      this.#used = true;
      return this.#encoded();
    }
    // The string a string body was made from, if nothing has read it: undefined otherwise.
    textNow() {
      if (this.#stream !== null || this.#used || typeof this.#bytes !== 'string') return undefined;
      this.#used = true;
      return this.#bytes;
    }
    takeHost() { return undefined; }
    async readAll() {
      if (this.#stream !== null) return this.#stream.readAll();
      this.#used = true;
      return this.#encoded();
    }
    chunkReader() { return this.#materialize().chunkReader(); }
    tee() {
      if (this.#stream !== null) return this.#stream.tee();
      const b = this.#bytes;
      return [new BytesSource(b), new BytesSource(typeof b === 'string' ? b : b.slice())];
    }
    take() {
      if (this.#stream !== null) return this.#stream.take();
      this.#used = true;
      return new BytesSource(this.#bytes);
    }
  }

  function fromBytes(bytes) {
    return new BytesSource(bytes);
  }

  // A body whose bytes arrive later (a Blob's bytes are read asynchronously).
  function fromPromisedBytes(promise) {
    let r;
    r = S.createByteReadable(() => undefined, () => promise.then((bytes) => {
      if (r.state !== 'readable') return;
      if (bytes.byteLength > 0) S.byteEnqueue(r.controller, bytes);
      S.byteClose(r.controller);
      S.byteRespondToPendingAfterClose(r.controller);
    }), noop);
    r.fixed = true;
    return new StreamSource(r, true);
  }

  // A body the host reads for us as the worker pulls: host.readBody(handle) resolves to the
  // next chunk, or null at the end, and rejects when the body broke (client gone, too large).
  function fromHost(handle) {
    let r;
    r = S.createByteReadable(() => undefined, () => host.readBody(handle).then((chunk) => {
      if (r.state !== 'readable') return;
      if (chunk === null) {
        S.byteClose(r.controller);
        S.byteRespondToPendingAfterClose(r.controller);
      } else {
        S.byteEnqueue(r.controller, chunk);
      }
    }), () => {
      host.cancelBody(handle);
      return S.resolved(undefined);
    });
    r.hostHandle = handle;
    return new StreamSource(r);
  }

  function fromStream(stream) {
    const r = S.readableOf(stream);
    if (r.disturbed) throw new TypeError(kDisturbedMessage);
    if (S.isReadableLocked(r)) throw new TypeError(S.kLocked);
    return new StreamSource(r, r.fixed === true);
  }

  const isSource = (x) => x instanceof StreamSource || x instanceof BytesSource;

  const has = (name) => typeof lib[name] === 'function';

  // The Fetch spec's "extract a body": returns { source, contentType } or null for no body.
  function extract(init) {
    if (init === undefined || init === null) return null;
    if (typeof init === 'string') {
      return { source: new BytesSource(init), contentType: 'text/plain;charset=UTF-8' };
    }
    if (lib.isBufferSource(init)) {
      return { source: fromBytes(lib.copyBytes(init)), contentType: null };
    }
    if (S.readableOf(init) !== undefined) return { source: fromStream(init), contentType: null };
    if (init instanceof globalThis.URLSearchParams) {
      return { source: fromBytes(lib.utf8Encode(init.toString())),
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
    }
    if (has('isBlob') && has('blobBytes') && lib.isBlob(init)) {
      // The Blob's own type (a worker may shadow `type`), and a copy: a Blob is immutable.
      const type = has('blobType') ? lib.blobType(init) : String(init.type);
      return { source: fromPromisedBytes(Promise.resolve(lib.blobBytes(init)).then((b) => b.slice())),
        contentType: type === '' ? null : type };
    }
    if (has('isFormData') && has('serializeFormData') && lib.isFormData(init)) {
      const { bytes, contentType } = lib.serializeFormData(init);
      return { source: fromBytes(bytes), contentType };
    }
    // Anything else is converted to a string, as workerd does (new Response({}) sends
    // "[object Object]").
    return { source: fromBytes(lib.utf8Encode(String(init))),
      contentType: 'text/plain;charset=UTF-8' };
  }

  // Throws the TypeError for a body that can no longer be read, cloned or moved.
  function checkUsable(source) {
    if (source === null) return;
    if (source.used) throw new TypeError(kUsedMessage);
    if (source.locked) throw new TypeError(S.kLocked);
  }

  // Reads the whole body. The checks run synchronously, so `bodyUsed` is true as soon as
  // text()/json()/... has been called.
  function consume(source) {
    if (source === null) return S.resolved(new Uint8Array(0));
    try {
      checkUsable(source);
    } catch (e) {
      return S.rejected(e);
    }
    return source.readAll();
  }

  // Defines text/json/arrayBuffer/blob/formData/bodyUsed/body on a class whose instances
  // expose their source through `sourceOf(instance)` (a private-field accessor of that class).
  function installMixin(cls, sourceOf) {
    const headersOf = Object.getOwnPropertyDescriptor(cls.prototype, 'headers').get;
    const contentType = (self) => headersOf.call(self).get('content-type');
    const methods = {
      async arrayBuffer() {
        const bytes = await consume(sourceOf(this));
        if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
          return bytes.buffer;
        }
        return bytes.slice().buffer;
      },
      async text() {
        return lib.utf8Decode(await consume(sourceOf(this)), false, false);
      },
      async json() {
        return JSON.parse(await this.text());
      },
      async blob() {
        if (!has('newBlob')) throw new TypeError('Blob is not supported.');
        const type = contentType(this);
        return lib.newBlob(await consume(sourceOf(this)), type === null ? '' : type);
      },
      async formData() {
        if (!has('parseFormData')) throw new TypeError('FormData is not supported.');
        const type = contentType(this);
        // null (no Content-Type) gets workerd's own message from parseFormData.
        return lib.parseFormData(await consume(sourceOf(this)), type);
      },
    };
    for (const name of Object.keys(methods)) {
      Object.defineProperty(cls.prototype, name, { value: methods[name], writable: true,
        enumerable: true, configurable: true });
    }
    Object.defineProperty(cls.prototype, 'bodyUsed', { enumerable: true, configurable: true,
      get() { const s = sourceOf(this); return s !== null && s.used; } });
    Object.defineProperty(cls.prototype, 'body', { enumerable: true, configurable: true,
      get() { const s = sourceOf(this); return s === null ? null : s.stream; } });
  }

  lib.body = { fromBytes, fromHost, isSource, extract, consume, checkUsable, installMixin,
    kUsedMessage };
})();
