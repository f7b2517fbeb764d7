import { usageError } from './errors.js';
import { renderTable } from './table.js';
import { BIDI_CONTROLS, C0, DEL_C1, INVISIBLES } from '../core/unsafe-text.js';

export interface Column {
  key: string;
  /** its name in headers, records and --columns, when that is not the key */
  header?: string;
  get?: (row: any) => unknown;
  /** shown in a list only when --columns names it (a record shows every column) */
  extra?: boolean;
  /** on a terminal too narrow for the table, columns with a priority are dropped, lowest first */
  priority?: number;
  /** free text (names, reasons, paths): the only values cut with … to fit the terminal */
  cut?: boolean;
}

export interface OutputOptions {
  /** `table` aligns for people at a terminal; `tsv` is for pipes: tab-separated, no header */
  format: 'table' | 'tsv' | 'json' | 'csv' | 'yaml';
  /** chosen with --columns: keys, in that order */
  columns?: string[];
  color: boolean;
  /** terminal columns */
  width?: number;
}

type Row = Record<string, unknown>;

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const normalName = (name: string): string => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** The name people use for a column: its header in lower case, e.g. `reseller` for reseller_slug. */
export const columnName = (column: Column): string => normalName(column.header ?? column.key);

/** --columns: header names (any case) or field keys, in the order given; unknown names are a usage error. */
export function parseColumns(value: string | undefined, available: Column[]): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) return undefined;
  const find = (name: string) =>
    available.find((column) => columnName(column) === normalName(name)) ?? available.find((column) => column.key.toLowerCase() === name.toLowerCase());
  const unknown = names.filter((name) => find(name) === undefined);
  if (unknown.length > 0) {
    const quoted = unknown.map((name) => `"${name}"`).join(', ');
    throw usageError(`unknown column${unknown.length > 1 ? 's' : ''} ${quoted}`, `available columns: ${available.map(columnName).join(', ')}`);
  }
  return [...new Set(names.map((name) => find(name)!.key))];
}

// Every renderer returns text ending in a newline (or nothing), so callers write it as-is.
export function renderList(rows: Row[], columns: Column[], opts: OutputOptions): string {
  const shown = opts.columns ? selectColumns(columns, opts.columns) : columns.filter((column) => !column.extra);
  const cells = () => rows.map((row) => shown.map((column) => cellText(valueOf(row, column))));
  switch (opts.format) {
    case 'json':
      return `${jsonText(rows.map((row) => pickFields(row, opts.columns)), 2)}\n`;
    case 'yaml':
      return rows.length === 0 ? '[]\n' : rows.map((row) => yamlMapping(pickFields(row, opts.columns), '- ', '  ')).join('');
    case 'csv':
      return csvLines([shown.map((column) => column.key), ...rows.map((row) => shown.map((column) => valueOf(row, column)))]);
    case 'tsv':
      return cells().map((line) => `${line.join('\t')}\n`).join('');
    case 'table': {
      const head = shown.map((column) => header(columnName(column).replaceAll('_', ' ').toUpperCase(), opts.color));
      return renderTable(shown, head, cells(), { width: opts.width, mayDrop: opts.columns === undefined });
    }
  }
}

/** A single resource: at a terminal aligned `field  value` lines, for a pipe `field<TAB>value`. */
export function renderRecord(row: Row, columns: Column[], opts: OutputOptions): string {
  const shown = opts.columns ? selectColumns(columns, opts.columns) : columns;
  const lines = shown.map((column) => [columnName(column), cellText(valueOf(row, column))] as const);
  const labelWidth = Math.max(0, ...lines.map(([label]) => label.length));
  switch (opts.format) {
    case 'json':
      return `${jsonText(pickFields(row, opts.columns), 2)}\n`;
    case 'yaml':
      return yamlMapping(pickFields(row, opts.columns), '', '');
    case 'csv':
      return csvLines([shown.map((column) => column.key), shown.map((column) => valueOf(row, column))]);
    case 'tsv':
      return lines.map(([label, value]) => `${label}\t${value}\n`).join('');
    case 'table':
      // Values are never cut: a long one wraps at the terminal's edge, and copies whole.
      return lines.map(([label, value]) => `${header(label, opts.color)}${value && ' '.repeat(labelWidth - label.length + 2) + value}\n`).join('');
  }
}

