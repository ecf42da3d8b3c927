// response.js: Response with workerd's semantics: status 200-599 for constructed responses
// (fetched ones may carry anything), statusText defaulting to the standard reason phrase,
// Response.json/redirect/error, and immutable headers on redirect/error/fetched responses.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { fromBytes, extract, checkUsable } = lib.body;
  const H = lib.headers;
  const kConstruct = Symbol('Response');

  const kReasons = {
    100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
    200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information',
    204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status',
    208: 'Already Reported', 226: 'IM Used', 300: 'Multiple Choices',
    301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
    305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
    400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden',
    404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
    407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict',
    410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed',
    413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
    416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: 'I\'m a teapot',
    421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
    424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required',
    428: 'Precondition Required', 429: 'Too Many Requests',
    431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
    500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
    503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
    506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected',
    510: 'Not Extended', 511: 'Network Authentication Required',
  };

  // workerd names a status it has no phrase for by its class (observed: 299 -> "Successful").
  function classReason(status) {
    return ['', 'Informational', 'Successful', 'Redirection', 'Client Error',
      'Server Error'][Math.floor(status / 100)] || '';
  }
  const kNullBodyStatus = [101, 204, 205, 304];
  const kRedirectStatus = [301, 302, 303, 307, 308];

  function normalizeStatus(status) {
    // Web IDL "unsigned short": 200.5 becomes 200, as in workerd.
    const n = Math.trunc(Number(status));
    if (!(n >= 200 && n <= 599)) {
      throw new RangeError('Responses may only be constructed with status codes in the range ' +
        '200 to 599, inclusive.');
    }
    return n;
  }

  class Response {
    #status = 200;
    #statusText = 'OK';
    #headers;
    #source = null;
    #type = 'default';
    #url = '';
    #redirected = false;
    #cf = undefined;

    constructor(body = null, init = undefined) {
      if (body === kConstruct) return;
      const opts = init === undefined || init === null ? {} : init;
      if (opts.status !== undefined) this.#status = normalizeStatus(opts.status);
      if (opts.statusText !== undefined) {
        const text = String(opts.statusText);
        if (/[^\t\x20-\x7e\x80-\xff]/.test(text)) throw new TypeError('Invalid statusText');
        this.#statusText = text;
      } else {
        this.#statusText = kReasons[this.#status] || classReason(this.#status);
      }
      this.#headers = new globalThis.Headers(opts.headers);
      this.#cf = opts.cf;
      const extracted = extract(body);
      if (extracted !== null) {
        if (kNullBodyStatus.includes(this.#status)) {
          throw new TypeError('Response with null body status (101, 204, 205, or 304) ' +
            'cannot have a body.');
        }
        this.#source = extracted.source;
        if (extracted.contentType !== null && !this.#headers.has('content-type')) {
          H.appendUnchecked(this.#headers, 'content-type', extracted.contentType);
        }
      }
    }

    static json(data, init = undefined) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError('Value is not JSON serializable.');
      const response = new Response(text, init);
      // The JSON content type wins over the text default but not over the caller's own.
      const headers = response.#headers;
      const given = init && init.headers !== undefined ? new globalThis.Headers(init.headers) : null;
      if (given === null || !given.has('content-type')) {
        H.setUnchecked(headers, 'content-type', 'application/json');
      }
      return response;
    }

    static redirect(url, status = 302) {
      const s = String(url);
      const record = lib.urlParser.parse(lib.toUSVString(s));
      if (record === null) throw new TypeError(`Unable to parse URL: ${s}`);
      const code = Math.trunc(Number(status));
      if (!kRedirectStatus.includes(code)) {
        throw new RangeError(`${status} is not a redirect status code. It must be one of: 301, ` +
          '302, 303, 307, or 308.');
      }
      const r = new Response(kConstruct);
      r.#status = code;
      r.#statusText = kReasons[code];
      r.#headers = H.fromPairs([['location', lib.urlParser.serialize(record)]], true);
      return r;
    }

    static error() {
      const r = new Response(kConstruct);
      r.#status = 0;
      r.#statusText = '';
      r.#type = 'error';
      r.#headers = H.fromPairs([], true);
      return r;
    }

    static {
      lib.sourceOfResponse = (r) => {
        if (!(#source in r)) throw new TypeError('Illegal invocation');
        return r.#source;
      };
      lib.isResponse = (r) => r !== null && typeof r === 'object' && #source in r;
      // A response produced by host.fetch: any status, immutable headers. A body still
      // arriving from the origin comes as a host handle and is read as the worker pulls it.
      lib.newFetchedResponse = (result, requestUrl) => {
        const r = new Response(kConstruct);
        r.#status = result.status;
        r.#statusText = String(result.statusText || '');
        r.#headers = H.fromPairs(result.headers || [], true);
        const body = result.body;
        if (result.bodyHandle !== undefined) r.#source = lib.body.fromHost(result.bodyHandle);
        else r.#source = body === null || body === undefined ? null : fromBytes(body);
        r.#url = String(result.url || requestUrl).replace(/#.*$/, '');
        r.#redirected = Boolean(result.redirected);
        return r;
      };
    }

    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get headers() { return this.#headers; }
    get type() { return this.#type; }
    get url() { return this.#url; }
    get redirected() { return this.#redirected; }
    get cf() { return this.#cf; }
    get webSocket() { return null; }

    clone() {
      checkUsable(this.#source);
      const copy = new Response(kConstruct);
      copy.#status = this.#status;
      copy.#statusText = this.#statusText;
      copy.#headers = H.copy(this.#headers);
      if (this.#type === 'error' || this.#url !== '') H.setImmutable(copy.#headers);
      copy.#type = this.#type;
      copy.#url = this.#url;
      copy.#redirected = this.#redirected;
      copy.#cf = this.#cf;
      if (this.#source !== null) [this.#source, copy.#source] = this.#source.tee();
      return copy;
    }
  }
  lib.body.installMixin(Response, lib.sourceOfResponse);
  for (const name of ['status', 'statusText', 'ok', 'headers', 'type', 'url', 'redirected',
    'cf', 'webSocket']) {
    Object.defineProperty(Response.prototype, name, Object.assign(
      Object.getOwnPropertyDescriptor(Response.prototype, name), { enumerable: true }));
  }
  lib.tagClass(Response, 'Response');
  lib.defineGlobal('Response', Response);
})();
