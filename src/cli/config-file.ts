import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CliError, usageError } from './errors.js';

/** The largest configuration file read: a tenant's configuration is tens of keys. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * A configuration file for import, apply and diff: YAML or JSON (by its extension, else by its
 * first character), one mapping of `category.name` keys to values. A file that does not parse is a
 * usage error naming its line. The yaml package is loaded only here, so other commands stay fast.
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  const parsed = await readDataFile(path, 'a configuration file holds one tenant\'s keys');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw usageError(`${path} must hold one mapping of keys to values`, 'write one `category.name: value` line per key, e.g. `billing.currency: USD`');
  }
  const values = parsed as Record<string, unknown>;
  const flat = Object.keys(values).filter((key) => !key.includes('.'));
  if (flat.length) {
    throw usageError(`${path}: "${flat[0]}" is not a key: keys are category.name`, 'write `network.radius_port: 1812`, not a nested `network:` mapping');
  }
  return values;
}

/**
 * The line each top-level key of a YAML or JSON file is written on (the first, if written twice;
 * keys indented otherwise than the first are nested), for errors that name a key: `billing.currency: EUR`, `"billing.currency": "EUR",`, quoted or not.
 */
export function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let top: number | undefined; // the indentation of the first key: a top-level key's (the others are nested)
  text.split(/\r?\n/).forEach((line, i) => {
    const match = /^(\s*)(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s"'#{}[\],:][^:#]*?))\s*:(?:\s|$)/.exec(line);
    if (!match || match[1]!.length !== (top ??= match[1]!.length)) return;
    const key = match[2] !== undefined ? unquoteJson(match[2]) : match[3] !== undefined ? match[3].replaceAll("''", "'") : match[4]!;
    if (!lines.has(key)) lines.set(key, i + 1);
  });
  return lines;
}

function unquoteJson(inner: string): string {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner;
  }
}

/** A YAML or JSON file of at most 1 MiB, parsed (by its extension, else by its first character); errors name the line. */
export async function readDataFile(path: string, sizeHint = 'the file is too large'): Promise<unknown> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) throw usageError(`${path} is larger than 1 MiB`, sizeHint);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw usageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the path given with -f');
  }
  const json = extname(path).toLowerCase() === '.json' || (!['.yaml', '.yml'].includes(extname(path).toLowerCase()) && text.trimStart().startsWith('{'));
  return json ? parseJson(path, text) : parseYaml(path, text);
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 names the position of some errors only ("Unexpected token … is not valid JSON"): find it here
    const at = /position (\d+)/.exec((error as Error).message);
    const position = at ? Number(at[1]) : jsonErrorPosition(text);
    // where, never what: the text there may be part of a secret
    throw usageError(`${path}: ${lineAndColumn(text, position)}: not valid JSON`, 'fix the file, or write it as YAML');
  }
}

/** Where JSON.parse gave up: a scan of the JSON grammar that stops at the first character it cannot take. */
export function jsonErrorPosition(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const char of word) if (text[i++] !== char) return void (i--, fail());
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === '' || match[0] === '-') fail();
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const char = text[i];
    if (char === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (char === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return number();
    fail();
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i++;
    value();
    ws();
    if (i < text.length) fail();
  } catch (position) {
    if (typeof position === 'number') return Math.min(position, text.length);
    throw position;
  }
  return text.length;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

async function parseYaml(path: string, text: string): Promise<unknown> {
  const yaml = await import('yaml');
  const lines = new yaml.LineCounter();
  // YAML 1.2 core schema: `on`/`yes` stay strings, as JSON would read them
  const doc = yaml.parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    let where = pos ? `line ${pos.line}, column ${pos.col}` : 'line ?';
    if (error.message.includes('Maximum call stack size exceeded')) throw tooDeepToRead(`${path}: ${where}`);
    let message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    // the parser notices a bracket or quote left open where the file goes on without it (often the
    // next key's line, or the end); the line to fix is the one where it opened
    const opened = pos && (error.code === 'BAD_INDENT' || error.code === 'MISSING_CHAR') ? openedBefore(yaml, doc, text, error.pos[0], pos.line, lines) : undefined;
    if (opened) {
      message += `; it opens here and is still open ${error.pos[0] >= text.trimEnd().length ? 'at the end of the file' : `at line ${pos!.line}`}`;
      where = `line ${opened.line}, column ${opened.col}`;
    }
    throw usageError(`${path}: ${where}: not valid YAML (${message})`, 'fix the file (keys are category.name, one per line)');
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml's answer to an alias bomb ("Excessive alias count indicates a resource exhaustion attack") or an alias of no anchor
    // the message ends with the alias's name, text of the file, which an error does not repeat
    if (error instanceof ReferenceError) throw usageError(`${path}: not valid YAML (${error.message.split('\n')[0]!.replace(/:.*$/, '')})`, 'write the values out instead of through aliases (&anchor, *alias)');
    if (error instanceof RangeError) throw tooDeepToRead(path);
    throw error;
  }
}

/**
 * Where the innermost flow collection or quoted scalar that the parser found open at `offset`
 * begins, if it begins on an earlier line and nothing after it in the file closes it (one closed
 * before the error, or closed where the parser did not expect it, is not what the error is about).
 */
function openedBefore(yaml: typeof import('yaml'), doc: import('yaml').Document, text: string, offset: number, errorLine: number, lines: import('yaml').LineCounter) {
  let opened: { line: number; col: number } | undefined;
  yaml.visit(doc, (_key, node) => {
    // a pair with an empty key or value visits null
    const range = (node as { range?: [number, number, number] | null } | null)?.range;
    if (!range || range[0] >= offset) return;
    const flow = yaml.isCollection(node) && node.flow;
    const quoted = yaml.isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    if (!flow && !quoted) return;
    const at = lines.linePos(range[0]);
    if (at.line < errorLine && closingIndex(text, range[0]) === -1) opened = at;
  });
  return opened;
}

/**
 * Where the bracket or quote at `start` is closed in `text`, or -1: quotes skip their escapes
 * (\\" in double quotes, '' in single ones), and a flow collection counts brackets outside quotes
 * and comments.
 */
function closingIndex(text: string, start: number): number {
  const opener = text[start];
  if (opener === '"' || opener === "'") return quoteEnd(text, start);
  if (opener !== '[' && opener !== '{') return start;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === '"' || c === "'") i = quoteEnd(text, i);
    else if (c === '#' && /\s/.test(text[i - 1] ?? '')) i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    if (i === -1) return -1;
    if (depth === 0) return i;
  }
  return -1;
}

function quoteEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** A file whose values nest deeper than the parser's stack: far past what a configuration value may be. */
const tooDeepToRead = (where: string) => usageError(`${where}: values nest too deeply to read`, 'a configuration value may nest arrays and objects at most 32 deep');
