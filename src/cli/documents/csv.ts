import { csvLines } from '../output.js';
import type { PricedDocument } from './document.js';

/**
 * One table a spreadsheet opens: the facts as `fact` rows, then one row per line, then the
 * totals; amounts in integer cents (as --json carries them). Every cell is guarded against formulas.
 */
export function renderCsv(doc: PricedDocument): string {
  const rows: unknown[][] = [['section', 'label', 'quantity', 'unit_cents', 'amount_cents', 'currency']];
  rows.push(['title', doc.title, '', '', '', doc.currency]);
  for (const [label, value] of doc.facts) rows.push(['fact', `${label}: ${value}`, '', '', '', '']);
  for (const line of doc.lines) rows.push(['line', line.description, line.quantity, line.unit_cents, line.amount_cents, doc.currency]);
  for (const [label, cents] of doc.totals) rows.push(['total', label, '', '', cents, doc.currency]);
  for (const note of doc.notes) rows.push(['note', note, '', '', '', '']);
  return csvLines(rows);
}
