import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitiseCss } from '../../../../src/server/modules/branding/css.js';

/**
 * The oracle, written apart from the sanitiser: CSS escapes and HTML character references
 * decoded (with regular expressions, not the sanitiser's scanner), compatibility forms folded,
 * lower case, whitespace and invisible characters out; looked at both with comments removed and
 * as it stands.
 */
const NAMED: Record<string, string> = { colon: ':', lpar: '(', rpar: ')', lt: '<', gt: '>', sol: '/', bsol: '\\', amp: '&', quot: '"', apos: "'", tab: '\t', newline: '\n', period: '.', commat: '@', num: '#' };
/** CSS escapes, read left to right as a tokenizer does: `\\3c` is a backslash, then `3c`. */
function cssDecoded(css: string): string {
  return css.replace(/\\(?:([0-9a-f]{1,6})(?:\r\n|[ \t\n\r\f])?|(\r\n|[\n\r\f])|([^]))/gi, (_, hex: string | undefined, _lineBreak: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char ?? '';
    const code = Number.parseInt(hex, 16);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  });
}
const htmlDecoded = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)))
    .replace(/&#([0-9]+);?/g, (_, dec: string) => String.fromCodePoint(Math.min(Number(dec), 0x10ffff)))
    .replace(/&([a-z]+);?/gi, (all, name: string) => NAMED[name.toLowerCase()] ?? all);
/** Both orders: a style attribute's references are decoded before its CSS, and (to be safe) after. */
const unescaped = (css: string): string[] => [htmlDecoded(cssDecoded(css)), cssDecoded(htmlDecoded(css))];
const fold = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/ʀ/g, 'r')
    .replace(/ɪ/g, 'i')
    .toLowerCase()
    .replace(/[\s\u0000-\u001f\u007f-\u009f\u00ad\p{Cf}]/gu, '');
const MARKERS = ['@import', 'expression(', 'javascript:', 'vbscript:', 'behavior:', 'behaviour:', '-moz-binding', '</style', '<script'];

function forbiddenIn(css: string): string | undefined {
  const forms = [...unescaped(css), ...unescaped(css.replace(/\/\*[^]*?(\*\/|$)/g, ''))].map(fold);
  return MARKERS.find((marker) => forms.some((form) => form.includes(marker)));
}

/** Known XSS-in-CSS vectors (OWASP's filter evasion cheat sheet, the HTML5 security cheat sheet, and variations). */
const HOSTILE = [
  '@import "https://evil.example/xss.css";',
  "@import'https://evil.example/xss.css';",
  '@import url(https://evil.example/xss.css);',
  '@IMPORT url("https://evil.example/xss.css");',
  '@im\\port\'\\ja\\vasc\\ript:alert("XSS")\';',
  '@\\69mport "x.css";',
  '@\\000069mport "x.css";',
  '@imp/**/ort "x.css";',
  '@ｉｍｐｏｒｔ "x.css";',
  'div { background-image: url(javascript:alert(1)) }',
  'div { background-image: url("javascript:alert(1)") }',
  "div { background-image: url('javascript:alert(1)') }",
  'div { background-image: url( "  javascript:alert(1)" ) }',
  'div { background-image: URL(JaVaScRiPt:alert(1)) }',
  'div { background: url(java\\script:alert(1)) }',
  'div { background: url(\\6a avascript:alert(1)) }',
  'div { background: url(\\6A\\61\\76\\61\\73\\63\\72\\69\\70\\74\\3a alert(1)) }',
  'div { background-image:\\0075\\0072\\006C\\0028\'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029\'\\0029 }',
  'div { background: url(&#106;avascript:alert(1)) }',
  'div { background: url(&#x6A;avascript:alert(1)) }',
  'div { background: url(&#1;javascript:alert(1)) }',
  'div { background: url(javascript&colon;alert(1)) }',
  'div { background: url(java\tscript:alert(1)) }',
  'div { background: url(java/**/script:alert(1)) }',
  'div { background: url(jav\\\nascript:alert(1)) }',
  'div { background: url(vbscript:msgbox(1)) }',
  'li { list-style-image: url("javascript:alert(\'XSS\')"); }',
  'div { width: expression(alert(1)); }',
  'div { width: EXPRESSION(alert(1)); }',
  'div { width: expression (alert(1)); }',
  'div { xss: expr/*XSS*/ession(alert(1)) }',
  'div { xss: ex/*XSS*//*/*/pression(alert("XSS")) }',
  'div { width: e\\xpression(alert(1)) }',
  'div { width: \\65 xpression(alert(1)) }',
  'div { width: exp\\72 ession(alert(1)) }',
  'div { width: ｅｘｐｒｅｓｓｉｏｎ(alert(1)) }',
  'div { width: expʀessɪon(alert(1)) }',
  'div { width: expression\\28 alert(1)) }',
  'div { behavior: url(xss.htc); }',
  'div { BEHAVIOR : url(xss.htc); }',
  'div { be\\68 avior: url(xss.htc); }',
  'body { -moz-binding: url("https://evil.example/xss.xml#xss") }',
  'body { -MOZ-BINDING: url(x.xml#xss) }',
  'body { -moz-\\62inding: url(x.xml#xss) }',
  '</style><script>alert(1)</script>',
  'a{}</STYLE><SCRIPT>alert(1)</SCRIPT>',
  'a { content: "</style><img src=x onerror=alert(1)>" }',
  'a { content: "\\3c/style>" }',
  'a { font-family: "x"; } </style ><script>alert(1)</script>',
  '<!--</style><script>alert(1)</script>-->',
  'a { content: "/*"; width: expression(alert(1)); b: "*/" }',
  'a { background: url("javas\\\ncript:alert(1)") }',
  'a { background: url(javascript\u0000:alert(1)) }',
  'a { background: url(java\u00adscript:alert(1)) }',
  'a { background: url(java\u200bscript:alert(1)) }',
  'a { background: url(\'\\00006a avascript:x\') }',
];

