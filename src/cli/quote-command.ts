import type { Command } from '@oclif/core';
import { formatCents } from '../core/money.js';
import type { Quote } from '../client/types.js';
import { BaseCommand } from './base-command.js';
import { PRICE_LINE_COLUMNS, QUOTE_COLUMNS } from './columns.js';
import { renderList, renderRecord } from './output.js';

/** The quote commands: each shows the quote it acted on, with every line and both totals. */
export abstract class QuoteCommand<T extends typeof Command> extends BaseCommand<T> {
  /** The quote for people: its facts, its lines, the totals, and any warning on stderr; nothing with --json. */
  protected showQuote(quote: Quote): void {
    for (const warning of quote.warnings) this.note(`Warning: ${warning}`);
    if (quote.flags.includes('upgrade_required')) this.note('Flag: upgrade_required');
    if (this.jsonEnabled()) return;
    const io = this.factory.io;
    const format = io.stdoutIsTTY ? 'table' : 'tsv';
    const facts = QUOTE_COLUMNS.filter((c) => !['monthly_cents', 'first_invoice_cents'].includes(c.key) && (!c.extra || ['prospect_email', 'region', 'addons', 'price_book_version', 'note', 'refusal_reason', 'rejection_reason', 'accepted_on', 'id'].includes(c.key)));
    const shown = facts.filter((c) => {
      const value = c.get ? c.get(quote) : (quote as Record<string, unknown>)[c.key];
      return value !== null && value !== undefined && value !== '';
    });
    process.stdout.write(renderRecord(quote as unknown as Record<string, unknown>, shown, { format, color: io.color, width: io.width }));
    process.stdout.write('\n');
    const lines = quote.lines.map((line) => ({ ...line, currency: quote.currency }));
    process.stdout.write(renderList(lines, PRICE_LINE_COLUMNS, { format, color: io.color, width: io.width }));
    process.stdout.write('\n');
    const totals: [string, number][] = [
      ['Monthly total', quote.monthly_cents],
      ['Setup', quote.setup_cents],
      ['First invoice (first month + setup)', quote.first_invoice_cents],
    ];
    const width = Math.max(...totals.map(([label]) => label.length));
    for (const [label, cents] of totals) process.stdout.write(io.stdoutIsTTY ? `${label.padEnd(width + 2)}${formatCents(cents, quote.currency)}\n` : `${label}\t${formatCents(cents, quote.currency)}\n`);
  }
}
