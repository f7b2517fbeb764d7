import Table from 'cli-table3';

import type { Column } from './output.js';

const GAP = 2;
/** a cut text column keeps at least this much, header included (`Alpha I…`) */
const MIN_CUT_WIDTH = 8;

// Borderless, like gh and kubectl: the only separator is the gap between columns.
const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: ' '.repeat(GAP),
};
// Colours are applied to the header text by the caller: cli-table3's own ask process.stdout, not the IO.
const STYLE = { head: [], border: [], 'padding-left': 0, 'padding-right': 0 };

export interface TableLayout {
  /** terminal columns; without it the table takes its natural width */
  width?: number;
  /** drop columns when the width is short (not when the user chose them) */
  mayDrop: boolean;
}

/**
 * An aligned table in the width: columns with a priority are dropped first, lowest first; then
 * only free-text columns are cut with `…`, and text that cannot be cut short enough is dropped.
 * Slugs, enum values and ids are shown whole or not at all.
 */
export function renderTable(columns: Column[], head: string[], body: string[][], layout: TableLayout): string {
  const natural = measure(head, body);
  const { shown, widths } =
    layout.width === undefined ? { shown: columns.map((_, i) => i), widths: natural } : fit(columns, natural, measure(head, []), layout.width, layout.mayDrop);
  const table = new Table({ head: shown.map((i) => head[i]!), chars: NO_BORDERS, style: STYLE, colWidths: widths });
  table.push(...body.map((cells) => shown.map((i) => cells[i]!)));
  return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}

/** each column's width as cli-table3 measures it (East Asian wide characters count twice) */
function measure(head: string[], body: string[][]): number[] {
  const table = new Table({ head, chars: NO_BORDERS, style: STYLE });
  table.push(...body);
  table.toString();
  return table.options.colWidths.map((width) => width ?? 0);
}

const lineWidth = (widths: number[]): number => widths.reduce((sum, width) => sum + width, 0) + GAP * Math.max(widths.length - 1, 0);

/** Which columns to show (indexes, in order) and at what widths. */
function fit(columns: Column[], natural: number[], headWidths: number[], width: number, mayDrop: boolean): { shown: number[]; widths: number[] } {
  let shown = columns.map((_, i) => i);
  const without = (drop: number) => shown.filter((i) => i !== drop);
  const cut = () => cutWidths(shown.map((i) => columns[i]!), shown.map((i) => natural[i]!), shown.map((i) => headWidths[i]!), width);
  if (!mayDrop) return { shown, widths: cut() };
  const byPriority = shown.filter((i) => columns[i]!.priority !== undefined).sort((a, b) => columns[a]!.priority! - columns[b]!.priority!);
  for (const drop of byPriority) {
    if (lineWidth(shown.map((i) => natural[i]!)) <= width) break;
    shown = without(drop);
  }
  let widths = cut();
  while (lineWidth(widths) > width) {
    const text = shown.findLast((i) => columns[i]!.cut);
    if (text === undefined) break;
    shown = without(text);
    widths = cut();
  }
  return { shown, widths };
}

/** Caps the cut columns at one common width so that the line fits; the others keep theirs. */
function cutWidths(columns: Column[], widths: number[], headWidths: number[], width: number): number[] {
  if (lineWidth(widths) <= width) return widths;
  const floor = widths.map((natural, i) => (columns[i]!.cut ? Math.min(natural, Math.max(headWidths[i]!, MIN_CUT_WIDTH)) : natural));
  const capped = (cap: number) => widths.map((natural, i) => (columns[i]!.cut ? Math.max(floor[i]!, Math.min(natural, cap)) : natural));
  let cap = Math.max(...widths);
  while (cap > 0 && lineWidth(capped(cap)) > width) cap--;
  const result = capped(cap);
  // what the common cap leaves over goes to the columns it cut, a character each
  let spare = width - lineWidth(result);
  for (let i = 0; i < result.length && spare > 0; i++) {
    if (result[i]! < widths[i]!) {
      result[i] = result[i]! + 1;
      spare--;
    }
  }
  return result;
}
