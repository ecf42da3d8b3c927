// url_pattern_parser.js: the URL Pattern Standard's pattern-string machinery, written from the
// spec text: the tokenizer (strict and lenient policies), the pattern parser (a part list per
// component, fixed text canonicalized through an encoding callback), and the generators
// from a part list to a RegExp source plus group names and back to a pattern string.
// url_pattern.js builds URLPattern on top of it.
// Provides lib.urlPatternParser = { tokenize, parsePattern, generateRegexp,
// generatePatternString, escapePatternString, isNameCodePoint, T }.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;

  // ---- Tokenizer ---------------------------------------------------------------------------
  const T = {
    OPEN: 'open', CLOSE: 'close', REGEXP: 'regexp', NAME: 'name', CHAR: 'char',
    ESCAPED: 'escaped-char', MODIFIER: 'other-modifier', ASTERISK: 'asterisk', END: 'end',
    INVALID: 'invalid-char',
  };
  const kNameStart = /^[$_\p{ID_Start}]$/u;
  const kNamePart = /^[$_\u200C\u200D\p{ID_Continue}]$/u;
  const isNameCodePoint = (c, first) => (first ? kNameStart : kNamePart).test(c);
  const isAscii = (c) => c.codePointAt(0) <= 0x7f;

  function patternError(message) {
    return new TypeError(message);
  }

  // policy 'strict' throws on invalid input, 'lenient' emits invalid-char tokens.
  function tokenize(input, policy) {
    const tokens = [];
    let index = 0;
    const cpAt = (i) => String.fromCodePoint(input.codePointAt(i));
    const add = (type, at, next, value) => {
      tokens.push({ type, index: at, value: value === undefined ? input.slice(at, next) : value });
      index = next;
    };
    // Messages as workerd words them, e.g. "invalid regex start at 1".
    const fail = (at, next, why) => {
      if (policy === 'strict') throw patternError(`Syntax error in URL Pattern: ${why}`);
      add(T.INVALID, at, next);
    };
    while (index < input.length) {
      const c = cpAt(index);
      const next = index + c.length;
      if (c === '*') { add(T.ASTERISK, index, next); continue; }
      if (c === '+' || c === '?') { add(T.MODIFIER, index, next); continue; }
      if (c === '\\') {
        if (next >= input.length) { fail(index, next, `invalid escape character at ${index}`); continue; }
        const escaped = cpAt(next);
        add(T.ESCAPED, index, next + escaped.length, escaped);
        continue;
      }
      if (c === '{') { add(T.OPEN, index, next); continue; }
      if (c === '}') { add(T.CLOSE, index, next); continue; }
      if (c === ':') {
        let pos = next;
        while (pos < input.length) {
          const n = cpAt(pos);
          if (!isNameCodePoint(n, pos === next)) break;
          pos += n.length;
        }
        if (pos === next) { fail(index, next, `invalid name start at ${index}`); continue; }
        add(T.NAME, index, pos, input.slice(next, pos));
        continue;
      }
      if (c === '(') {
        const end = scanRegexp(input, next, cpAt);
        if (typeof end !== 'number') {
          fail(index, next, `invalid regex ${end.what} at ${end.what === 'start' ? index : end.at}`);
          continue;
        }
        add(T.REGEXP, index, end, input.slice(next, end - 1));
        continue;
      }
      add(T.CHAR, index, next);
    }
    tokens.push({ type: T.END, index: input.length, value: '' });
    return tokens;
  }

  // Scans a regexp group body starting after '('. Returns the index after the closing ')',
  // or { what: 'start' | 'character', at } saying what is wrong.
  function scanRegexp(input, start, cpAt) {
    let depth = 1;
    let pos = start;
    while (pos < input.length) {
      const c = cpAt(pos);
      if (!isAscii(c)) return { what: 'character', at: pos };
      if (pos === start && c === '?') return { what: 'start', at: pos };
      if (c === '\\') {
        if (pos + 1 >= input.length) return { what: 'start', at: pos };
        if (!isAscii(cpAt(pos + 1))) return { what: 'character', at: pos + 1 };
        pos += 2;
        continue;
      }
      if (c === ')') {
        depth--;
        if (depth === 0) {
          return pos + 1; // workerd accepts an empty group "()"; the spec refuses it
        }
      } else if (c === '(') {
        depth++;
        if (pos + 1 >= input.length) return { what: 'start', at: pos };
        if (input[pos + 1] !== '?') return { what: 'character', at: pos };
      }
      pos++;
    }
    return { what: 'start', at: start };
  }

  // ---- Pattern parser -----------------------------------------------------------------------
  const M = { NONE: '', OPTIONAL: '?', ZERO_OR_MORE: '*', ONE_OR_MORE: '+' };
  const PT = { FIXED: 'fixed-text', REGEXP: 'regexp', SEGMENT: 'segment-wildcard',
    FULL: 'full-wildcard' };
  const kFullWildcard = '.*';

  const escapeRegexpString = (s) => s.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&');
  const escapePatternString = (s) => s.replace(/[+*?:{}()\\]/g, '\\$&');
  // workerd's segment wildcard is greedy ("[^\\/]+"; the spec says "[^\\/]+?"), which decides how
