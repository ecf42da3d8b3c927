// text_streams.js: TextEncoderStream and TextDecoderStream (Encoding Standard), each a
// TransformStream around the codecs of encoding.js. The encoder keeps a lone high surrogate
// that ends a chunk until the next chunk; the decoder uses a streaming TextDecoder, so a
// multi-byte character split across chunks decodes once complete.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  // Captured now: a worker replacing the globals later must not change our behaviour.
  const TransformStream = globalThis.TransformStream;
  const TextDecoder = globalThis.TextDecoder;

  class TextEncoderStream {
    #transform;
    constructor() {
      let pendingHigh = null; // a high surrogate that ended the previous chunk
      this.#transform = new TransformStream({
        transform(chunk, controller) {
          let s = String(chunk);
          if (pendingHigh !== null) { s = pendingHigh + s; pendingHigh = null; }
          const last = s.charCodeAt(s.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pendingHigh = s[s.length - 1];
            s = s.slice(0, -1);
          }
          if (s.length > 0) controller.enqueue(lib.utf8Encode(s));
        },
        flush(controller) {
          if (pendingHigh !== null) controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
        },
      });
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#transform in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self.#transform;
    }
    get encoding() { TextEncoderStream.#of(this); return 'utf-8'; }
    get readable() { return TextEncoderStream.#of(this).readable; }
    get writable() { return TextEncoderStream.#of(this).writable; }
  }
  lib.streams.enumerable(TextEncoderStream, ['encoding', 'readable', 'writable']);
  lib.tagClass(TextEncoderStream, 'TextEncoderStream');

  class TextDecoderStream {
    #transform;
    #decoder;
    constructor(label = 'utf-8', options = undefined) {
      const decoder = new TextDecoder(label, options);
      this.#decoder = decoder;
      this.#transform = new TransformStream({
        transform(chunk, controller) {
          if (!lib.isBufferSource(chunk)) {
            throw new TypeError('This TransformStream is being used as a byte stream, but ' +
              'received a value that is not an ArrayBuffer or ArrayBufferView.');
          }
          const text = decoder.decode(chunk, { stream: true });
          if (text.length > 0) controller.enqueue(text);
        },
        flush(controller) {
          const text = decoder.decode();
          if (text.length > 0) controller.enqueue(text);
        },
      });
    }
    static #of(self) {
      if (self === null || typeof self !== 'object' || !(#transform in self)) {
        throw new TypeError('Illegal invocation');
      }
      return self;
    }
    get encoding() { return TextDecoderStream.#of(this).#decoder.encoding; }
    get fatal() { return TextDecoderStream.#of(this).#decoder.fatal; }
    get ignoreBOM() { return TextDecoderStream.#of(this).#decoder.ignoreBOM; }
    get readable() { return TextDecoderStream.#of(this).#transform.readable; }
    get writable() { return TextDecoderStream.#of(this).#transform.writable; }
  }
  lib.streams.enumerable(TextDecoderStream, ['encoding', 'fatal', 'ignoreBOM', 'readable',
    'writable']);
  lib.tagClass(TextDecoderStream, 'TextDecoderStream');

  lib.defineGlobal('TextEncoderStream', TextEncoderStream);
  lib.defineGlobal('TextDecoderStream', TextDecoderStream);
})();
