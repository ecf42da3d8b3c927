// body.js: request/response bodies.
//
// A body is a "body source": { used, readAll() → Promise<Uint8Array>, tee() → [a, b] }.
// Request and Response only ever talk to a source, so ReadableStream-backed sources (the
// streams issue) can be added without touching them. Until then `body` is always null.
// Provides lib.body = { BytesSource, extract, consume, installMixin, kUsedMessage }.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  const kUsedMessage = 'Body has already been used. It can only be used once. Use tee() ' +
    'first if you need to read it twice.';

  class BytesSource {
    #bytes;
    constructor(bytes) {
      this.#bytes = bytes;
      this.used = false;
    }
    get length() { return this.#bytes.byteLength; }
    async readAll() {
      this.used = true;
      const bytes = this.#bytes;
      this.#bytes = new Uint8Array(0); // a consumed body holds no memory
      return bytes;
    }
    // Both halves share the immutable bytes; each has its own used flag.
    tee() {
      return [new BytesSource(this.#bytes), new BytesSource(this.#bytes)];
    }
    // Moves the bytes into a new source (new Request(request) takes the body).
    take() {
      const next = new BytesSource(this.#bytes);
      this.used = true;
      this.#bytes = new Uint8Array(0);
      return next;
    }
  }

  // The Fetch spec's "extract a body": returns { source, contentType } or null for no body.
  function extract(init) {
    if (init === undefined || init === null) return null;
    if (typeof init === 'string') {
      return { source: new BytesSource(lib.utf8Encode(init)),
        contentType: 'text/plain;charset=UTF-8' };
    }
    if (lib.isBufferSource(init)) {
      return { source: new BytesSource(lib.copyBytes(init)), contentType: null };
    }
    if (init instanceof globalThis.URLSearchParams) {
      return { source: new BytesSource(lib.utf8Encode(init.toString())),
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
    }
    // Anything else is converted to a string, as workerd does (new Response({}) sends
    // "[object Object]").
    return { source: new BytesSource(lib.utf8Encode(String(init))),
      contentType: 'text/plain;charset=UTF-8' };
  }

  async function consume(source) {
    if (source === null) return new Uint8Array(0);
    if (source.used) throw new TypeError(kUsedMessage);
    return source.readAll();
  }

  // Defines text/json/arrayBuffer/bodyUsed/body on a class whose instances expose their
  // source through `sourceOf(instance)` (a private-field accessor of that class).
  function installMixin(cls, sourceOf) {
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
    };
    for (const name of Object.keys(methods)) {
      Object.defineProperty(cls.prototype, name, { value: methods[name], writable: true,
        enumerable: true, configurable: true });
    }
    Object.defineProperty(cls.prototype, 'bodyUsed', { enumerable: true, configurable: true,
      get() { const s = sourceOf(this); return s !== null && s.used; } });
    Object.defineProperty(cls.prototype, 'body', { enumerable: true, configurable: true,
      get() { sourceOf(this); return null; } });
  }

  lib.body = { BytesSource, extract, consume, installMixin, kUsedMessage };
})();
