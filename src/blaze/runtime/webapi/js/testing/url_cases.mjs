// Generated URL inputs for the Node-oracle comparison: combinations of schemes, authorities,
// paths, queries and fragments, plus hand-picked edge cases from the URL Standard.
const kSchemes = ['http:', 'HTTPS:', 'ws:', 'wss:', 'ftp:', 'file:', 'foo:', 'mailto:', 'data:',
  'blob:', 'javascript:', 'sc:'];
const kAuthorities = ['//example.com', '//EXAMPLE.com:80', '//ex%41mple.com', '//user:pa ss@h.com:8080',
  '//u@h', '//:p@h', '//@h', '//h:', '//h:0', '//h:65535', '//h:65536', '//h:12a', '//1.2.3.4',
  '//0x7f.1', '//192.168.0.257', '//999999999999', '//0300.0250.0.1', '//4294967295',
  '//4294967296', '//[::1]', '//[1:0:0:0:0:0:0:1]', '//[::ffff:1.2.3.4]', '//[1::2:0:0:3]',
  '//[::1', '//[::1]:443', '//münchen.de', '//ＥＸＡＭＰＬＥ.com', '//xn--mnchen-3ya.de',
  '//a b', '//a<b', '//a%2fb', '//%zz', '//exa\tmple.com', '//localhost', '//', '///x',
  '//1.2.3.4.', '//1.2.3.4.5', '//foo.0x', '//0x', '//日本語.jp', '//a..b', '//.'];
const kPaths = ['', '/', '/a/b', '/a/../b', '/a/./b/', '/a/%2e%2E/b', '/..', '/a b', '/ä',
  '/a?b', '\\a\\b', '/%', '/a//b', '/{}`^|', '/C:/x', '/c|/x', '/.%2e/x'];
const kQueries = ['', '?', '?a=1&b=2', '?a b\'c', '?ä=ö', '?%zz', '?a=<>"'];
const kFragments = ['', '#', '#frag', '#a b', '#ä`'];

export function absoluteInputs() {
  const out = new Set();
  for (const scheme of kSchemes) {
    for (const auth of kAuthorities) out.add(scheme + auth + '/p');
    for (const path of kPaths) out.add(scheme + '//host' + path);
    for (const q of kQueries) for (const f of kFragments) out.add(scheme + '//h/p' + q + f);
    out.add(scheme + 'opaque path ?q#f');
    out.add(scheme + 'x');
    out.add(scheme);
  }
  const extra = [
    '  http://example.com/  ', 'http://example.com/\u0000', 'http:\\\\example.com\\a',
    'http:example.com/a', 'http:/example.com/a', 'http:///example.com', 'file:///C:/a/../..',
    'file://localhost/etc', 'file:c:\\a\\b', 'file:/x/../y', 'file://host/share',
    'non-spec:/.//p', 'non-spec:/..//p', 'sc://%/', 'sc://ñ', 'sc://a b/', 'sc:/a/../b',
    'http://a:b@c:d@e/', 'http://@/', 'http://a@b@c/', 'https://x/%41%42', 'about:blank',
    'javascript:alert(1)', 'data:text/plain,hello world', 'blob:https://a.com/uuid',
    'http://[::]/', 'http://[0:0:0:0:0:0:0:0]/', 'http://[1:2:3:4:5:6:7:8]/',
    'http://[1:2:3:4:5:6:7:8:9]/', 'http://[::1.2.3]/', 'http://[1:2::3:4:5:6:7]/',
    'http://0/', 'http://00/', 'http://0x100000000/', 'http://1.0x100.3/', 'http://09/',
    'http://%30%78%37%66.1/', 'http://exa%00mple/', 'http://a.b.c.d.e/', 'ws://x:80/',
    'wss://x:443/', 'ftp://x:21/', 'http://x:443/', 'https://x:80/', 'HTTP://X/%7e',
    'http://example.com/?#', 'http://example.com/??##', 'http://ab\u200bc.com/',
    'http://faß.de/', 'http://Ⅷ.com/', 'http://①.com/', 'http://x/\ud800', 'foo://host:80/',
    'http://a.com:/', 'http://user@/', '', '  ', 'x', '//x', '/x', '?x', '#x',
  ];
  for (const e of extra) out.add(e);
  return [...out];
}

export const kBases = ['http://base.com/dir/file?q#f', 'file:///C:/dir/file', 'sc://h/d/f',
  'mailto:x', 'https://u:p@b.org:8080/a/b/c'];

export const kRelatives = ['', '.', '..', '../..', '/abs', '//other/x', '?q2', '#f2', 'g',
  'g/', './g', 'g?y', 'g#s', ';x', '../g', '../../../../g', '\\g', '\\\\other\\x', 'C|/x',
  '/C:/x', 'http:g', 'https:g', 'file:g', 'sc:g', '..%2fg', '%2e%2e/g', 'g;x=1/../y',
  '  ../spaced  ', 'x:y', '#', '?'];