function selectColumns(columns: Column[], keys: string[]): Column[] {
  return keys.flatMap((key) => columns.filter((column) => column.key === key));
}

/** What --json prints with --columns: each row with just those fields, in that order. */
export function pickFields<R extends object>(row: R, keys: string[] | undefined): Partial<R> {
  if (keys === undefined) return row;
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(row, key)).map((key) => [key, (row as Row)[key]])) as Partial<R>;
}

const valueOf = (row: Row, column: Column): unknown => (column.get ? column.get(row) : row[column.key]);

const header = (text: string, color: boolean): string => (color && text !== '' ? `\u001B[1m\u001B[36m${text}\u001B[39m\u001B[22m` : text);

function rawText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const cellText = (value: unknown): string => terminalSafe(rawText(value));

// C0 (tab and newline included), DEL, C1; the bidi marks, embeddings, overrides and isolates that make
// text display in another order than it is stored (U+061C, 200E/200F, 202A–202E, 2066–2069); and the
// zero-width and separator characters that hide text or break lines unseen (U+200B/200C, 2028/2029,
// FEFF). The zero-width joiner (U+200D) stays: emoji sequences are made with it.
export const UNSAFE = new RegExp(`[${C0}${DEL_C1}${INVISIBLES}${BIDI_CONTROLS}]`);
const EVERY_UNSAFE = new RegExp(UNSAFE.source, 'g');
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from the server as a terminal may show it: control and bidi characters become visible
 * escapes (`\x1b`, `\u202e`) instead of acting on the terminal or being silently dropped.
 */
export function terminalSafe(text: string): string {
  return text.replace(EVERY_UNSAFE, (char) => NAMED_ESCAPES[char] ?? escapeCode(char));
}

function escapeCode(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// JSON.stringify escapes C0 only. The rest can appear only inside strings, where a \u escape is the same value.
const JSON_UNSAFE = new RegExp(`[${DEL_C1}${INVISIBLES}${BIDI_CONTROLS}]`, 'g');

/** JSON text (or a double-quoted YAML scalar) with every UNSAFE character past C0 as a \u escape: the same value. */
export function escapePastC0(text: string): string {
  return text.replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON.stringify, with DEL, C1, bidi and zero-width characters escaped too, so printing it cannot drive a terminal. */
export function jsonText(value: unknown, indent?: number): string {
  return escapePastC0(JSON.stringify(value, null, indent));
}

/** CSV with every cell guarded against spreadsheet formulas and terminal controls. */
export function csvLines(lines: unknown[][]): string {
  return lines.map((fields) => fields.map(csvField).join(',')).join('\n') + '\n';
}

// OWASP: a spreadsheet runs a cell that starts with one of these as a formula. A number is not one.
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

function csvField(value: unknown): string {
  const raw = rawText(value);
  const text = terminalSafe(typeof value === 'string' && FORMULA_START.test(raw) && !NUMBER.test(raw) ? `'${raw}` : raw);
  return /[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function yamlMapping(row: Row, firstPrefix: string, restPrefix: string): string {
  const entries = Object.entries(row);
  if (entries.length === 0) return `${firstPrefix}{}\n`;
  return entries.map(([key, value], i) => `${i === 0 ? firstPrefix : restPrefix}${yamlScalar(key)}: ${yamlValue(value)}\n`).join('');
}

// Nested values are written as JSON, which is valid YAML flow syntax.
function yamlValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return yamlScalar(value);
  if (value instanceof Date) return yamlScalar(value.toISOString());
  return jsonText(value);
}

// Quote anything a YAML 1.1 or 1.2 reader could take for something other than a plain string.
const RESERVED = /^(?:~|null|true|false|yes|no|on|off|y|n)$/i;
const NUMBER_OR_DATE = /^[-+.]?\d|^\.(?:inf|nan)$/i;
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`\s]|[\s:]$|: | #/;

// JSON's string escapes are valid in a YAML double-quoted scalar.
function yamlScalar(text: string): string {
  if (text === '' || RESERVED.test(text) || NUMBER_OR_DATE.test(text) || INDICATOR.test(text) || UNSAFE.test(text)) return jsonText(text);
  return text;
}
