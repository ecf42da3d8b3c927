// timers.js: setTimeout/setInterval/clear*, queueMicrotask.
//
// Ids are our own small integers (workerd returns numbers too) mapped to whatever the host's
// setTimer returns, so the host is free to use any handle type. Callback exceptions are
// reported through console.error and never reach the host.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;

  let nextId = 1;
  const active = new Map(); // our id → host id

  function delayOf(ms) {
    const n = Number(ms);
    return Number.isFinite(n) && n > 0 ? n : 0;
  }

  function schedule(name, callback, ms, args, repeat) {
    if (typeof callback !== 'function') {
      throw new TypeError(`Failed to execute '${name}': parameter 1 is not of type 'Function'.`);
    }
    const id = nextId++;
    const fire = () => {
      if (!repeat) active.delete(id);
      try {
        callback.apply(globalThis, args);
      } catch (e) {
        lib.reportError(e);
      }
    };
    active.set(id, host.setTimer(fire, delayOf(ms), repeat));
    return id;
  }

  function clear(id) {
    const key = Number(id);
    if (!active.has(key)) return;
    const hostId = active.get(key);
    active.delete(key);
    host.clearTimer(hostId);
  }

  function setTimeout(callback, ms = 0, ...args) {
    return schedule('setTimeout', callback, ms, args, false);
  }
  function setInterval(callback, ms = 0, ...args) {
    return schedule('setInterval', callback, ms, args, true);
  }
  function clearTimeout(id) { clear(id); }
  function clearInterval(id) { clear(id); }

  function queueMicrotask(callback) {
    if (typeof callback !== 'function') {
      throw new TypeError('Failed to execute \'queueMicrotask\': parameter 1 is not of type ' +
        '\'Function\'.');
    }
    Promise.resolve().then(() => {
      try {
        callback();
      } catch (e) {
        lib.reportError(e);
      }
    });
  }

  lib.defineGlobal('setTimeout', setTimeout);
  lib.defineGlobal('setInterval', setInterval);
  lib.defineGlobal('clearTimeout', clearTimeout);
  lib.defineGlobal('clearInterval', clearInterval);
  lib.defineGlobal('queueMicrotask', queueMicrotask);
})();
