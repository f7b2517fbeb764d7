import { BIDI_CONTROLS, c0Except, DEL_C1 } from '../../../core/unsafe-text.js';
/**
 * A tenant's custom CSS is stored only after sanitising (no I/O here). The CSS is cut into
 * statements at the `;`, `{` and `}` that are outside strings and comments; comments are dropped,
 * and a statement is dropped whole when its canonical form (CSS escapes decoded, Unicode
 * compatibility forms folded, lower case, no whitespace) holds a construct that can run script
 * or load code: `@import`, `expression(`, a `javascript:` or `vbscript:` URL, `behavior:`,
 * `-moz-binding`, a `<` (which could close the style element), an HTML character reference (the
 * CSS may land in a style attribute, where the browser decodes them first), or a comment marker
 * left inside a string. The delimiters stay, so what is kept parses as it did, and sanitising
 * what this returns changes nothing.
 */

/** Custom CSS may be at most this many UTF-8 bytes, as given (before sanitising). */
export const MAX_CSS_BYTES = 51_200;

export interface StrippedConstruct {
  /** what was found, e.g. "@import" */
  construct: string;
  /** the line (from 1) of the input where the dropped statement starts */
  line: number;
}

export interface SanitisedCss {
  css: string;
  stripped: StrippedConstruct[];
}

const FORBIDDEN: readonly { construct: string; marker: string }[] = [
  { construct: '@import', marker: '@import' },
  { construct: 'expression(...)', marker: 'expression(' },
  { construct: 'javascript: URL', marker: 'javascript:' },
  { construct: 'vbscript: URL', marker: 'vbscript:' },
  { construct: 'behavior', marker: 'behavior:' },
  { construct: 'behavior', marker: 'behaviour:' },
  { construct: '-moz-binding', marker: '-moz-binding' },
  { construct: '-moz-binding', marker: 'binding:' },
  { construct: '< (a </style> breakout)', marker: '<' },
];

/** Control characters (but tab, line feed, form feed and carriage return) and bidirectional overrides. */
const CONTROL = new RegExp(`[${c0Except('\t\n\f\r')}${DEL_C1}${BIDI_CONTROLS}]`, 'g');
/** Letters old Internet Explorer read as their Latin capitals' lower case (`expʀessɪon`). */
const LOOKALIKES: Readonly<Record<string, string>> = { 'ʀ': 'r', 'ɪ': 'i', 'ꜱ': 's', 'ᴇ': 'e', 'ᴘ': 'p', 'ɴ': 'n', 'ᴏ': 'o', 'ᴊ': 'j', 'ᴀ': 'a', 'ᴠ': 'v', 'ᴄ': 'c', 'ᴛ': 't', 'ʙ': 'b', 'ɢ': 'g', 'ʜ': 'h', 'ʟ': 'l', 'ᴍ': 'm', 'ᴜ': 'u', 'ᴡ': 'w', 'ʏ': 'y', 'ᴢ': 'z', 'ᴅ': 'd', 'ꜰ': 'f', 'ᴋ': 'k', 'ǫ': 'q', 'ʁ': 'r' };

const isHex = (char: string | undefined) => char !== undefined && /^[0-9a-f]$/i.test(char);
const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f';

/** The length of the escape starting at `text[at]` (a backslash): hex digits and one whitespace, or one character. */
function escapeLength(text: string, at: number): number {
  let end = at + 1;
  if (end >= text.length) return 1;
  if (isHex(text[end])) {
    while (end < text.length && end - at <= 6 && isHex(text[end])) end++;
    if (text[end] === '\r' && text[end + 1] === '\n') return end + 2 - at;
    return isSpace(text[end]) ? end + 1 - at : end - at;
  }
  if (text[end] === '\r' && text[end + 1] === '\n') return 3;
  return 2;
}

/** CSS escapes decoded as a browser reads them: `\6a ` is `j`, `\j` is `j`, a backslash before a line break vanishes. */
export function decodeEscapes(text: string): string {
  let out = '';
  for (let at = 0; at < text.length; ) {
    if (text[at] !== '\\') {
      out += text[at];
      at++;
      continue;
    }
    const length = escapeLength(text, at);
    const body = text.slice(at + 1, at + length);
    if (isHex(body[0])) {
      const code = Number.parseInt(body.trim(), 16);
      out += code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    } else if (body !== '' && !/^[\r\n\f]/.test(body)) out += body;
    at += length;
  }
  return out;
}

/** What a statement says once every disguise is off: the form the forbidden markers are looked for in. */
export function canonicalForm(text: string): string {
  const decoded = decodeEscapes(text).normalize('NFKC');
  let folded = '';
  for (const char of decoded) folded += LOOKALIKES[char] ?? char;
  return folded.toLowerCase().replace(/[\s\u0000-\u001f\u007f-\u009f\u00ad\p{Cf}]/gu, '');
}

/** Why a statement (comments already out) may not stay, or null when it may. */
function problemOf(statement: string): string | null {
  if (statement.includes('/*') || statement.includes('*/')) return 'comment marker';
  // a character reference (&#106; &colon; &lt) is decoded before the CSS in a style attribute
  if (/&[#a-z]/i.test(decodeEscapes(statement))) return 'HTML character reference';
  const form = canonicalForm(statement);
  return FORBIDDEN.find(({ marker }) => form.includes(marker))?.construct ?? null;
}

interface Statement {
  text: string;
  /** the `;`, `{` or `}` that ended it, or '' at the end */
  delimiter: string;
  line: number;
}

/** The CSS cut at the delimiters outside strings and comments, with the comments left out. */
function statements(css: string): Statement[] {
  const out: Statement[] = [];
  let text = '';
  let line = 1;
  let startLine = 1;
  let at = 0;
  const take = (length: number) => {
    const piece = css.slice(at, at + length);
    text += piece;
    at += length;
    line += piece.split('\n').length - 1;
  };
  while (at < css.length) {
    const char = css[at]!;
    if (char === '\\') take(escapeLength(css, at));
    else if (char === '/' && css[at + 1] === '*') {
      const end = css.indexOf('*/', at + 2);
      const skipped = css.slice(at, end === -1 ? css.length : end + 2);
      line += skipped.split('\n').length - 1;
      at += skipped.length;
    } else if (char === '"' || char === "'") {
      take(1);
      while (at < css.length && css[at] !== char && css[at] !== '\n') take(css[at] === '\\' ? escapeLength(css, at) : 1);
      if (css[at] === char) take(1);
    } else if (char === ';' || char === '{' || char === '}') {
      out.push({ text, delimiter: char, line: startLine });
      at++;
      text = '';
      startLine = line;
    } else take(1);
  }
  if (text !== '') out.push({ text, delimiter: '', line: startLine });
  return out;
}

/** The clean CSS, and what was taken out of it. */
export function sanitiseCss(input: string): SanitisedCss {
  const stripped: StrippedConstruct[] = [];
  const firstControl = input.search(CONTROL);
  if (firstControl !== -1) stripped.push({ construct: 'control characters', line: input.slice(0, firstControl).split('\n').length });
  let css = '';
  for (const statement of statements(input.replace(CONTROL, ''))) {
    const problem = problemOf(statement.text);
    if (problem) stripped.push({ construct: problem, line: statement.line });
    else css += statement.text;
    css += statement.delimiter;
  }
  return { css, stripped };
}

/** UTF-8 bytes of a text. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
