import { describe, expect, it } from 'vitest';
import { renderDocument, type PricedDocument } from '../../../src/cli/documents/document.js';
import { escapeMarkdown, renderMarkdown } from '../../../src/cli/documents/markdown.js';
import { renderCsv } from '../../../src/cli/documents/csv.js';

const doc: PricedDocument = {
  title: 'Quote Q-TEST0001',
  currency: 'USD',
  facts: [
    ['Customer', '=HYPERLINK("http://evil.example","click") *bold* | pipe <script>'],
    ['Plan', 'professional'],
  ],
  lines: [
    { description: 'Professional platform fee, 1,000 subscribers included', quantity: 1, unit_cents: 14900, amount_cents: 14900 },
    { description: '@SUM(A1:A9)', quantity: 800, unit_cents: 14, amount_cents: 11200 },
    { description: 'Term discount 10 %', quantity: 1, unit_cents: -2610, amount_cents: -2610 },
  ],
  totals: [
    ['Monthly total', 23490],
    ['First invoice (first month + setup)', 73490],
  ],
  notes: ['Warning: over the hard cap\nnext line'],
};

/** The text of every page of a PDF, as a reader extracts it (pdfjs-dist's legacy build runs on Node 20). */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages.join('\n');
}

describe('a priced document', () => {
  it('as Markdown: every line and total, text escaped so that it shows literally', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain('# Quote Q-TEST0001');
    expect(md).toContain('| Professional platform fee, 1,000 subscribers included | 1 | $149.00 | $149.00 |');
    expect(md).toContain('| **Monthly total** | **$234.90** |');
    expect(md).toContain('\\*bold\\* \\| pipe &lt;script\\>');
    expect(md).toContain('> Warning: over the hard cap next line');
    expect(escapeMarkdown('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
  });

  it('as CSV: amounts in cents, formula cells guarded', () => {
    const csv = renderCsv(doc);
    expect(csv.split('\n')[0]).toBe('section,label,quantity,unit_cents,amount_cents,currency');
    expect(csv).toContain('line,\'@SUM(A1:A9),800,14,11200,USD');
    expect(csv).toContain('total,Monthly total,,,23490,USD');
    expect(csv).toContain('line,Term discount 10 %,1,-2610,-2610,USD');
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('as a real PDF that a reader opens, with the lines and the totals', async () => {
    const bytes = await renderDocument(doc, 'pdf');
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain('Quote Q-TEST0001');
    expect(text).toContain('Monthly total');
    expect(text).toContain('$234.90');
    expect(text).toContain('$734.90');
    expect(text).toContain('-$26.10');
  });

  it('as a PDF: Latin-1 and the extras its standard fonts draw kept, anything else shown as "?"', async () => {
    const bytes = await renderDocument({ ...doc, title: 'Caf\u00e9 \u20ac5 \u2013 \u201cbest\u201d\u2026 \u2713 \u4e2d' }, 'pdf');
    expect(await pdfText(bytes)).toContain('Caf\u00e9 \u20ac5 \u2013 \u201cbest\u201d\u2026 ? ?');
  });
});

