import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { INVOICE_COLUMNS } from '../../cli/billing-columns.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { InvoiceDetail } from '../../client/types.js';

export default class InvoicesVoid extends BaseCommand<typeof InvoicesVoid> {
  static override summary = 'Void an open invoice (a paid one is refunded instead: exit 6)';
  static override examples = ['<%= config.bin %> invoices void inv_01jf... --yes --reason "issued twice"'];
  static override operation = 'voidInvoice';
  static override roles = ['master_admin'] as const;
  static override args = { id: Args.string({ description: 'invoice id', required: true }) };
  static override flags = { on: Flags.string({ description: 'the day, YYYY-MM-DD (default: today)' }), ...confirmFlags, ...reasonFlag };

  async run(): Promise<InvoiceDetail> {
    const client = await this.writableClient();
    await this.confirm({ action: `void invoice ${this.args.id}`, expect: this.args.id, yes: this.flags.yes, confirmFlag: this.flags.confirm });
    const outcome = await client.invoices.void(this.args.id, { on: this.flags.on }, this.flags.reason);
    const invoice = outcome.value;
    this.reportChange(outcome, `Voided ${invoice.id}`, `${invoice.id} is already void`);
    this.printRecord(invoice, INVOICE_COLUMNS);
    return invoice;
  }
}
