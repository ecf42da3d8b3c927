// url_pattern.js: URLPattern (URL Pattern Standard), over url_pattern_parser.js: the
// "canonicalize a ..." encoding callbacks (lib.urlParser with state overrides on a dummy URL
// record), the constructor-string parser, "process a URLPattern init", compilation of the
// eight components to RegExps (flag `u`, `ui` with { ignoreCase: true }), test() and exec().
// Provides the URLPattern global.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const { urlParser: P, urlHost, toUSVString } = lib;
  const { tokenize, parsePattern, generateRegexp, generatePatternString, escapePatternString,
    T } = lib.urlPatternParser;
  const S = P.States;

  // ---- Canonicalization (encoding callbacks) ---------------------------------------------------
  // As workerd does it: through URL setters on a scratch URL. Each returns the canonical text
  // or throws a TypeError.
  const URLClass = globalThis.URL; // captured before any worker code runs
  const kSyntaxError = 'Syntax error in URL Pattern';
  const scratch = (href) => new URLClass(href);
  const fail = () => new TypeError(kSyntaxError);
  const kForbiddenHost = /[\u0000\t\n\r #%/:<>?@[\\\]^|]/;

  function canonicalizeProtocol(value) {
    if (value === '') return value;
    if (!URLClass.canParse(value + '://dummy.test')) throw fail();
    return scratch(value + '://dummy.test').protocol.slice(0, -1);
  }
  function canonicalizeUsername(value) {
    if (value === '') return value;
    const url = scratch('fake://dummy.test');
    url.username = value;
    return url.username;
  }
  function canonicalizePassword(value) {
    if (value === '') return value;
    const url = scratch('fake://dummy.test');
    url.password = value;
    return url.password;
  }
  const isIPv6Pattern = (s) =>
    s.length >= 2 && (s[0] === '[' || ((s[0] === '{' || s[0] === '\\') && s[1] === '['));
  function canonicalizeHostname(value) {
    if (value === '') return value;
    if (!isIPv6Pattern(value) && kForbiddenHost.test(value)) throw fail();
    const url = dummyURL();
    if (!P.parse(value, null, url, S.HOSTNAME) || url.host === null) throw fail();
    return urlHost.serialize(url.host);
  }
  function canonicalizeIPv6Hostname(value) {
    if (!/^[0-9a-fA-F[\]:]*$/.test(value)) throw fail();
    return value;
  }
  function canonicalizePort(value, protocol = undefined) {
    if (value === '') return value;
    const url = dummyURL();
    if (protocol !== undefined && protocol !== '') url.scheme = protocol;
    if (!/^[0-9]+$/.test(value) || !P.parse(value, null, url, S.PORT)) throw fail();
    return url.port === null ? '' : String(url.port);
  }
  function canonicalizePathname(value) {
    if (value === '') return value;
    const leadingSlash = value[0] === '/';
    const url = P.parse('fake://fake-url' + (leadingSlash ? '' : '/-') + value);
    if (url === null) throw fail();
    const path = P.serializePath(url);
    return leadingSlash ? path : path.slice(2);
  }
  function canonicalizeOpaquePathname(value) {
    if (value === '') return value;
    const url = P.parse('fake:' + value);
    if (url === null) throw fail();
    return P.serializePath(url);
  }
  function canonicalizeSearch(value) {
    if (value === '') return value;
    const url = scratch('fake://dummy.test');
    url.search = value;
    return url.search.slice(1);
  }
  function canonicalizeHash(value) {
    if (value === '') return value;
    const url = scratch('fake://dummy.test');
    url.hash = value;
    return url.hash.slice(1);
  }
  function dummyURL() {
    return { scheme: 'fake', username: '', password: '', host: null, port: null, path: [],
      query: null, fragment: null };
  }

  // ---- Components -----------------------------------------------------------------------------
  const kComponents = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname',
    'search', 'hash'];
  // workerd's list for "matches a special scheme" leaves out file.
  const kSpecialSchemes = ['http', 'https', 'ws', 'wss', 'ftp'];
  const kDefaultOptions = { delimiter: '', prefix: '' };
  const kHostnameOptions = { delimiter: '.', prefix: '' };
  const kPathnameOptions = { delimiter: '/', prefix: '/' };

  function compileComponent(input, encode, options, ignoreCase) {
    const parts = parsePattern(input, options, encode);
    const { source, names } = generateRegexp(parts, options);
    let regexp;
    try {
      regexp = new RegExp(source, ignoreCase ? 'ui' : 'u');
    } catch (e) {
      throw new TypeError('Invalid regular expression syntax.');
    }
    return { pattern: generatePatternString(parts, options), regexp, names };
  }

  const matchesSpecialScheme = (component) =>
    kSpecialSchemes.some((scheme) => component.regexp.test(scheme));

  // ---- Constructor string parser -------------------------------------------------------------
  // Splits "https://:sub.example.com/*?q#h" into an init dictionary with the spec's state
  // machine over lenient tokens, in workerd's variant: once a protocol is seen every other
  // component defaults to "" (not "*"), a relative string defaults search and hash to "", and
  // the pathname of a special scheme is not defaulted to "/".
  function parseConstructorString(input, hasBase) {
    const tokens = tokenize(input, 'lenient');
    const result = {};
    let state = 'init';
    let index = 0;
    let increment = 1;
    let componentStart = 0;
    let groupDepth = 0;
    let ipv6Depth = 0;
    const safe = (i) => tokens[Math.min(i, tokens.length - 1)];
    const isChar = (i, value) => {
      const t = safe(i);
      return t.value === value && (t.type === T.CHAR || t.type === T.ESCAPED ||
        t.type === T.INVALID);
    };
    const isSearchPrefix = () => {
      if (isChar(index, '?')) return true;
      if (tokens[index].value !== '?') return false;
      if (index === 0) return true;
      const previous = safe(index - 1).type;
      return !(previous === T.NAME || previous === T.REGEXP || previous === T.CLOSE ||
        previous === T.ASTERISK);
    };
    const componentString = () =>
      input.slice(safe(componentStart).index, tokens[index].index);
    const rewind = (newState) => {
      index = componentStart;
      increment = 0;
      if (newState !== undefined) state = newState;
    };
    const changeState = (newState, skip) => {
      if (state !== 'init' && state !== 'authority' && state !== 'done') {
        result[state] = componentString();
      }
      state = newState;
      index += skip;
      componentStart = index;
      increment = 0;
    };
    for (; index < tokens.length; index += increment) {
      increment = 1;
      if (tokens[index].type === T.END) {
        if (state === 'init') {
          rewind();
          if (isChar(index, '#')) {
            changeState('hash', 1);
          } else if (isSearchPrefix()) {
            changeState('search', 1);
            result.hash = '';
          } else {
            changeState('pathname', 0);
            result.search = '';
            result.hash = '';
          }
          continue;
        }
        if (state === 'authority') {
          rewind('hostname');
          continue;
        }
        changeState('done', 0);
        break;
      }
      if (tokens[index].type === T.OPEN) {
        groupDepth++;
        continue;
      }
      if (groupDepth > 0) {
        if (tokens[index].type !== T.CLOSE) continue;
        groupDepth--;
      }
      stepConstructorState();
    }
    if (result.protocol === undefined && !hasBase) {
      throw new TypeError(`${kSyntaxError}: a relative pattern must have a base URL.`);
    }
    return result;

    function stepConstructorState() {
      switch (state) {
        case 'init':
          if (isChar(index, ':')) {
            for (const k of kComponents.slice(1)) result[k] = '';
            rewind('protocol');
          }
          break;
        case 'protocol':
          if (isChar(index, ':')) {
            if (isChar(index + 1, '/') && isChar(index + 2, '/')) changeState('authority', 3);
            else changeState('pathname', 1);
          }
          break;
        case 'authority':
          if (isChar(index, '@')) rewind('username');
          else if (isChar(index, '/') || isSearchPrefix() || isChar(index, '#')) rewind('hostname');
          break;
        case 'username':
          if (isChar(index, ':')) changeState('password', 1);
          else if (isChar(index, '@')) changeState('hostname', 1);
          break;
        case 'password':
          if (isChar(index, '@')) changeState('hostname', 1);
          break;
        case 'hostname':
          if (isChar(index, '[')) ipv6Depth++;
          else if (isChar(index, ']')) ipv6Depth--;
          else if (isChar(index, ':') && ipv6Depth === 0) changeState('port', 1);
          else if (isChar(index, '/')) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (isChar(index, '#')) changeState('hash', 1);
          break;
        case 'port':
          if (isChar(index, '/')) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (isChar(index, '#')) changeState('hash', 1);
          break;
        case 'pathname':
          if (isSearchPrefix()) changeState('search', 1);
          else if (isChar(index, '#')) changeState('hash', 1);
          break;
        case 'search':
          if (isChar(index, '#')) changeState('hash', 1);
          break;
        default:
          break;
      }
    }
  }

  // ---- Process a URLPattern init -----------------------------------------------------------------
  // workerd's version: a baseURL supplies every component (pathname, search and hash escaped
  // as patterns), then the init's own components override; a relative pathname resolves
  // against the base path's directory.
  function processPatternInit(init) {
    const result = {};
    let base = null;
    if (init.baseURL !== undefined) {
      if (!URLClass.canParse(init.baseURL)) throw new TypeError('Invalid base URL.');
      base = scratch(init.baseURL);
      result.protocol = base.protocol.slice(0, -1);
      result.username = base.username;
      result.password = base.password;
      result.hostname = base.hostname;
      result.port = base.port;
      result.pathname = escapePatternString(base.pathname);
      result.search = escapePatternString(base.search.slice(1));
      result.hash = escapePatternString(base.hash.slice(1));
    }
    for (const k of kComponents) {
      if (init[k] !== undefined) result[k] = init[k];
    }
    if (result.protocol !== undefined) result.protocol = result.protocol.replace(/:$/, '');
    if (init.pathname !== undefined && base !== null) {
      const p = init.pathname;
      const absolute = p[0] === '/' || (p.length > 1 && (p[0] === '\\' || p[0] === '{') &&
        p[1] === '/');
      if (!absolute) {
        const slash = base.pathname.lastIndexOf('/');
        result.pathname = slash >= 0 ? base.pathname.slice(0, slash + 1) + p : base.pathname;
      }
    }
    if (result.search !== undefined) result.search = result.search.replace(/^\?/, '');
    if (result.hash !== undefined) result.hash = result.hash.replace(/^#/, '');
    return result;
  }

  // exec()/test() with a dictionary: components are URL parts, canonicalized on a scratch URL
  // of the init's (or base's) protocol. Throws TypeError on invalid parts.
  function processUrlInit(init) {
    const result = { protocol: '', username: '', password: '', hostname: '', port: '',
      pathname: '', search: '', hash: '' };
    let base = null;
    if (init.baseURL !== undefined) {
      if (!URLClass.canParse(init.baseURL)) throw new TypeError('Invalid base URL.');
      base = scratch(init.baseURL);
      result.protocol = base.protocol.slice(0, -1);
      result.username = base.username;
      result.password = base.password;
      result.hostname = base.hostname;
      result.port = base.port;
      result.pathname = base.pathname;
      result.search = base.search.slice(1);
      result.hash = base.hash.slice(1);
    }
    let url;
    const absolute = init.protocol !== undefined;
    if (absolute) {
      const protocol = init.protocol.replace(/:$/, '');
      const href = (protocol === '' ? 'fake' : protocol) + '://a:b@fake-url';
      if (!URLClass.canParse(href)) throw fail();
      url = scratch(href);
      if (protocol !== '') result.protocol = url.protocol.slice(0, -1);
    } else {
      url = scratch((result.protocol || 'fake') + '://fake-url');
    }
    if (init.username !== undefined) { url.username = init.username; result.username = url.username; }
    if (init.password !== undefined) { url.password = init.password; result.password = url.password; }
    if (init.hostname !== undefined) {
      if (!isIPv6Pattern(init.hostname) && kForbiddenHost.test(init.hostname)) throw fail();
      const before = url.hostname;
      url.hostname = init.hostname;
      if (url.hostname === before && init.hostname.toLowerCase() !== before) throw fail();
      result.hostname = url.hostname;
    }
    if (init.port !== undefined) {
      result.port = canonicalizePort(init.port, url.protocol.slice(0, -1));
    }
    if (init.pathname !== undefined) {
      if (!absolute && base !== null) {
        result.pathname = new URLClass(init.pathname, base.href).pathname;
      } else {
        url.pathname = init.pathname;
        result.pathname = url.pathname;
      }
    }
    if (init.search !== undefined) { url.search = init.search; result.search = url.search.slice(1); }
    if (init.hash !== undefined) { url.hash = init.hash; result.hash = url.hash.slice(1); }
    return result;
  }

  // Web IDL (USVString or URLPatternInit): objects are dictionaries, other values strings.
  const isInit = (v) => v === undefined || v === null || typeof v === 'object' ||
    typeof v === 'function';

  function initDictionary(input) {
    const init = {};
    if (input === undefined || input === null) return init;
    for (const k of [...kComponents, 'baseURL']) {
      if (input[k] !== undefined) init[k] = toUSVString(input[k]);
    }
    return init;
  }

  // ---- URLPattern ---------------------------------------------------------------------------------
  class URLPattern {
    #components;

    constructor(input = undefined, baseURL = undefined, options = undefined) {
      if (baseURL !== undefined && baseURL !== null && typeof baseURL === 'object') {
        options = baseURL;
        baseURL = undefined;
      }
      let init;
      if (!isInit(input)) {
        init = parseConstructorString(toUSVString(input), baseURL !== undefined);
        if (baseURL !== undefined) init.baseURL = toUSVString(baseURL);
      } else {
        init = initDictionary(input); // workerd ignores a string baseURL here
      }
      const ignoreCase = options !== undefined && options !== null && !!options.ignoreCase;
      const processed = processPatternInit(init);
      for (const k of kComponents) if (processed[k] === undefined) processed[k] = '*';
      const compile = (k, encode, opts) => compileComponent(processed[k], encode, opts,
        ignoreCase);
      const c = {};
      c.protocol = compile('protocol', canonicalizeProtocol, kDefaultOptions);
      c.username = compile('username', canonicalizeUsername, kDefaultOptions);
      c.password = compile('password', canonicalizePassword, kDefaultOptions);
      c.hostname = compile('hostname', isIPv6Pattern(processed.hostname)
        ? canonicalizeIPv6Hostname : canonicalizeHostname, kHostnameOptions);
      c.port = compile('port', (v) => canonicalizePort(v), kDefaultOptions);
      c.pathname = matchesSpecialScheme(c.protocol)
        ? compile('pathname', canonicalizePathname, kPathnameOptions)
        : compile('pathname', canonicalizeOpaquePathname, kDefaultOptions);
      c.search = compile('search', canonicalizeSearch, kDefaultOptions);
      c.hash = compile('hash', canonicalizeHash, kDefaultOptions);
      this.#components = c;
    }

    static #check(p) {
      if (p === null || typeof p !== 'object' || !(#components in p)) {
        throw lib.illegalInvocation();
      }
      return p;
    }

    static {
      for (const k of kComponents) {
        Object.defineProperty(URLPattern.prototype, k, {
          get() { return URLPattern.#check(this).#components[k].pattern; },
          enumerable: false, configurable: true,
        });
      }
    }

    test(input = undefined, baseURL = undefined) {
      return URLPattern.#check(this).#match(input, baseURL) !== null;
    }

    exec(input = undefined, baseURL = undefined) {
      return URLPattern.#check(this).#match(input, baseURL);
    }

    #match(input, baseURL) {
      const inputs = [input === undefined ? {} : input];
      let values;
      if (!isInit(input)) {
        const href = toUSVString(input);
        let url;
        if (baseURL !== undefined) {
          const base = toUSVString(baseURL);
          inputs.push(base);
          if (!URLClass.canParse(base) || !URLClass.canParse(href, base)) return null;
          url = new URLClass(href, base);
        } else {
          if (!URLClass.canParse(href)) return null;
          url = scratch(href);
        }
        values = {
          protocol: url.protocol.slice(0, -1), username: url.username, password: url.password,
          hostname: url.hostname, port: url.port, pathname: url.pathname,
          search: url.search.slice(1), hash: url.hash.slice(1),
        };
      } else {
        if (baseURL !== undefined) {
          throw new TypeError('A baseURL is not allowed when input is an object.');
        }
        const init = initDictionary(input);
        inputs[0] = Object.assign({}, init); // a dictionary copy, as workerd's inputs hold
        try {
          values = processUrlInit(init);
        } catch (e) {
          return null;
        }
      }
      const result = { inputs };
      for (const k of kComponents) {
        const component = this.#components[k];
        const m = component.regexp.exec(values[k]);
        if (m === null) return null;
        const groups = {};
        // Like workerd, a group that did not participate reads as "".
        component.names.forEach((name, i) => { groups[name] = m[i + 1] === undefined ? '' : m[i + 1]; });
        result[k] = { input: values[k], groups };
      }
      return result;
    }
  }
  lib.tagClass(URLPattern, 'URLPattern');

  lib.urlPattern = { parseConstructorString, processPatternInit, processUrlInit };
  lib.defineGlobal('URLPattern', URLPattern);
})();
