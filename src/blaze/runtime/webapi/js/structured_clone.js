// structured_clone.js: structuredClone(value, { transfer }) following the HTML structured
// clone algorithm, done in one pass (serialize and deserialize fused) with a memory map so
// cycles and shared references come out with the same shape.
//
// The engine could do this natively with JS_StructuredClone; doing it in JS keeps error
// messages (DataCloneError "<value> could not be cloned.") identical to workerd and lets
// the Node tests cover it. Transfer is not supported yet: a non-empty transfer list throws
// NotSupportedError.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { DOMException } = lib;

  const kErrorNames = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError',
    'SyntaxError', 'TypeError', 'URIError']);
  const fnToString = Function.prototype.toString;
  const objToString = Object.prototype.toString;

  function uncloneable(value) {
    let text;
    try {
      text = typeof value === 'function' ? fnToString.call(value) : String(value);
    } catch (_) {
      text = objToString.call(value);
    }
    return new DOMException(`${text} could not be cloned.`, 'DataCloneError');
  }

  // Objects with internal state we cannot see or reproduce (and our own platform classes,
  // checked by tag because they are defined later in the prelude).
  const kUncloneableTags = new Set(['[object Promise]', '[object WeakMap]', '[object WeakSet]',
    '[object WeakRef]', '[object Headers]', '[object Request]', '[object Response]',
    '[object URL]', '[object URLSearchParams]', '[object TextEncoder]', '[object TextDecoder]',
    '[object Crypto]', '[object Navigator]', '[object ExecutionContext]',
    '[object SharedArrayBuffer]', '[object Generator]', '[object FinalizationRegistry]']);

  function cloneError(err, memory, recurse) {
    const nameValue = err.name;
    const name = kErrorNames.has(nameValue) ? nameValue : 'Error';
    const messageDesc = Object.getOwnPropertyDescriptor(err, 'message');
    const message = messageDesc && 'value' in messageDesc ? String(messageDesc.value) : undefined;
    const Ctor = globalThis[name];
    const out = message === undefined ? new Ctor() : new Ctor(message);
    memory.set(err, out);
    if (Object.prototype.hasOwnProperty.call(err, 'cause')) {
      Object.defineProperty(out, 'cause', { value: recurse(err.cause), writable: true,
        configurable: true, enumerable: false });
    }
    if (typeof err.stack === 'string') {
      Object.defineProperty(out, 'stack', { value: err.stack, writable: true,
        configurable: true, enumerable: false });
    }
    return out;
  }

  function cloneView(view, recurse) {
    const buffer = recurse(view.buffer);
    if (view instanceof DataView) return new DataView(buffer, view.byteOffset, view.byteLength);
    return new view.constructor(buffer, view.byteOffset, view.length);
  }

  function clone(root) {
    const memory = new Map();
    const recurse = (value) => {
      const type = typeof value;
      if (type === 'symbol' || type === 'function') throw uncloneable(value);
      if (type !== 'object' || value === null) return value;
      if (memory.has(value)) return memory.get(value);
      return cloneObject(value, memory, recurse);
    };
    return recurse(root);
  }

  function cloneObject(value, memory, recurse) {
    const tag = objToString.call(value);
    if (kUncloneableTags.has(tag)) throw uncloneable(value);
    let out;
    if (value instanceof Boolean) out = new Boolean(value.valueOf());
    else if (value instanceof Number) out = new Number(value.valueOf());
    else if (value instanceof String) out = new String(value.valueOf());
    else if (value instanceof BigInt) out = Object(value.valueOf());
    else if (value instanceof Symbol) throw uncloneable(value);
    else if (value instanceof Date) out = new Date(value.getTime());
    else if (value instanceof RegExp) out = new RegExp(value.source, value.flags);
    else if (value instanceof ArrayBuffer) out = value.slice(0);
    else if (ArrayBuffer.isView(value)) out = cloneView(value, recurse);
    else if (value instanceof DOMException) out = new DOMException(value.message, value.name);
    else if (value instanceof Error) return cloneError(value, memory, recurse);
    if (out !== undefined) {
      memory.set(value, out);
      return out;
    }
    if (value instanceof Map) {
      const map = new Map();
      memory.set(value, map);
      // Entries are collected first so that getters running during the copy cannot add to
      // what we iterate (the spec copies the list before recursing).
      for (const [k, v] of Array.from(value)) map.set(recurse(k), recurse(v));
      return map;
    }
    if (value instanceof Set) {
      const set = new Set();
      memory.set(value, set);
      for (const v of Array.from(value)) set.add(recurse(v));
      return set;
    }
    const copy = Array.isArray(value) ? new Array(value.length) : {};
    memory.set(value, copy);
    for (const key of Object.keys(value)) copy[key] = recurse(value[key]);
    return copy;
  }

  function structuredClone(value, options = undefined) {
    if (arguments.length === 0) {
      throw new TypeError('Failed to execute \'structuredClone\': 1 argument required, but ' +
        'only 0 present.');
    }
    const transfer = options && options.transfer;
    if (transfer !== undefined && transfer !== null && Array.from(transfer).length > 0) {
      throw new DOMException('Transferring objects is not supported.', 'NotSupportedError');
    }
    return clone(value);
  }

  lib.defineGlobal('structuredClone', structuredClone);
})();
