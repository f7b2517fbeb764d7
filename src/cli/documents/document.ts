// A priced document (a quote, an invoice): header facts, lines and totals, rendered in the CLI from
// the API's JSON as Markdown, CSV or PDF. Generic on purpose: invoices reuse it.
import { formatCents } from '../../core/money.js';

export interface DocumentLine {
  description: string;
  quantity: number;
  unit_cents: number;
  amount_cents: number;
}

export interface PricedDocument {
  /** e.g. "Quote Q-7K3M9P2X (revision 2)" */
  title: string;
  currency: string;
  /** label and value, in order: number, customer, dates, status… */
  facts: [string, string][];
  lines: DocumentLine[];
  /** label and amount, in order; the last is the one that is due */
  totals: [string, number][];
  /** free text after the totals (notes, warnings) */
  notes: string[];
}

export type DocumentFormat = 'md' | 'csv' | 'pdf';
export const DOCUMENT_FORMATS: readonly DocumentFormat[] = ['md', 'csv', 'pdf'];

export const money = (doc: Pick<PricedDocument, 'currency'>, cents: number) => formatCents(cents, doc.currency);

/** The document in a format, as bytes to write; PDF loads its library only when asked. */
export async function renderDocument(doc: PricedDocument, format: DocumentFormat): Promise<Uint8Array> {
  switch (format) {
    case 'md':
      return Buffer.from((await import('./markdown.js')).renderMarkdown(doc), 'utf8');
    case 'csv':
      return Buffer.from((await import('./csv.js')).renderCsv(doc), 'utf8');
    case 'pdf':
      return (await import('./pdf.js')).renderPdf(doc);
  }
}
