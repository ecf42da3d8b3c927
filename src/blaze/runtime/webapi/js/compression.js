// compression.js: CompressionStream and DecompressionStream (Compression Streams standard) for
// "gzip", "deflate" and "deflate-raw", each a TransformStream over one native zlib stream of
// the engine (`__blazeHost.zlib`, see engine/zlib_natives.h). Chunks must be BufferSources;
// output chunks are Uint8Arrays. Corrupt or truncated input errors the stream with the
// native's TypeError (workerd's messages). The native stream is freed when the stream closes
// or errors, else by the GC. Absent when the host lacks the natives.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const zlib = host.zlib;
  if (zlib === undefined) return;
  // Captured now: a worker replacing the globals later must not change our behaviour.
  const TransformStream = globalThis.TransformStream;
  const kFormats = ['deflate', 'deflate-raw', 'gzip'];

  function newZlibTransform(format, compress) {
    const f = String(format);
    if (!kFormats.includes(f)) {
      throw new TypeError('The compression format must be either \'deflate\', ' +
        '\'deflate-raw\' or \'gzip\'.');
    }
    const handle = zlib.create(f, compress);
    const run = (fn) => {
      try {
        return fn();
      } catch (e) {
        zlib.close(handle);
        throw e;
      }
    };
    return new TransformStream({
      transform(chunk, controller) {
        if (!lib.isBufferSource(chunk)) {
          zlib.close(handle);
          throw new TypeError('This TransformStream is being used as a byte stream, but ' +
            'received a value that is not an ArrayBuffer or ArrayBufferView.');
        }
        const out = run(() => zlib.push(handle, chunk));
        if (out.length > 0) controller.enqueue(out);
      },
      flush(controller) {
        const out = run(() => zlib.finish(handle));
        if (out.length > 0) controller.enqueue(out);
      },
    });
  }

  class CompressionStream {
    #transform;
    constructor(format) {
      if (arguments.length === 0) {
        throw new TypeError('Failed to construct \'CompressionStream\': 1 argument required, ' +
          'but only 0 present.');
      }
      this.#transform = newZlibTransform(format, true);
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#transform in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#transform;
    }
    get readable() { return CompressionStream.#of(this).readable; }
    get writable() { return CompressionStream.#of(this).writable; }
  }
  lib.streams.enumerable(CompressionStream, ['readable', 'writable']);
  lib.tagClass(CompressionStream, 'CompressionStream');

  class DecompressionStream {
    #transform;
    constructor(format) {
      if (arguments.length === 0) {
        throw new TypeError('Failed to construct \'DecompressionStream\': 1 argument ' +
          'required, but only 0 present.');
      }
      this.#transform = newZlibTransform(format, false);
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#transform in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#transform;
    }
    get readable() { return DecompressionStream.#of(this).readable; }
    get writable() { return DecompressionStream.#of(this).writable; }
  }
  lib.streams.enumerable(DecompressionStream, ['readable', 'writable']);
  lib.tagClass(DecompressionStream, 'DecompressionStream');

  lib.defineGlobal('CompressionStream', CompressionStream);
  lib.defineGlobal('DecompressionStream', DecompressionStream);
})();
