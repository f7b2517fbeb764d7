import type { InvoiceDetail } from '../../client/types.js';
import type { PricedDocument } from './document.js';

/** An invoice as a priced document: its number, customer, dates and status, every line, the totals. */
export function invoiceDocument(invoice: InvoiceDetail): PricedDocument {
  const facts: [string, string][] = [
    ['Invoice', invoice.id],
    ['Status', invoice.status],
    ['Kind', invoice.kind],
    ['Customer', invoice.tenant_id],
    ['Subscription', invoice.subscription_id],
    ['Period', invoice.period],
    ['Issued', invoice.issued_on],
    ['Due', invoice.due_on],
  ];
  if (invoice.paid_on) facts.push(['Paid', invoice.paid_on]);
  if (invoice.voided_on) facts.push(['Voided', invoice.voided_on]);
  if (invoice.refunded_on) facts.push(['Refunded', invoice.refunded_on]);
  const totals: [string, number][] = [
    ['Recurring (platform fee, bands, add-ons, after discounts)', invoice.recurring_cents],
    ['Total', invoice.total_cents],
  ];
  if (invoice.refunded_cents > 0) totals.splice(1, 0, ['Refunded', -invoice.refunded_cents]);
  if (invoice.refunded_cents > 0) totals.push(['Net of refunds', invoice.total_cents - invoice.refunded_cents]);
  return {
    title: `Invoice ${invoice.id}`,
    currency: 'USD',
    facts,
    lines: invoice.lines.map(({ description, quantity, unit_cents, amount_cents }) => ({ description, quantity, unit_cents, amount_cents })),
    totals,
    notes: invoice.status === 'void' ? ['This invoice is void.'] : [],
  };
}
