import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { INVOICE_COLUMNS, LINE_COLUMNS } from '../../cli/billing-columns.js';
import type { InvoiceDetail } from '../../client/types.js';

export default class InvoicesGet extends BaseCommand<typeof InvoicesGet> {
  static override summary = 'Show one invoice with its lines';
  static override examples = ['<%= config.bin %> invoices get inv_01jf...'];
  static override args = { id: Args.string({ description: 'invoice id', required: true }) };

  async run(): Promise<InvoiceDetail> {
    const invoice = await (await this.factory.client()).invoices.get(this.args.id);
    this.printRecord(invoice, INVOICE_COLUMNS);
    if (!this.jsonEnabled()) this.printList(invoice.lines, LINE_COLUMNS);
    return invoice;
  }
}