describe('custom CSS sanitising', () => {
  it.each(HOSTILE)('strips %j', (payload) => {
    const { css, stripped } = sanitiseCss(`h1 { color: red; }\n${payload}\np { margin: 0 }`);
    expect(forbiddenIn(css), css).toBeUndefined();
    expect(stripped.length).toBeGreaterThan(0);
    expect(css).toContain('color: red');
    expect(css).toContain('margin: 0');
    expect(sanitiseCss(css)).toEqual({ css, stripped: [] });
  });

  it('keeps ordinary CSS as it is', () => {
    const ordinary = [
      ':root { --brand: #0a66c2; --accent: #ff7a00; }',
      '@media (max-width: 600px) { .header { display: none; } }',
      '@font-face { font-family: "Brand"; src: url("https://cdn.example/brand.woff2") format("woff2"); }',
      '.logo { background: url(https://cdn.example/logo.svg) no-repeat center / contain; }',
      'a:hover > span::after { content: "\\2192"; color: rgb(10 102 194 / 50%); }',
      '.card { &:hover { box-shadow: 0 0 2px #000; } & .title { font-weight: 600 } }',
      'h1 { font-family: -apple-system, "Segoe UI", sans-serif }',
    ].join('\n');
    expect(sanitiseCss(ordinary)).toEqual({ css: ordinary, stripped: [] });
  });

  it('drops comments and control characters, and reports both by line', () => {
    expect(sanitiseCss('a { color: red /* note */ }')).toEqual({ css: 'a { color: red  }', stripped: [] });
    const result = sanitiseCss('a {}\nb { color: \u001b[31mred }');
    expect(result.css).toBe('a {}\nb { color: [31mred }');
    expect(result.stripped).toEqual([{ construct: 'control characters', line: 2 }]);
  });

  const FRAGMENTS = [
    '@import', '@imp', 'ort', 'expression', 'exp', 'ression', '(', ')', 'url(', 'javascript:', 'java', 'script', ':', 'behavior', '-moz-binding', 'binding',
    '\\', '\\6a ', '\\6A', '\\65', '\\3c', '\\28 ', '\\0', '\\\n', '/*', '*/', '/', '*', '"', "'", ';', '{', '}', '<', '/style>', '</style>', '&', '&#', '#106', '&#x6a;', 'colon;', '&colon;',
    'e', 'x', 'i', 'r', 'a', 'v', ' ', '\n', '\t', 'ʀ', 'ɪ', 'ｅ', '\u00ad', '\u200b', '\u0000', '\u001b', 'color: red', 'div', '.x', '-',
  ];
  const hostileCss = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join(''));

  it('never lets a forbidden construct through, and sanitising what it gives changes nothing (property)', () => {
    fc.assert(
      fc.property(hostileCss, (input) => {
        const once = sanitiseCss(input);
        expect(forbiddenIn(once.css), JSON.stringify({ input, output: once.css })).toBeUndefined();
        expect(sanitiseCss(once.css)).toEqual({ css: once.css, stripped: [] });
      }),
      { numRuns: 3000 },
    );
  });
});
