// blob.js: Blob and File (File API), with workerd's argument handling and messages.
//
// A Blob owns one immutable Uint8Array; slices share it (subarray), so slicing never copies
// and nothing may ever write into a Blob's bytes. Reads hand out copies.
// workerd behaviours kept (observed with wrangler 4): parts must be an Array (not any
// iterable); other part values are String()-converted; `endings` is refused as not
// implemented; slice() indices are truncated, non-finite ones count as 0 and values outside
// int32 are a TypeError; text() keeps a leading BOM.
// Deviation: lone surrogates in string parts become U+FFFD (USVString); workerd writes them
// as 3-byte WTF-8 sequences.
// stream() needs ReadableStream (streams*.js): lib.ReadableStream, else the global, read at
// call time; without either it throws a TypeError.
// Provides lib.newBlob(bytes, type), lib.newFile(bytes, name, type, lastModified),
// lib.isBlob(x), lib.isFile(x), lib.blobBytes(blob) (the shared bytes: read-only!),
// lib.blobType(blob), lib.fileName(file) and lib.normalizeBlobType(string).
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  const kConstruct = Symbol('Blob construct');

  // The File API's type rule: any code point outside U+0020..U+007E empties the type,
  // otherwise it is lower-cased (workerd also lets U+007F through).
  function normalizeType(type) {
    const s = String(type);
    return /[^\u0020-\u007f]/.test(s) ? '' : s.toLowerCase();
  }

  function isObject(v) {
    return (v !== null && typeof v === 'object') || typeof v === 'function';
  }

  function partsToBytes(ctor, parts) {
    if (parts === undefined) return new Uint8Array(0);
    if (!Array.isArray(parts)) {
      throw new TypeError(`Failed to construct '${ctor}': constructor parameter 1 is not of ` +
        'type \'Array\'.');
    }
    const chunks = [];
    for (const part of parts) {
      if (lib.isBlob(part)) chunks.push(lib.blobBytes(part));
      else if (lib.isBufferSource(part)) chunks.push(lib.viewBytes(part));
      else chunks.push(lib.utf8Encode(String(part)));
    }
    return lib.concatBytes(chunks); // always a fresh copy
  }

  function optionsOf(ctor, options) {
    if (options === undefined || options === null) return {};
    if (!isObject(options)) {
      throw new TypeError(`Failed to construct '${ctor}': constructor parameter 2 is not of ` +
        'type \'Options\'.');
    }
    if (options.endings !== undefined) {
      throw new Error('The \'endings\' field on \'Options\' is not implemented.');
    }
    return options;
  }

  // workerd converts slice() arguments to int32 with a range check.
  function sliceIndex(v) {
    let n = Number(v);
    if (!Number.isFinite(n)) return 0;
    n = Math.trunc(n);
    if (n < -2147483648 || n > 2147483647) {
      throw new TypeError('Value out of range. Must be between -2147483648 and 2147483647 ' +
        '(inclusive).');
    }
    return n;
  }

  function clampRelative(index, size) {
    return index < 0 ? Math.max(size + index, 0) : Math.min(index, size);
  }

  class Blob {
    #bytes;
    #type;

    constructor(parts = undefined, options = undefined) {
      if (parts === kConstruct) {
        // Internal construction: lib.newBlob / slice set the fields right after.
        this.#bytes = new Uint8Array(0);
        this.#type = '';
        return;
      }
      const ctor = new.target === File ? 'File' : 'Blob';
      const bytes = partsToBytes(ctor, parts);
      const opts = optionsOf(ctor, options);
      this.#bytes = bytes;
      this.#type = opts.type === undefined ? '' : normalizeType(opts.type);
    }

    static #check(b) {
      if (!isObject(b) || !(#bytes in b)) throw lib.illegalInvocation();
      return b;
    }

    static {
      lib.isBlob = (b) => isObject(b) && #bytes in b;
      lib.blobBytes = (b) => Blob.#check(b).#bytes;
      lib.blobType = (b) => Blob.#check(b).#type;
      // Takes ownership of `bytes`; `type` is stored as given.
      lib.newBlob = (bytes, type = '') => {
        const b = new Blob(kConstruct);
        b.#bytes = bytes;
        b.#type = String(type);
        return b;
      };
      lib.initFileBytes = (f, bytes, type) => {
        f.#bytes = bytes;
        f.#type = String(type);
      };
    }

    get size() { return Blob.#check(this).#bytes.byteLength; }
    get type() { return Blob.#check(this).#type; }

    slice(start = undefined, end = undefined, contentType = undefined) {
      const size = Blob.#check(this).#bytes.byteLength;
      const from = start === undefined ? 0 : clampRelative(sliceIndex(start), size);
      const to = end === undefined ? size : clampRelative(sliceIndex(end), size);
      const type = contentType === undefined ? '' : normalizeType(contentType);
      return lib.newBlob(this.#bytes.subarray(from, Math.max(from, to)), type);
    }

    // Not async: a wrong `this` throws synchronously, as in workerd.
    arrayBuffer() {
      const bytes = Blob.#check(this).#bytes;
      return Promise.resolve(bytes.slice().buffer);
    }

    bytes() {
      return Promise.resolve(Blob.#check(this).#bytes.slice());
    }

    text() {
      return Promise.resolve(lib.utf8Decode(Blob.#check(this).#bytes, false, true));
    }

    stream() {
      const bytes = Blob.#check(this).#bytes;
      const RS = lib.ReadableStream || globalThis.ReadableStream;
      if (typeof RS !== 'function') {
        throw new TypeError('Blob.stream() is not available: this runtime has no ' +
          'ReadableStream yet.');
      }
      return new RS({
        start(controller) {
          if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
          controller.close();
        },
      });
    }
  }
  lib.tagClass(Blob, 'Blob');

  class File extends Blob {
    #name;
    #lastModified;

    constructor(bits, name, options = undefined) {
      if (bits === kConstruct) {
        super(kConstruct);
        this.#name = String(name);
        this.#lastModified = Date.now();
        return;
      }
      if (arguments.length < 2) {
        throw new TypeError('Failed to construct \'File\': constructor parameter 2 is not of ' +
          'type \'string\'.');
      }
      super(bits, options);
      this.#name = String(name);
      const lastModified = isObject(options) ? options.lastModified : undefined;
      if (lastModified === undefined) {
        this.#lastModified = Date.now();
      } else {
        const n = Number(lastModified);
        this.#lastModified = Number.isNaN(n) ? 0 : n;
      }
    }

    static #check(f) {
      if (!isObject(f) || !(#name in f)) throw lib.illegalInvocation();
      return f;
    }

    static {
      lib.isFile = (f) => isObject(f) && #name in f;
      lib.fileName = (f) => File.#check(f).#name;
      // Takes ownership of `bytes`; `type` is stored as given (multipart parts keep theirs).
      lib.newFile = (bytes, name, type = '', lastModified = undefined) => {
        const f = new File(kConstruct, name);
        lib.initFileBytes(f, bytes, type);
        if (lastModified !== undefined) f.#lastModified = lastModified;
        return f;
      };
    }

    get name() { return File.#check(this).#name; }
    get lastModified() { return File.#check(this).#lastModified; }
  }
  lib.tagClass(File, 'File');

  lib.normalizeBlobType = normalizeType;
  lib.defineGlobal('Blob', Blob);
  lib.defineGlobal('File', File);
})();
