// form_data.js: FormData, and the multipart/form-data and urlencoded codecs body.js uses.
//
// An entry is [name, value] with value a string or a File. workerd behaviours kept (observed
// with wrangler 4): the constructor ignores its argument; a Blob appended without a filename
// becomes a File named after the entry (the spec says "blob"); a File appended without a
// filename is stored as is; parsing errors use workerd's messages; only the quoted `name` and
// `filename` parameters count (an unquoted name is missing, `filename*` is ignored, an empty
// filename makes a string entry); part Content-Types are kept as sent; serialization ends
// with the closing delimiter and no CRLF.
// Deviation: serialization escapes CR in names and filenames as %0D (HTML Standard); workerd
// only escapes LF and '"'.
// Provides lib.isFormData(x), lib.parseFormData(bytes, contentType) → FormData (throws
// TypeError) and lib.serializeFormData(formData) → { bytes, contentType }.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const { toUSVString } = lib;

  function requireArgs(method, args, n) {
    if (args.length >= n) return;
    const type = args.length === 0 ? 'string' : 'File or Blob or string';
    throw new TypeError(`Failed to execute '${method}' on 'FormData': parameter ` +
      `${args.length + 1} is not of type '${type}'.`);
  }

  // The XHR Standard's "create an entry".
  function makeEntry(name, value, filename) {
    name = toUSVString(name);
    if (!lib.isBlob(value)) return [name, toUSVString(value)];
    if (lib.isFile(value) && filename === undefined) return [name, value];
    const fileName = filename === undefined ? name : toUSVString(filename);
    return [name, lib.newFile(lib.blobBytes(value), fileName, lib.blobType(value))];
  }

  const kIteratorProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  const kIterators = {};
  for (const [kind, tag] of [['entries', 'EntryIterator'], ['keys', 'KeyIterator'],
    ['values', 'ValueIterator']]) {
    const proto = Object.create(kIteratorProto);
    Object.defineProperty(proto, Symbol.toStringTag, { value: tag, configurable: true });
    kIterators[kind] = proto;
  }

  // Index-based, so entries added or removed while iterating behave like the live list.
  function makeIterator(list, kind) {
    let index = 0;
    const it = Object.create(kIterators[kind]);
    Object.defineProperty(it, 'next', {
      value() {
        if (index >= list.length) return { value: undefined, done: true };
        const [name, value] = list[index++];
        const v = kind === 'entries' ? [name, value] : kind === 'keys' ? name : value;
        return { value: v, done: false };
      },
      writable: true, configurable: true,
    });
    return it;
  }

  class FormData {
    #list = [];

    // workerd accepts and ignores any argument (there is no HTMLFormElement).
    constructor(form = undefined) { void form; }

    static #check(f) {
      if (f === null || typeof f !== 'object' || !(#list in f)) throw lib.illegalInvocation();
      return f;
    }

    static {
      lib.isFormData = (f) => f !== null && typeof f === 'object' && #list in f;
      lib.formDataEntries = (f) => FormData.#check(f).#list;
    }

    append(name, value, filename = undefined) {
      FormData.#check(this);
      requireArgs('append', arguments, 2);
      this.#list.push(makeEntry(name, value, filename));
    }

    set(name, value, filename = undefined) {
      FormData.#check(this);
      requireArgs('set', arguments, 2);
      const entry = makeEntry(name, value, filename);
      const at = this.#list.findIndex((e) => e[0] === entry[0]);
      if (at < 0) {
        this.#list.push(entry);
        return;
      }
      this.#list[at] = entry;
      for (let i = this.#list.length - 1; i > at; i--) {
        if (this.#list[i][0] === entry[0]) this.#list.splice(i, 1);
      }
    }

    get(name) {
      FormData.#check(this);
      requireArgs('get', arguments, 1);
      const key = toUSVString(name);
      const entry = this.#list.find((e) => e[0] === key);
      return entry === undefined ? null : entry[1];
    }

    getAll(name) {
      FormData.#check(this);
      requireArgs('getAll', arguments, 1);
      const key = toUSVString(name);
      return this.#list.filter((e) => e[0] === key).map((e) => e[1]);
    }

    has(name) {
      FormData.#check(this);
      requireArgs('has', arguments, 1);
      const key = toUSVString(name);
      return this.#list.some((e) => e[0] === key);
    }

    delete(name) {
      FormData.#check(this);
      requireArgs('delete', arguments, 1);
      const key = toUSVString(name);
      // In place: live iterators hold this array.
      for (let i = this.#list.length - 1; i >= 0; i--) {
        if (this.#list[i][0] === key) this.#list.splice(i, 1);
      }
    }

    entries() { return makeIterator(FormData.#check(this).#list, 'entries'); }
    keys() { return makeIterator(FormData.#check(this).#list, 'keys'); }
    values() { return makeIterator(FormData.#check(this).#list, 'values'); }
    [Symbol.iterator]() { return this.entries(); }

    forEach(callback, thisArg = undefined) {
      FormData.#check(this);
      if (typeof callback !== 'function') {
        throw new TypeError('Failed to execute \'forEach\' on \'FormData\': parameter 1 is not ' +
          'of type \'function\'.');
      }
      for (let i = 0; i < this.#list.length; i++) {
        const [name, value] = this.#list[i];
        callback.call(thisArg, value, name, this);
      }
    }
  }
  lib.tagClass(FormData, 'FormData');


  // ---- Header parameters -------------------------------------------------------------------
  // `value` is a header value such as `multipart/form-data; boundary="x"`. Returns the part
  // before the first ';' (trimmed) and a Map of lower-cased parameter names to
  // { value, quoted } (first occurrence wins; quoted strings honour backslash escapes).
  function parseHeaderParams(value) {
    const semi = value.indexOf(';');
    const head = (semi < 0 ? value : value.slice(0, semi)).trim();
    const params = new Map();
    let i = semi < 0 ? value.length : semi + 1;
    while (i < value.length) {
      while (i < value.length && /[\t ;]/.test(value[i])) i++;
      const start = i;
      while (i < value.length && value[i] !== '=' && value[i] !== ';') i++;
      const name = value.slice(start, i).trim().toLowerCase();
      if (value[i] !== '=') continue;
      i++;
      while (i < value.length && /[\t ]/.test(value[i])) i++;
      let v = '';
      let quoted = false;
      if (value[i] === '"') {
        quoted = true;
        for (i++; i < value.length && value[i] !== '"'; i++) {
          if (value[i] === '\\' && i + 1 < value.length) i++;
          v += value[i];
        }
        while (i < value.length && value[i] !== ';') i++;
      } else {
        const vStart = i;
        while (i < value.length && value[i] !== ';') i++;
        v = value.slice(vStart, i).trim();
      }
      if (name !== '' && !params.has(name)) params.set(name, { value: v, quoted });
    }
    return { head, params };
  }

  // ---- Parsing -----------------------------------------------------------------------------
  const kNoBoundary = 'No boundary string in Content-Type header. The multipart/form-data ' +
    'MIME type requires a boundary parameter, e.g. \'Content-Type: multipart/form-data; ' +
    'boundary="abcd"\'. See RFC 7578, section 4.';

  function indexOfBytes(bytes, pattern, from) {
    const first = pattern[0];
    const last = bytes.length - pattern.length;
    outer: for (let i = bytes.indexOf(first, from); i >= 0 && i <= last;
      i = bytes.indexOf(first, i + 1)) {
      for (let j = 1; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
      return i;
    }
    return -1;
  }

  // Header lines (CRLF or LF) up to an empty line: { headers: Map, end } where end is the
  // offset just after the empty line.
  function readPartHeaders(bytes, pos) {
    const headers = new Map();
    for (;;) {
      const nl = bytes.indexOf(0x0a, pos);
      if (nl < 0) throw new TypeError('FormData part had invalid headers.');
      const lineEnd = nl > pos && bytes[nl - 1] === 0x0d ? nl - 1 : nl;
      const line = lib.utf8Decode(bytes.subarray(pos, lineEnd), false, true);
      pos = nl + 1;
      if (line === '') return { headers, end: pos };
      const colon = line.indexOf(':');
      if (colon < 1) throw new TypeError('FormData part had invalid headers.');
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).replace(/^[\t ]+/, ''));
    }
  }

  function partEntry(headers, content) {
    const disposition = headers.get('content-disposition');
    if (disposition === undefined) {
      throw new TypeError('No valid Content-Disposition header found in FormData part.');
    }
    const { head, params } = parseHeaderParams(disposition);
    if (head.toLowerCase() !== 'form-data') {
      throw new TypeError('Content-Disposition header for FormData part must have the value ' +
        `"form-data", possibly followed by parameters. Got: "${head}"`);
    }
    const name = params.get('name');
    if (name === undefined || !name.quoted) {
      throw new TypeError('Content-Disposition header in FormData part is missing a name.');
    }
    const filename = params.get('filename');
    if (filename === undefined || !filename.quoted || filename.value === '') {
      return [name.value, lib.utf8Decode(content, false, true)];
    }
    const type = headers.get('content-type');
    return [name.value, lib.newFile(content.slice(), filename.value,
      type === undefined ? '' : type)];
  }

  // RFC 7578 / RFC 2046 body: optional preamble, parts separated by --boundary lines (CRLF
  // or bare LF), closed by --boundary--; the epilogue is ignored.
  function parseMultipart(bytes, boundary, list) {
    const delimiter = lib.utf8Encode('--' + boundary);
    const nextDelimiter = lib.concatBytes([Uint8Array.of(0x0a), delimiter]);
    let pos;
    if (indexOfBytes(bytes, delimiter, 0) === 0) {
      pos = 0;
    } else {
      const at = indexOfBytes(bytes, nextDelimiter, 0);
      if (at < 0) {
        throw new TypeError('No initial boundary string (or you have a truncated message).');
      }
      pos = at + 1;
    }
    for (;;) {
      pos += delimiter.length;
      if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) return;
      if (bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a) pos += 2;
      else if (bytes[pos] === 0x0a) pos += 1;
      else throw new TypeError('Boundary string was not succeeded by CRLF, LF, or \'--\'.');
      const { headers, end } = readPartHeaders(bytes, pos);
      const next = indexOfBytes(bytes, nextDelimiter, Math.max(end - 1, 0));
      if (next < 0) throw new TypeError('No subsequent boundary string after multipart message.');
      let contentEnd = Math.max(next, end);
      if (contentEnd > end && bytes[contentEnd - 1] === 0x0d) contentEnd--;
      list.push(partEntry(headers, bytes.subarray(end, contentEnd)));
      pos = next + 1;
    }
  }

  function parseUrlEncoded(bytes, params, list) {
    const charset = params.get('charset');
    if (charset !== undefined &&
        !['utf-8', 'utf8', 'unicode-1-1-utf-8'].includes(charset.value.toLowerCase())) {
      throw new TypeError('Non-utf-8 application/x-www-form-urlencoded body.');
    }
    for (const entry of lib.percent.formParse(lib.utf8Decode(bytes, false, true))) {
      list.push(entry);
    }
  }

  // The body mixin's formData(): `contentType` is the Content-Type header value or null.
  function parseFormData(bytes, contentType) {
    if (contentType === null || contentType === undefined) {
      throw new TypeError('Parsing a Body as FormData requires a Content-Type header.');
    }
    const { head, params } = parseHeaderParams(String(contentType));
    const fd = new FormData();
    const list = lib.formDataEntries(fd);
    const essence = head.toLowerCase();
    if (essence === 'multipart/form-data') {
      const boundary = params.get('boundary');
      if (boundary === undefined || boundary.value === '') throw new TypeError(kNoBoundary);
      parseMultipart(bytes, boundary.value, list);
    } else if (essence === 'application/x-www-form-urlencoded') {
      parseUrlEncoded(bytes, params, list);
    } else {
      throw new TypeError('Unrecognized Content-Type header value. FormData can only parse ' +
        'the following MIME types: multipart/form-data, application/x-www-form-urlencoded');
    }
    return fd;
  }

  // ---- Serialization -------------------------------------------------------------------------
  // The HTML Standard's multipart/form-data encoding with a random 32-hex-digit boundary, in
  // workerd's layout.
  function escapeName(s) {
    return s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
  }

  function serializeFormData(fd) {
    const random = new Uint8Array(16);
    host.randomFill(random);
    const boundary = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
    const chunks = [];
    const text = (s) => chunks.push(lib.utf8Encode(s));
    for (const [name, value] of lib.formDataEntries(fd)) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
      if (typeof value === 'string') {
        text(head + '\r\n\r\n' + value + '\r\n');
        continue;
      }
      const type = lib.blobType(value) || 'application/octet-stream';
      head += `; filename="${escapeName(lib.fileName(value))}"\r\nContent-Type: ${type}\r\n\r\n`;
      text(head);
      chunks.push(lib.blobBytes(value));
      text('\r\n');
    }
    text(`--${boundary}--`);
    return { bytes: lib.concatBytes(chunks),
      contentType: `multipart/form-data; boundary=${boundary}` };
  }

  lib.parseFormData = parseFormData;
  lib.serializeFormData = serializeFormData;
  lib.parseHeaderParams = parseHeaderParams;
  lib.FormData = FormData;
  lib.defineGlobal('FormData', FormData);
})();
