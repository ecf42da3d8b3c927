// performance.js: the `performance` global (High Resolution Time subset workerd exposes:
// now() and timeOrigin).
//
// workerd reports timeOrigin 0 and performance.now() equal to Date.now(), i.e. milliseconds
// since the Unix epoch, and both advance only across I/O (Spectre mitigation); observed with
// wrangler 4. We do the same over the host clock: performance.now() is __blazeHost.now() and
// timeOrigin is 0, so `performance.timeOrigin + performance.now()` is the current time in both
// runtimes. Whether the clock is frozen between I/O is up to the engine's now(), exactly as
// for Date.now(). The Performance class itself is not a global (as in workerd).
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;

  const kConstruct = Symbol('Performance construct');

  class Performance {
    constructor(token) {
      if (token !== kConstruct) throw new TypeError('Illegal constructor');
    }
    get timeOrigin() {
      if (!(this instanceof Performance)) throw lib.illegalInvocation();
      return 0;
    }
    now() {
      if (!(this instanceof Performance)) throw lib.illegalInvocation();
      return host.now();
    }
  }
  lib.tagClass(Performance, 'Performance');

  lib.defineGlobal('performance', new Performance(kConstruct));
})();
