import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { DOCUMENT_FORMATS, renderDocument, type DocumentFormat } from '../../cli/documents/document.js';
import { invoiceDocument } from '../../cli/documents/invoice.js';
import { writeNewFile } from '../../cli/new-file.js';

export default class InvoicesExport extends BaseCommand<typeof InvoicesExport> {
  static override summary = 'Write an invoice as a Markdown, CSV or PDF document (a new file, 0600)';
  static override examples = ['<%= config.bin %> invoices export inv_01jf... --format pdf --out invoice.pdf', '<%= config.bin %> invoices export inv_01jf... --format csv --out invoice.csv'];
  static override args = { id: Args.string({ description: 'invoice id', required: true }) };
  static override flags = {
    format: Flags.string({ description: 'document format', options: [...DOCUMENT_FORMATS], required: true }),
    out: Flags.string({ char: 'o', description: 'the file to write (must not exist)', required: true }),
  };

  async run(): Promise<{ invoice: string; format: string; path: string; bytes: number }> {
    const invoice = await (await this.factory.client()).invoices.get(this.args.id);
    const bytes = await renderDocument(invoiceDocument(invoice), this.flags.format as DocumentFormat);
    writeNewFile(this.flags.out, bytes, 'choose another --out, or remove the file first');
    this.note(`Wrote invoice ${invoice.id} as ${this.flags.format} to ${this.flags.out} (${bytes.length} bytes)`);
    return { invoice: invoice.id, format: this.flags.format, path: this.flags.out, bytes: bytes.length };
  }
}
