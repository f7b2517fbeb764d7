import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { DOCUMENT_FORMATS, renderDocument, type DocumentFormat } from '../../cli/documents/document.js';
import { quoteDocument } from '../../cli/documents/quote.js';
import { writeNewFile } from '../../cli/new-file.js';

export default class QuotesExport extends BaseCommand<typeof QuotesExport> {
  static override summary = 'Write a quote as a Markdown, CSV or PDF document (a new file, 0600)';
  static override examples = ['<%= config.bin %> quotes export Q-7K3M9P2X --format pdf --out fibernet-quote.pdf', '<%= config.bin %> quotes export Q-7K3M9P2X --format md --out quote.md'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = {
    format: Flags.string({ description: 'document format', options: [...DOCUMENT_FORMATS], required: true }),
    out: Flags.string({ char: 'o', description: 'the file to write (must not exist)', required: true }),
  };

  async run(): Promise<{ quote: string; format: string; path: string; bytes: number }> {
    const quote = await (await this.factory.client()).quotes.get(this.args.quote);
    const bytes = await renderDocument(quoteDocument(quote), this.flags.format as DocumentFormat);
    writeNewFile(this.flags.out, bytes, 'choose another --out, or remove the file first');
    this.note(`Wrote quote ${quote.number} as ${this.flags.format} to ${this.flags.out} (${bytes.length} bytes)`);
    return { quote: quote.number, format: this.flags.format, path: this.flags.out, bytes: bytes.length };
  }
}
