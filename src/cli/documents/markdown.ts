import { money, type PricedDocument } from './document.js';
import { BIDI_CONTROLS, C0, DEL_C1, INVISIBLES } from '../../core/unsafe-text.js';

const UNSAFE_RUN = new RegExp(`[${C0}${DEL_C1}${INVISIBLES}${BIDI_CONTROLS}]+`, 'g');

/**
 * Text from the document as Markdown shows it literally: the punctuation that acts inline (emphasis, code, links, table cells) escaped, line
 * breaks and control characters made spaces, HTML's angle brackets as entities.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(UNSAFE_RUN, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*_[\]|~>#]/g, (ch) => `\\${ch}`);
}

export function renderMarkdown(doc: PricedDocument): string {
  const e = escapeMarkdown;
  const out: string[] = [`# ${e(doc.title)}`, ''];
  for (const [label, value] of doc.facts) out.push(`- **${e(label)}:** ${e(value)}`);
  out.push('', '| Description | Qty | Unit | Amount |', '|---|---:|---:|---:|');
  for (const line of doc.lines) out.push(`| ${e(line.description)} | ${line.quantity} | ${e(money(doc, line.unit_cents))} | ${e(money(doc, line.amount_cents))} |`);
  out.push('', '| Total | Amount |', '|---|---:|');
  for (const [label, cents] of doc.totals) out.push(`| **${e(label)}** | **${e(money(doc, cents))}** |`);
  if (doc.notes.length) out.push('', ...doc.notes.map((note) => `> ${e(note)}`));
  return `${out.join('\n')}\n`;
}
