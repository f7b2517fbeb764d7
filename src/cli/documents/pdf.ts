import { money, type PricedDocument } from './document.js';

/** Printable text: PDFKit's standard fonts cover Latin-1; anything else becomes "?" rather than garbage
 * (WinAnsi's extras, written as escapes: a bundle kept ASCII is read without decoding UTF-8). */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/[^\u0020-\u00ff\u20ac\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g, '?');

/** A one-page-per-screenful PDF with the header facts, the lines and the totals (PDFKit, loaded only here). */
export async function renderPdf(doc: PricedDocument): Promise<Uint8Array> {
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({ size: 'A4', margin: 50, info: { Title: printable(doc.title), Producer: 'dotmac', Creator: 'dotmac' }, compress: true });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });

  const left = 50;
  const width = pdf.page.width - 100;
  const cols = { desc: left, qty: left + width * 0.55, unit: left + width * 0.66, amount: left + width * 0.83 };
  pdf.font('Helvetica-Bold').fontSize(18).text(printable(doc.title), left, 50);
  pdf.moveDown(0.5).font('Helvetica').fontSize(10);
  for (const [label, value] of doc.facts) pdf.text(`${printable(label)}: ${printable(value)}`);
  pdf.moveDown();

  const row = (cells: [string, string, string, string], bold = false) => {
    if (pdf.y > pdf.page.height - 100) pdf.addPage();
    const y = pdf.y;
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    pdf.text(cells[0], cols.desc, y, { width: cols.qty - cols.desc - 8 });
    const after = pdf.y;
    pdf.text(cells[1], cols.qty, y, { width: cols.unit - cols.qty - 8, align: 'right' });
    pdf.text(cells[2], cols.unit, y, { width: cols.amount - cols.unit - 8, align: 'right' });
    pdf.text(cells[3], cols.amount, y, { width: left + width - cols.amount, align: 'right' });
    pdf.y = Math.max(after, pdf.y) + 4;
  };
  row(['Description', 'Qty', 'Unit', 'Amount'], true);
  pdf.moveTo(left, pdf.y).lineTo(left + width, pdf.y).stroke();
  pdf.y += 4;
  for (const line of doc.lines) row([printable(line.description), String(line.quantity), money(doc, line.unit_cents), money(doc, line.amount_cents)]);
  pdf.moveTo(left, pdf.y).lineTo(left + width, pdf.y).stroke();
  pdf.y += 6;
  for (const [label, cents] of doc.totals) row([printable(label), '', '', money(doc, cents)], true);
  if (doc.notes.length) {
    pdf.moveDown();
    pdf.font('Helvetica').fontSize(9);
    for (const note of doc.notes) pdf.text(printable(note), left, pdf.y, { width });
  }
  pdf.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
