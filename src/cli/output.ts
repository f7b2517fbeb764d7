import Table from 'cli-table3';

import { usageError } from './errors.js';

export interface Column {
  key: string;
  header?: string;
  get?: (row: any) => unknown;
}

export interface OutputOptions {
  format: 'table' | 'json' | 'csv' | 'yaml';
  /** --columns selection by key, in that order */
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

export function parseColumns(value: string | undefined, available: Column[]): string[] | undefined {
  if (value === undefined) return undefined;
  const keys = [...new Set(value.split(',').map((key) => key.trim()).filter((key) => key !== ''))];
  if (keys.length === 0) return undefined;
  const known = available.map((column) => column.key);
  const unknown = keys.filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => `"${key}"`).join(', ');
    throw usageError(`unknown column${unknown.length > 1 ? 's' : ''} ${names}`, `available columns: ${known.join(', ')}`);
  }
  return keys;
}

// Every renderer returns text ending in a newline, so callers write it as-is.
export function renderList(rows: Row[], columns: Column[], opts: OutputOptions): string {
  const shown = selectColumns(columns, opts.columns);
  switch (opts.format) {
    case 'json':
      return `${jsonText(rows.map((row) => pickRaw(row, opts.columns)), 2)}\n`;
    case 'yaml':
      return rows.length === 0 ? '[]\n' : rows.map((row) => yamlMapping(pickRaw(row, opts.columns), '- ', '  ')).join('');
    case 'csv':
      return csvLines([shown.map((column) => column.key), ...rows.map((row) => shown.map((column) => valueOf(row, column)))]);
    case 'table':
      return `${fittedTable(
        shown.map((column) => header((column.header ?? column.key).replaceAll('_', ' ').toUpperCase(), opts.color)),
        rows.map((row) => shown.map((column) => cellText(valueOf(row, column)))),
        opts,
        false,
      )}\n`;
  }
}

/** A single resource; as a table it is a vertical field/value table. */
export function renderRecord(row: Row, columns: Column[], opts: OutputOptions): string {
  const shown = selectColumns(columns, opts.columns);
  switch (opts.format) {
    case 'json':
      return `${jsonText(pickRaw(row, opts.columns), 2)}\n`;
    case 'yaml':
      return yamlMapping(pickRaw(row, opts.columns), '', '');
    case 'csv':
      return renderList([row], columns, opts);
    case 'table':
      return `${fittedTable(
        [header('FIELD', opts.color), header('VALUE', opts.color)],
        shown.map((column) => [column.header ?? column.key, cellText(valueOf(row, column))]),
        opts,
        true,
      )}\n`;
  }
}

function selectColumns(columns: Column[], keys: string[] | undefined): Column[] {
  if (keys === undefined) return columns;
  return keys.flatMap((key) => columns.filter((column) => column.key === key));
}

// json and yaml are for machines: raw fields, untouched by the columns' `get`.
function pickRaw(row: Row, keys: string[] | undefined): Row {
  if (keys === undefined) return row;
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(row, key)).map((key) => [key, row[key]]));
}

const valueOf = (row: Row, column: Column): unknown => (column.get ? column.get(row) : row[column.key]);

function rawText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const cellText = (value: unknown): string => terminalSafe(rawText(value));

// C0 (tab and newline included), DEL, C1, and the bidi embeddings, overrides and isolates that make
// text display in another order than it is stored.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
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
const JSON_UNSAFE = /[\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** JSON.stringify, with DEL, C1 and bidi controls escaped too, so printing it cannot drive a terminal. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const header = (text: string, color: boolean): string => (color ? `\u001B[1m\u001B[36m${text}\u001B[39m\u001B[22m` : text);

const MIN_COLUMN_WIDTH = 5; // two characters of content, padding included

function fittedTable(head: string[], body: string[][], opts: OutputOptions, wrap: boolean): string {
  // Colours are applied by hand above: cli-table3's own colouring asks process.stdout, not opts.color.
  const style = { head: [], border: [], compact: true };
  const natural = new Table({ head, style });
  natural.push(...body);
  const text = natural.toString();
  const widths = natural.options.colWidths.map((width) => width ?? 0);
  if (opts.width === undefined || lineWidth(widths) <= opts.width) return text;

  const colWidths = fitWidths(widths, opts.width - widths.length - 1);
  const fitted = new Table({ head, style, colWidths, wordWrap: wrap });
  // Wrapping only breaks at spaces; cut longer words ourselves so a record's URL or id is never truncated.
  fitted.push(...(wrap ? body.map((cells) => cells.map((cell, i) => breakLongWords(cell, (colWidths[i] ?? 0) - 2))) : body));
  return fitted.toString();
}

function breakLongWords(text: string, width: number): string {
  if (width < 1) return text;
  return text.replace(new RegExp(`\\S{${width + 1},}`, 'gu'), (word) => {
    const chars = [...word];
    const lines: string[] = [];
    for (let i = 0; i < chars.length; i += width) lines.push(chars.slice(i, i + width).join(''));
    return lines.join('\n');
  });
}

const lineWidth = (widths: number[]): number => widths.reduce((sum, width) => sum + width, 0) + widths.length + 1;

/**
 * The first column names the row (a slug, a field name) and is kept whole while it takes at most
 * half the line; the others share what is left.
 */
function fitWidths(widths: number[], budget: number): number[] {
  const [first = 0, ...rest] = widths;
  if (rest.length === 0 || first > budget / 2) return capWidths(widths, budget);
  return [first, ...capWidths(rest, budget - first)];
}

/** Caps the widest columns at one common width so that the total fits the budget. */
function capWidths(widths: number[], budget: number): number[] {
  const total = (cap: number) => widths.reduce((sum, width) => sum + Math.min(width, cap), 0);
  let cap = Math.max(...widths);
  while (cap > MIN_COLUMN_WIDTH && total(cap) > budget) cap--;
  let spare = budget - total(cap);
  return widths.map((width) => {
    if (width <= cap) return width;
    if (spare > 0) {
      spare--;
      return cap + 1;
    }
    return cap;
  });
}

function csvLines(lines: unknown[][]): string {
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
