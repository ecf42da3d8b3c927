// console.js: the `console` global. Each call formats its arguments with lib.formatLog and
// hands one finished line to host.log; the engine decides where it goes (tail, stored logs).
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;

  let groupIndent = '';
  const timers = new Map();
  const counters = new Map();

  function emit(level, args) {
    let line = lib.formatLog(args);
    if (groupIndent !== '') line = groupIndent + line.split('\n').join('\n' + groupIndent);
    host.log(level, line);
  }

  function labelOf(label) {
    return label === undefined ? 'default' : String(label);
  }

  function elapsed(label) {
    const ms = host.now() - timers.get(label);
    return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${+ms.toFixed(3)}ms`;
  }

  const console = {
    log(...args) { emit('log', args); },
    info(...args) { emit('info', args); },
    debug(...args) { emit('debug', args); },
    warn(...args) { emit('warn', args); },
    error(...args) { emit('error', args); },
    // Tables need a terminal; workerd's log sinks get the plain value.
    table(...args) { emit('log', args); },
    dir(value) { host.log('log', lib.inspect(value)); },
    dirxml(...args) { emit('log', args); },
    trace(...args) {
      const stack = new Error().stack || '';
      const frames = stack.split('\n').slice(1).filter((f) => f !== '');
      emit('log', ['Trace' + (args.length ? ': ' + lib.formatLog(args) : '') +
        (frames.length ? '\n    at ' + frames.join('\n    at ') : '')]);
    },
    assert(condition, ...args) {
      if (condition) return;
      if (args.length === 0) emit('error', ['Assertion failed']);
      else if (typeof args[0] === 'string') emit('error', ['Assertion failed: ' + args[0], ...args.slice(1)]);
      else emit('error', ['Assertion failed:', ...args]);
    },
    count(label) {
      const key = labelOf(label);
      const n = (counters.get(key) || 0) + 1;
      counters.set(key, n);
      emit('info', [`${key}: ${n}`]);
    },
    countReset(label) {
      const key = labelOf(label);
      if (!counters.has(key)) emit('warn', [`Count for '${key}' does not exist`]);
      counters.set(key, 0);
    },
    time(label) {
      const key = labelOf(label);
      if (timers.has(key)) {
        emit('warn', [`Warning: Label '${key}' already exists for console.time()`]);
        return;
      }
      timers.set(key, host.now());
    },
    timeLog(label, ...data) {
      const key = labelOf(label);
      if (!timers.has(key)) {
        emit('warn', [`Warning: No such label '${key}' for console.timeLog()`]);
        return;
      }
      emit('info', [`${key}: ${elapsed(key)}`, ...data]);
    },
    timeEnd(label) {
      const key = labelOf(label);
      if (!timers.has(key)) {
        emit('warn', [`Warning: No such label '${key}' for console.timeEnd()`]);
        return;
      }
      emit('info', [`${key}: ${elapsed(key)}`]);
      timers.delete(key);
    },
    group(...args) {
      if (args.length) emit('log', args);
      groupIndent += '  ';
    },
    groupCollapsed(...args) { console.group(...args); },
    groupEnd() { groupIndent = groupIndent.slice(0, -2); },
    clear() {},
  };
  Object.defineProperty(console, Symbol.toStringTag, { value: 'console', configurable: true });

  lib.reportError = function reportError(err) {
    try {
      host.log('error', 'Uncaught ' + lib.formatLog([err]));
    } catch (_) { /* reporting must never throw into the event loop */ }
  };
  // A rejection nobody handled (events.js): "Uncaught (in promise) <reason>", as V8 words it.
  lib.reportRejection = function reportRejection(reason) {
    try {
      host.log('error', 'Uncaught (in promise) ' + lib.formatLog([reason]));
    } catch (_) { /* reporting must never throw into the event loop */ }
  };
  lib.defineGlobal('console', console);
})();
