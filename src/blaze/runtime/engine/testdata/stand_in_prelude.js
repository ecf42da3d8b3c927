// Stand-in for the real Web API prelude (runtime/webapi/js), used by the engine tests only.
// Implements just enough of the __blazeHost.internal contract and a few globals.
(() => {
  const host = globalThis.__blazeHost;
  delete globalThis.__blazeHost;
  const enc = (s) => host.utf8Encode(String(s));
  const dec = (u8) => host.utf8Decode(u8, false, false);

  class Response {
    constructor(body = null, init = {}) {
      this.body = body;
      this.status = init.status ?? 200;
      this.statusText = init.statusText ?? '';
      this.headers = Object.entries(init.headers ?? {});
      this.url = init.url ?? '';
      this.redirected = init.redirected ?? false;
    }
    async text() { return typeof this.body === 'string' ? this.body : this.body ? dec(this.body) : ''; }
    async json() { return JSON.parse(await this.text()); }
  }
  class Request {
    constructor(init) { Object.assign(this, init); }
    async text() { return this.body ? dec(this.body) : ''; }
  }
  const fmt = (args) => args.map((a) => typeof a === 'string' ? a : JSON.stringify(a)).join(' ');
  globalThis.Response = Response;
  globalThis.console = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug'])
    globalThis.console[level] = (...args) => host.log(level, fmt(args));
  globalThis.setTimeout = (fn, ms, ...args) => host.setTimer(() => fn(...args), ms ?? 0, false);
  globalThis.setInterval = (fn, ms, ...args) => host.setTimer(() => fn(...args), ms ?? 0, true);
  globalThis.clearTimeout = globalThis.clearInterval = (id) => host.clearTimer(id);
  globalThis.randomBytes = (n) => host.randomFill(new Uint8Array(n));
  globalThis.hostNow = () => host.now();
  globalThis.rawBindingCall = (handle, op) => host.bindingCall(handle, op, '{}', []);
  globalThis.rawBindingCallNow = (handle, op) => host.bindingCallNow(handle, op, '{}');
  globalThis.fetch = async (url, init = {}) => {
    const r = await host.fetch({
      method: init.method ?? 'GET', url: String(url), headers: Object.entries(init.headers ?? {}),
      body: init.body == null ? null : enc(init.body), redirect: init.redirect ?? 'follow',
    });
    return new Response(r.body, { status: r.status, statusText: r.statusText,
      headers: Object.fromEntries(r.headers), url: r.url, redirected: r.redirected });
  };
  Object.assign(host.internal, {
    newRequest: (init) => new Request(init),
    readResponse: (r) => {
      if (!(r instanceof Response)) throw new TypeError('fetch() must return a Response');
      return { status: r.status, statusText: r.statusText, headers: r.headers,
               body: typeof r.body === 'string' ? enc(r.body) : r.body };
    },
    newExecutionContext: (hooks) => ({
      waitUntil: (p) => hooks.waitUntil(p),
      passThroughOnException() {},
    }),
    formatLog: (...args) => fmt(args),
    reportUnhandledRejection: (promise, reason) =>
      host.log('error', 'Uncaught (in promise) ' + (reason instanceof Error ? reason.message : fmt([reason]))),
    // env bindings: call(op, args, buffers) -> {value, buffers}
    makeBinding: (kind, handle) => ({
      kind,
      call: async (op, args, buffers = []) => {
        const reply = await host.bindingCall(handle, op, JSON.stringify(args), buffers);
        const [json, out] = typeof reply === 'string' ? [reply, []] : reply;
        return { value: JSON.parse(json), buffers: out.map(dec) };
      },
    }),
  });
})();
