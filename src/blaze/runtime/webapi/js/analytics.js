// analytics.js: Analytics Engine dataset bindings (`env.VITALS`, kind 'analytics'):
// writeDataPoint({indexes, blobs, doubles}) with workerd's conversions and errors (observed on
// workerd 2026-04-26 run directly; wrangler dev's stand-in checks nothing). The host side is
// bindings/analytics_binding.cc (op write).
//   Synchronous, as in workerd: a non-object event is a TypeError; `indexes`, `blobs` and
//   `doubles` must be arrays when present; blobs and indexes become strings (String(v)) unless
//   null/undefined (none) or ArrayBuffers/views (bytes); doubles become numbers (Number(v),
//   BigInt is a TypeError). Returns undefined.
//   After returning, as in workerd: the limits (20 blobs, 20 doubles, 1 index of at most 96
//   bytes, blobs at most 16000 bytes together) are checked when the point is written; a point
//   over them is dropped and reported as an uncaught TypeError in the worker's log, e.g.
//   "Uncaught TypeError: writeDataPoint(): Maximum of 20 blobs supported."
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;
  const kConstruct = Symbol('AnalyticsEngine');
  const kNotAnEvent = 'Failed to execute \'writeDataPoint\' on \'AnalyticsEngine\': parameter 1 ' +
    'is not of type \'AnalyticsEngineEvent\'.';

  function arrayField(event, name) {
    const value = event[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      throw new TypeError(`Incorrect type for the '${name}' field on 'AnalyticsEngineEvent': ` +
        'the provided value is not of type \'Array\'.');
    }
    return value;
  }

  function bytesOrString(value) {
    if (value === null || value === undefined) return null;
    if (lib.isBufferSource(value)) return lib.copyBytes(value);
    return String(value);
  }

  // JSON has no NaN or Infinity: those travel as strings.
  function toDouble(value) {
    if (typeof value === 'bigint') throw new TypeError('Cannot convert a BigInt value to a number');
    const n = Number(value);
    return Number.isFinite(n) ? n : String(n);
  }

  class AnalyticsEngine {
    #handle;
    constructor(key, handle) {
      if (key !== kConstruct) throw new TypeError('Illegal constructor');
      this.#handle = handle;
    }

    writeDataPoint(...args) {
      const event = args[0];
      const point = {};
      if (event !== undefined && event !== null) {
        if (typeof event !== 'object' && typeof event !== 'function') {
          throw new TypeError(kNotAnEvent);
        }
        const indexes = arrayField(event, 'indexes');
        const blobs = arrayField(event, 'blobs');
        const doubles = arrayField(event, 'doubles');
        if (indexes !== undefined) point.indexes = indexes.map(bytesOrString);
        if (blobs !== undefined) point.blobs = blobs.map(bytesOrString);
        if (doubles !== undefined) point.doubles = doubles.map(toDouble);
      }
      lib.bindings.call(this.#handle, 'write', point).then(undefined, (e) => {
        const message = e && e.message !== undefined ? e.message : String(e);
        lib.reportError(e && e.code === 'InvalidArgument' ? new TypeError(message) : new Error(message));
      });
      return undefined;
    }
  }
  lib.tagClass(AnalyticsEngine, 'AnalyticsEngine');

  lib.bindings.register('analytics', (handle) => new AnalyticsEngine(kConstruct, handle));
})();
