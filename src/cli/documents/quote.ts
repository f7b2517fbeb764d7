import type { Quote } from '../../client/types.js';
import type { PricedDocument } from './document.js';

/** A quote as a priced document: who it is for, its terms and validity, every line, the totals. */
export function quoteDocument(quote: Quote): PricedDocument {
  const facts: [string, string][] = [
    ['Quote number', `${quote.number} (revision ${quote.revision})`],
    ['Status', quote.status.replace('_', ' ')],
    ['Customer', quote.prospect_name ?? quote.customer_tenant_slug ?? quote.customer_tenant_id ?? ''],
  ];
  if (quote.prospect_email) facts.push(['Email', quote.prospect_email]);
  facts.push(
    ['Plan', quote.plan],
    ['Term', `${quote.term_months} month${quote.term_months === 1 ? '' : 's'}`],
    ['Subscribers', quote.subscribers.toLocaleString('en-US')],
    ['Region', quote.region],
    ['Valid until', `${quote.valid_until} (23:59:59 UTC)`],
    ['Price book', quote.price_book_version],
  );
  if (quote.reseller_slug) facts.push(['Reseller', quote.reseller_slug]);
  const notes = [...quote.warnings.map((w) => `Warning: ${w}`), ...(quote.flags.includes('upgrade_required') ? ['Flag: upgrade_required'] : [])];
  if (quote.note) notes.push(`Note: ${quote.note}`);
  return {
    title: `Quote ${quote.number}`,
    currency: quote.currency,
    facts,
    lines: quote.lines.map(({ description, quantity, unit_cents, amount_cents }) => ({ description, quantity, unit_cents, amount_cents })),
    totals: [
      ['Monthly total', quote.monthly_cents],
      ['Setup', quote.setup_cents],
      ['First invoice (first month + setup)', quote.first_invoice_cents],
    ],
    notes,
  };
}
