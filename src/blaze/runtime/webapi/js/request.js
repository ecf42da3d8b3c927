// request.js: Request with workerd's semantics.
//
// Methods: the six the Fetch spec normalises are accepted in any case and upper-cased; other
// methods must be spelled exactly as one of the names workerd's HTTP stack knows ("patch" is
// an error, "PATCH" is fine). redirect is "follow" or "manual"; "error" is refused as in
// workerd. `cf` is kept as given. `signal` is the AbortSignal given (kept as is, inherited
// from an input Request); without one, `request.signal` is a fresh signal that never aborts
// (workerd's incoming requests: it would abort only if the client disconnected). The body may be any
// BodyInit including a ReadableStream (workerd needs no `duplex: 'half'`).
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { fromBytes, extract, checkUsable } = lib.body;
  const H = lib.headers;

  const kNormalized = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
  const kKnown = new Set([...kNormalized, 'PATCH', 'PURGE', 'TRACE', 'COPY', 'LOCK', 'MKCOL',
    'MOVE', 'PROPFIND', 'PROPPATCH', 'SEARCH', 'UNLOCK', 'ACL', 'REPORT', 'MKACTIVITY',
    'CHECKOUT', 'MERGE', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'QUERY', 'BAN']);
  const kRedirectError = 'Invalid redirect value, must be one of "follow" or "manual" ' +
    '("error" won\'t be implemented since it does not make sense at the edge; use "manual" ' +
    'and check the response status code).';
  const kConstruct = Symbol('Request');

  function normalizeMethod(method) {
    const s = String(method);
    const upper = s.toUpperCase();
    if (kNormalized.includes(upper)) return upper;
    if (kKnown.has(s)) return s;
    throw new TypeError(`Invalid HTTP method string: ${s}`);
  }

  function parseUrl(input) {
    const s = String(input);
    const record = lib.urlParser.parse(lib.toUSVString(s));
    if (record === null) throw new TypeError(`Invalid URL: ${s}`);
    return lib.urlParser.serialize(record);
  }

  class Request {
    #method = 'GET';
    #url = '';
    #headers;
    #source = null;
    #redirect = 'follow';
    #cf = undefined;
    #signal = null; // null until given or first read

    constructor(input, init = undefined) {
      if (input === kConstruct) return;
      if (arguments.length === 0) {
        throw new TypeError('Failed to construct \'Request\': 1 argument required, but only ' +
          '0 present.');
      }
      const opts = init === undefined || init === null ? {} : init;
      let inheritedSource = null;
      if (input instanceof Request) {
        this.#method = input.#method;
        this.#url = input.#url;
        this.#headers = H.copy(input.#headers);
        this.#redirect = input.#redirect;
        this.#cf = input.#cf;
        this.#signal = input.#signal;
        if (input.#source !== null) {
          checkUsable(input.#source);
          inheritedSource = input.#source;
        }
      } else {
        this.#url = parseUrl(input);
        this.#headers = new globalThis.Headers();
      }
      if (opts.method !== undefined) this.#method = normalizeMethod(opts.method);
      if (opts.headers !== undefined) this.#headers = new globalThis.Headers(opts.headers);
      if (opts.redirect !== undefined) {
        const r = String(opts.redirect);
        if (r !== 'follow' && r !== 'manual') throw new TypeError(kRedirectError);
        this.#redirect = r;
      }
      if (opts.cf !== undefined) this.#cf = opts.cf;
      if (opts.signal !== undefined && opts.signal !== null) {
        if (typeof lib.isAbortSignal !== 'function' || !lib.isAbortSignal(opts.signal)) {
          throw new TypeError('Failed to construct \'Request\': member signal is not of type ' +
            'AbortSignal.');
        }
        this.#signal = opts.signal;
      } else if (opts.signal === null) {
        this.#signal = null;
      }
      const extracted = opts.body === undefined ? undefined : extract(opts.body);
      const hasBody = extracted ? extracted !== null : inheritedSource !== null;
      if (hasBody && (this.#method === 'GET' || this.#method === 'HEAD')) {
        throw new TypeError('Request with a GET or HEAD method cannot have a body.');
      }
      if (extracted) {
        this.#source = extracted.source;
        if (extracted.contentType !== null && !this.#headers.has('content-type')) {
          H.appendUnchecked(this.#headers, 'content-type', extracted.contentType);
        }
      } else if (extracted === undefined && inheritedSource !== null) {
        // The new request takes the body over; the old one reads as used from now on.
        this.#source = inheritedSource.take();
      }
    }

    static {
      lib.sourceOfRequest = (r) => {
        if (!(#source in r)) throw new TypeError('Illegal invocation');
        return r.#source;
      };
      // The signal fetch() must honour, or null when none was given.
      lib.signalOfRequest = (r) => {
        if (!(#source in r)) throw new TypeError('Illegal invocation');
        return r.#signal;
      };
      // Incoming requests: the engine already parsed everything, so no validation, and the
      // headers are immutable as in workerd. `body`: bytes, a body source (a streamed upload,
      // lib.body.fromHost) or null.
      lib.newIncomingRequest = (method, url, headerPairs, body, cf) => {
        const r = new Request(kConstruct);
        r.#method = String(method);
        r.#url = String(url);
        r.#headers = H.fromPairs(headerPairs || [], true);
        r.#source = body === null || body === undefined ? null
          : lib.body.isSource(body) ? body : fromBytes(body);
        r.#cf = cf;
        return r;
      };
    }

    get method() { return this.#method; }
    get url() { return this.#url; }
    get headers() { return this.#headers; }
    get redirect() { return this.#redirect; }
    get cf() { return this.#cf; }
    get signal() {
      if (!(#signal in this)) throw new TypeError('Illegal invocation');
      if (this.#signal === null) this.#signal = lib.newAbortSignal();
      return this.#signal;
    }

    clone() {
      checkUsable(this.#source);
      const copy = new Request(kConstruct);
      copy.#method = this.#method;
      copy.#url = this.#url;
      copy.#headers = H.copy(this.#headers);
      copy.#redirect = this.#redirect;
      copy.#cf = this.#cf;
      copy.#signal = this.#signal;
      if (this.#source !== null) [this.#source, copy.#source] = this.#source.tee();
      return copy;
    }
  }
  lib.body.installMixin(Request, lib.sourceOfRequest);
  for (const name of ['method', 'url', 'headers', 'redirect', 'cf', 'signal']) {
    Object.defineProperty(Request.prototype, name, Object.assign(
      Object.getOwnPropertyDescriptor(Request.prototype, name), { enumerable: true }));
  }
  lib.tagClass(Request, 'Request');
  lib.defineGlobal('Request', Request);
})();
