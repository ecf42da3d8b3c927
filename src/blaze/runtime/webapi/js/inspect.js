// inspect.js: value formatting for console.* and for the engine's uncaught-error reports.
//
// Follows Node's util.inspect defaults (depth 2, breakLength 80, compact 3, 100 array
// items), which is what workerd prints too. Written from observed behaviour, not ported;
// the tests compare it with Node's util.inspect. Provides lib.inspect and lib.formatLog.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  const kDepth = 2;
  const kBreakLength = 80;
  const kCompact = 3;
  const kMaxArrayLength = 100;
  const kMaxStringLength = 10000;
  const fnToString = Function.prototype.toString;
  const objToString = Object.prototype.toString;

  const kEscapes = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r',
    '\\': '\\\\' };

  function quoteString(s) {
    let quote = '\'';
    if (s.includes('\'')) {
      if (!s.includes('"')) quote = '"';
      else if (!s.includes('`') && !s.includes('${')) quote = '`';
    }
    let out = '';
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (ch === quote) out += '\\' + ch;
      else if (kEscapes[ch]) out += kEscapes[ch];
      else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
      else if (c >= 0xd800 && c <= 0xdfff) out += '\\u' + c.toString(16).toUpperCase();
      else out += ch;
    }
    return quote + out + quote;
  }

  function formatKey(key) {
    // workerd prints symbol keys bare (Node 20 brackets them).
    if (typeof key === 'symbol') return key.toString();
    return /^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key) ? key : quoteString(key);
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? '-0' : String(n);
  }

  function formatPrimitive(v) {
    switch (typeof v) {
      case 'string': {
        const cut = v.length > kMaxStringLength;
        const s = quoteString(cut ? v.slice(0, kMaxStringLength) : v);
        return cut ? `${s}... ${v.length - kMaxStringLength} more characters` : s;
      }
      case 'number': return formatNumber(v);
      case 'bigint': return `${v}n`;
      case 'symbol': return v.toString();
      default: return String(v);
    }
  }

  function constructorName(obj) {
    let proto = obj;
    while (proto !== null) {
      const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
      if (desc && typeof desc.value === 'function' && desc.value.name !== '') {
        return desc.value.name;
      }
      proto = Object.getPrototypeOf(proto);
    }
    return null;
  }

  function functionBase(fn) {
    const src = fnToString.call(fn);
    const name = fn.name ? `: ${fn.name}` : ' (anonymous)';
    if (src.startsWith('class') && /^class\b/.test(src)) {
      const parent = Object.getPrototypeOf(fn);
      const ext = parent && parent.name ? ` extends ${parent.name}` : '';
      return `[class ${fn.name || '(anonymous)'}${ext}]`;
    }
    let kind = 'Function';
    const tag = objToString.call(fn);
    if (tag === '[object AsyncFunction]') kind = 'AsyncFunction';
    else if (tag === '[object GeneratorFunction]') kind = 'GeneratorFunction';
    else if (tag === '[object AsyncGeneratorFunction]') kind = 'AsyncGeneratorFunction';
    return `[${kind}${name}]`;
  }

  function errorBase(err) {
    const stack = typeof err.stack === 'string' ? err.stack : '';
    let header;
    try { header = String(err); } catch (_) { header = '[Error]'; }
    if (stack === '') return `[${header}]`;
    // V8-format stacks (js::StackFormat::V8) already start with the header; SpiderMonkey's
    // default format lists frames only, so print the header and indent the frames.
    if (stack.includes('\n    at ') || stack.startsWith(header)) return stack.replace(/\n+$/, '');
    const frames = stack.replace(/\n+$/, '').split('\n').map((f) => '    at ' + f);
    return [header, ...frames].join('\n');
  }

  class State {
    constructor(maxDepth = kDepth) {
      this.maxDepth = maxDepth;
      this.seen = [];
      this.circular = new Map();
      this.indent = 0;
      // Depth of the object formatted last; like Node, an object stays on one line only
      // when that is less than `compact` levels below it.
      this.currentDepth = 0;
    }
  }

  function formatValue(state, v, depth, top) {
    if ((typeof v !== 'object' || v === null) && typeof v !== 'function') {
      return top && typeof v === 'string' ? v : formatPrimitive(v);
    }
    if (state.seen.includes(v)) {
      let id = state.circular.get(v);
      if (id === undefined) {
        id = state.circular.size + 1;
        state.circular.set(v, id);
      }
      return `[Circular *${id}]`;
    }
    return formatObject(state, v, depth);
  }

  // Returns { base, braces, entries, kind } describing how an object opens and what it lists.
  function describe(state, v, depth) {
    const ctor = constructorName(v);
    const tag = v[Symbol.toStringTag];
    let prefix = ctor === null ? '[Object: null prototype]' : ctor;
    if (typeof tag === 'string' && tag !== '' && tag !== ctor) {
      prefix = `${prefix === null ? 'Object' : prefix} [${tag}]`;
    }
    const keys = ownKeys(v);
    const desc = { base: '', braces: ['{', '}'], entries: [], keys, array: false, prefix };
    const sub = (x) => formatValue(state, x, depth + 1, false);

    if (typeof v === 'function') {
      desc.base = functionBase(v);
      desc.keys = keys.filter((k) => k !== 'prototype');
    } else if (Array.isArray(v)) {
      const p = ctor === 'Array' ? '' : `${prefix}(${v.length}) `;
      desc.braces = [`${p}[`, ']'];
      desc.array = true;
      desc.entries = formatArrayLike(v, sub);
      desc.keys = keys.filter((k) => !isIndex(k) && k !== 'length');
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      desc.braces = [`${prefix}(${v.length}) [`, ']'];
      desc.array = true;
      desc.entries = formatArrayLike(v, sub);
      desc.keys = keys.filter((k) => !isIndex(k));
    } else if (v instanceof ArrayBuffer) {
      const bytes = new Uint8Array(v, 0, Math.min(v.byteLength, 50));
      let hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
      if (v.byteLength > 50) hex += ` ... ${v.byteLength - 50} more bytes`;
      desc.braces = [`${prefix} {`, '}'];
      desc.entries = [`[Uint8Contents]: <${hex}>`, `byteLength: ${v.byteLength}`];
    } else if (v instanceof Map) {
      desc.braces = [`${prefix}(${v.size}) {`, '}'];
      for (const [k, x] of v) desc.entries.push(`${sub(k)} => ${sub(x)}`);
    } else if (v instanceof Set) {
      desc.braces = [`${prefix}(${v.size}) {`, '}'];
      desc.array = true;
      for (const x of v) desc.entries.push(sub(x));
    } else if (v instanceof Date) {
      desc.base = Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    } else if (v instanceof RegExp) {
      desc.base = RegExp.prototype.toString.call(v);
      desc.keys = keys.filter((k) => k !== 'lastIndex');
    } else if (v instanceof Error) {
      desc.base = errorBase(v);
      desc.keys = keys.filter((k) => k !== 'stack' && k !== 'message');
    } else if (v instanceof Promise) {
      // No engine hook exposes a promise's state to JS; say so rather than guess.
      desc.braces = [`${prefix} {`, '}'];
      desc.entries = ['<unknown>'];
    } else if (v instanceof WeakMap || v instanceof WeakSet) {
      desc.braces = [`${prefix} {`, '}'];
      desc.entries = ['<items unknown>'];
    } else if (isBoxed(v)) {
      const inner = formatPrimitive(v.valueOf());
      const type = typeof v.valueOf();
      const name = type === 'bigint' ? 'BigInt' : type[0].toUpperCase() + type.slice(1);
      desc.base = `[${name}: ${inner}]`;
      if (type === 'string') desc.keys = keys.filter((k) => !isIndex(k) && k !== 'length');
    } else if (ctor !== 'Object' || prefix !== 'Object') {
      desc.braces = [`${prefix} {`, '}'];
    }
    return desc;
  }

  function isBoxed(v) {
    return v instanceof Number || v instanceof String || v instanceof Boolean ||
      v instanceof BigInt || v instanceof Symbol;
  }

  function isIndex(k) {
    return typeof k === 'string' && /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;
  }

  function ownKeys(v) {
    const keys = Object.keys(v);
    for (const s of Object.getOwnPropertySymbols(v)) {
      if (Object.prototype.propertyIsEnumerable.call(v, s)) keys.push(s);
    }
    return keys;
  }

  function formatArrayLike(v, sub) {
    const out = [];
    const n = Math.min(v.length, kMaxArrayLength);
    let holes = 0;
    const flushHoles = () => {
      if (holes) out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      holes = 0;
    };
    for (let i = 0; i < n; i++) {
      if (!Object.prototype.hasOwnProperty.call(v, i)) { holes++; continue; }
      flushHoles();
      out.push(sub(v[i]));
    }
    flushHoles();
    if (v.length > kMaxArrayLength) {
      const more = v.length - kMaxArrayLength;
      out.push(`... ${more} more item${more > 1 ? 's' : ''}`);
    }
    return out;
  }

  function formatProperty(state, v, key, depth) {
    const d = Object.getOwnPropertyDescriptor(v, key);
    let value;
    if (d.get || d.set) value = d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]';
    else value = formatValue(state, d.value, depth + 1, false);
    return `${formatKey(key)}: ${value}`;
  }

  function formatObject(state, v, depth) {
    if (depth > state.maxDepth) {
      // Empty literals are cheaper to print than to elide.
      if (ownKeys(v).length === 0 && typeof v !== 'function') {
        if (Array.isArray(v) && v.length === 0) return '[]';
        if (Object.getPrototypeOf(v) === Object.prototype) return '{}';
      }
      if (Array.isArray(v)) return '[Array]';
      const name = constructorName(v);
      return `[${name === null ? 'Object: null prototype' : name}]`;
    }
    state.seen.push(v);
    state.currentDepth = depth;
    state.indent += 2;
    let desc;
    try {
      desc = describe(state, v, depth);
      for (const k of desc.keys) desc.entries.push(formatProperty(state, v, k, depth));
    } finally {
      state.indent -= 2;
      state.seen.pop();
    }
    let out = join(state, desc, v, depth);
    const id = state.circular.get(v);
    if (id !== undefined) out = `<ref *${id}> ${out}`;
    return out;
  }

  function join(state, desc, v, depth) {
    let { entries } = desc;
    const { base, braces } = desc;
    if (entries.length === 0) {
      if (base !== '') return base;
      return `${braces[0]}${braces[1]}`;
    }
    if (base !== '' && braces[0] === '{' && desc.keys.length === 0) return base;
    const opener = base !== '' ? `${base} ${braces[0]}` : braces[0];
    const count = entries.length;
    if (desc.array && count > 6) entries = groupEntries(state, entries, v);
    const nested = entries.some((e) => e.includes('\n'));
    if (entries.length === count && !nested && state.currentDepth - depth < kCompact) {
      const start = count + state.indent + braces[0].length + base.length + 10;
      const total = entries.reduce((n, e) => n + e.length, count + start);
      if (total + count <= kBreakLength && !base.includes('\n')) {
        return `${opener} ${entries.join(', ')} ${braces[1]}`;
      }
    }
    const pad = '\n' + ' '.repeat(state.indent);
    return `${opener}${pad}  ${entries.join(`,${pad}  `)}${pad}${braces[1]}`;
  }

  // Long arrays of short items are laid out in aligned columns, numbers right-aligned.
  function groupEntries(state, entries, v) {
    const hasMore = entries.length > 0 && /^\.\.\. \d+ more item/.test(entries[entries.length - 1]);
    const items = hasMore ? entries.slice(0, -1) : entries;
    const lens = items.map((e) => e.length);
    const maxLen = Math.max(...lens);
    const total = lens.reduce((a, b) => a + b + 2, 0);
    const cell = maxLen + 2;
    if (!(cell * 3 + state.indent < kBreakLength && (total / cell > 5 || maxLen <= 6))) {
      return entries;
    }
    const bias = Math.sqrt(cell - total / entries.length);
    const biased = Math.max(cell - 3 - bias, 1);
    const columns = Math.min(Math.round(Math.sqrt(2.5 * biased * items.length) / biased),
      Math.floor((kBreakLength - state.indent) / cell), kCompact * 4, 15);
    if (columns <= 1) return entries;
    const widths = [];
    for (let c = 0; c < columns; c++) {
      let w = 0;
      for (let j = c; j < items.length; j += columns) w = Math.max(w, lens[j]);
      widths.push(w + 2);
    }
    const numeric = v !== undefined && Array.isArray(v) &&
      items.every((_, i) => typeof v[i] === 'number' || typeof v[i] === 'bigint');
    const rows = [];
    for (let i = 0; i < items.length; i += columns) {
      const last = Math.min(i + columns, items.length) - 1;
      let row = '';
      for (let j = i; j < last; j++) {
        const cellText = `${items[j]}, `;
        row += numeric ? cellText.padStart(widths[j - i]) : cellText.padEnd(widths[j - i]);
      }
      row += numeric ? items[last].padStart(widths[last - i] - 2) : items[last];
      rows.push(row);
    }
    if (hasMore) rows.push(entries[entries.length - 1]);
    return rows;
  }

  function inspect(v, maxDepth = kDepth) {
    return formatValue(new State(maxDepth), v, 0, false);
  }

  // printf-style substitutions apply only when the first argument is a string.
  function formatLog(args) {
    const parts = [];
    let i = 0;
    if (typeof args[0] === 'string' && args.length > 1) {
      i = 1;
      const fmt = args[0];
      let out = '';
      let last = 0;
      for (let p = 0; p < fmt.length - 1; p++) {
        if (fmt[p] !== '%') continue;
        const spec = fmt[p + 1];
        if (spec === '%') { out += fmt.slice(last, p) + '%'; last = p + 2; p++; continue; }
        if (!'sdifjoOc'.includes(spec)) continue;
        if (i >= args.length) continue;
        out += fmt.slice(last, p) + substitute(spec, args[i++]);
        last = p + 2;
        p++;
      }
      parts.push(out + fmt.slice(last));
    }
    for (; i < args.length; i++) {
      parts.push(formatValue(new State(), args[i], 0, true));
    }
    return parts.join(' ');
  }

  function substitute(spec, arg) {
    switch (spec) {
      case 's':
        if (typeof arg === 'bigint') return `${arg}n`;
        if (typeof arg === 'symbol') return arg.toString();
        // Like Node: objects without their own toString are inspected one level deep.
        if (typeof arg === 'object' && arg !== null) return inspect(arg, 0);
        return String(arg);
      case 'd':
        if (typeof arg === 'bigint') return `${arg}n`;
        if (typeof arg === 'symbol' || (typeof arg === 'object' && arg !== null)) return 'NaN';
        return formatNumber(Number(arg));
      case 'i':
        if (typeof arg === 'bigint') return `${arg}n`;
        if (typeof arg === 'symbol') return 'NaN';
        return formatNumber(parseInt(arg, 10));
      case 'f':
        return typeof arg === 'symbol' ? 'NaN' : formatNumber(parseFloat(arg));
      case 'j':
        try { return JSON.stringify(arg); } catch (e) { return '[Circular]'; }
      case 'o':
      case 'O':
        return inspect(arg);
      default: // %c: CSS is meaningless in a log line
        return '';
    }
  }

  lib.inspect = inspect;
  lib.formatLog = formatLog;
})();