// "/:a-:b" splits "x-y-z" (a = "x-y").
  const segmentWildcardRegexp = (options) =>
    (options.delimiter === '' ? '[^]+' : `[^\\${options.delimiter}]+`);

  function parsePattern(input, options, encode) {
    const tokens = tokenize(input, 'strict');
    const parts = [];
    const segmentWildcard = segmentWildcardRegexp(options);
    let index = 0;
    let pending = '';
    let nextNumericName = 0;
    const tryConsume = (type) => {
      const token = tokens[index];
      if (token.type !== type) return null;
      index++;
      return token;
    };
    const tryModifier = () => tryConsume(T.MODIFIER) || tryConsume(T.ASTERISK);
    const tryRegexpOrWildcard = (name) => {
      const token = tryConsume(T.REGEXP);
      return token === null && name === null ? tryConsume(T.ASTERISK) : token;
    };
    const consumeRequired = (type) => {
      const token = tryConsume(type);
      if (token === null) {
        const found = tokens[index];
        throw patternError(type === T.CLOSE ? 'Syntax error in URL Pattern: Missing required ' +
          'close token' : `Syntax error in URL Pattern: unexpected ${found.type} at ${found.index}`);
      }
      return token;
    };
    const consumeText = () => {
      let out = '';
      for (;;) {
        const token = tryConsume(T.CHAR) || tryConsume(T.ESCAPED);
        if (token === null) return out;
        out += token.value;
      }
    };
    const flushPending = () => {
      if (pending === '') return;
      parts.push({ type: PT.FIXED, value: encode(pending), modifier: M.NONE, name: '',
        prefix: '', suffix: '' });
      pending = '';
    };
    const addPart = (prefix, nameToken, regexpToken, suffix, modifierToken) => {
      const modifier = modifierToken === null ? M.NONE : modifierToken.value;
      if (nameToken === null && regexpToken === null && modifier === M.NONE) {
        pending += prefix;
        return;
      }
      flushPending();
      if (nameToken === null && regexpToken === null) {
        if (prefix === '') return;
        parts.push({ type: PT.FIXED, value: encode(prefix), modifier, name: '', prefix: '',
          suffix: '' });
        return;
      }
      let value;
      if (regexpToken === null) value = segmentWildcard;
      else if (regexpToken.type === T.ASTERISK) value = kFullWildcard;
      else value = regexpToken.value;
      let type = PT.REGEXP;
      if (value === segmentWildcard) { type = PT.SEGMENT; value = ''; }
      else if (value === kFullWildcard) { type = PT.FULL; value = ''; }
      const name = nameToken !== null ? nameToken.value : String(nextNumericName++);
      if (parts.some((p) => p.type !== PT.FIXED && p.name === name)) {
        throw patternError(`Syntax error in URL Pattern: Duplicated part names [${name}]`);
      }
      parts.push({ type, value, modifier, name, prefix: encode(prefix), suffix: encode(suffix) });
    };
    while (index < tokens.length) {
      const charToken = tryConsume(T.CHAR);
      let nameToken = tryConsume(T.NAME);
      let regexpToken = tryRegexpOrWildcard(nameToken);
      if (nameToken !== null || regexpToken !== null) {
        let prefix = charToken === null ? '' : charToken.value;
        if (prefix !== '' && prefix !== options.prefix) {
          pending += prefix;
          prefix = '';
        }
        flushPending();
        addPart(prefix, nameToken, regexpToken, '', tryModifier());
        continue;
      }
      const fixedToken = charToken || tryConsume(T.ESCAPED);
      if (fixedToken !== null) {
        pending += fixedToken.value;
        continue;
      }
      if (tryConsume(T.OPEN) !== null) {
        const prefix = consumeText();
        nameToken = tryConsume(T.NAME);
        regexpToken = tryRegexpOrWildcard(nameToken);
        const suffix = consumeText();
        consumeRequired(T.CLOSE);
        addPart(prefix, nameToken, regexpToken, suffix, tryModifier());
        continue;
      }
      flushPending();
      consumeRequired(T.END);
    }
    return parts;
  }

  // ---- Generators ---------------------------------------------------------------------------
  function generateRegexp(parts, options) {
    let out = '^';
    const names = [];
    for (const part of parts) {
      if (part.type === PT.FIXED) {
        out += part.modifier === M.NONE ? escapeRegexpString(part.value)
          : `(?:${escapeRegexpString(part.value)})${part.modifier}`;
        continue;
      }
      names.push(part.name);
      let value = part.value;
      if (part.type === PT.SEGMENT) value = segmentWildcardRegexp(options);
      else if (part.type === PT.FULL) value = kFullWildcard;
      const single = part.modifier === M.NONE || part.modifier === M.OPTIONAL;
      if (part.prefix === '' && part.suffix === '') {
        out += single ? `(${value})${part.modifier}` : `((?:${value})${part.modifier})`;
        continue;
      }
      const prefix = escapeRegexpString(part.prefix);
      const suffix = escapeRegexpString(part.suffix);
      if (single) {
        out += `(?:${prefix}(${value})${suffix})${part.modifier}`;
        continue;
      }
      out += `(?:${prefix}((?:${value})(?:${suffix}${prefix}(?:${value}))*)${suffix})`;
      if (part.modifier === M.ZERO_OR_MORE) out += '?';
    }
    return { source: out + '$', names };
  }

  const isNumericName = (name) => name[0] >= '0' && name[0] <= '9';

  function generatePatternString(parts, options) {
    let out = '';
    parts.forEach((part, i) => {
      const previous = i > 0 ? parts[i - 1] : null;
      const next = i + 1 < parts.length ? parts[i + 1] : null;
      if (part.type === PT.FIXED) {
        out += part.modifier === M.NONE ? escapePatternString(part.value)
          : `{${escapePatternString(part.value)}}${part.modifier}`;
        return;
      }
      const customName = !isNumericName(part.name);
      let grouping = part.suffix !== '' || (part.prefix !== '' && part.prefix !== options.prefix);
      if (!grouping && customName && part.type === PT.SEGMENT && part.modifier === M.NONE &&
          next !== null && next.prefix === '' && next.suffix === '') {
        grouping = next.type === PT.FIXED
          ? isNameCodePoint(String.fromCodePoint(next.value.codePointAt(0) || 0), false)
          : isNumericName(next.name);
      }
      if (!grouping && part.prefix === '' && previous !== null && previous.type === PT.FIXED &&
          previous.value.endsWith(options.prefix) && options.prefix !== '') {
        grouping = true;
      }
      if (grouping) out += '{';
      out += escapePatternString(part.prefix);
      if (customName) out += ':' + part.name;
      if (part.type === PT.REGEXP) {
        out += `(${part.value})`;
      } else if (part.type === PT.SEGMENT && !customName) {
        out += `(${segmentWildcardRegexp(options)})`;
      } else if (part.type === PT.FULL) {
        const star = !customName && (previous === null || previous.type === PT.FIXED ||
          previous.modifier !== M.NONE || grouping || part.prefix !== '');
        out += star ? '*' : `(${kFullWildcard})`;
      }
      if (part.type === PT.SEGMENT && customName && part.suffix !== '' &&
          isNameCodePoint(String.fromCodePoint(part.suffix.codePointAt(0)), false)) {
        out += '\\';
      }
      out += escapePatternString(part.suffix);
      if (grouping) out += '}';
      out += part.modifier;
    });
    return out;
  }

  lib.urlPatternParser = { tokenize, parsePattern, generateRegexp, generatePatternString,
    escapePatternString, isNameCodePoint, T };
})();
