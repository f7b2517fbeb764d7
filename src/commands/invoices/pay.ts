import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { INVOICE_COLUMNS } from '../../cli/billing-columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { InvoiceDetail } from '../../client/types.js';
import { formatCents } from '../../core/money.js';

export default class InvoicesPay extends BaseCommand<typeof InvoicesPay> {
  static override summary = 'Record an invoice\'s payment on the day it happened (a void invoice cannot be paid: exit 6)';
  static override examples = ['<%= config.bin %> invoices pay inv_01jf... --on 2026-12-05'];
  static override args = { id: Args.string({ description: 'invoice id', required: true }) };
  static override flags = { on: Flags.string({ description: 'the day the payment was received, YYYY-MM-DD', required: true }), ...reasonFlag };

  async run(): Promise<InvoiceDetail> {
    const outcome = await (await this.writableClient()).invoices.pay(this.args.id, { on: this.flags.on }, this.flags.reason);
    const invoice = outcome.value;
    this.reportChange(outcome, `Paid ${invoice.id} (${formatCents(invoice.total_cents)}) on ${invoice.paid_on}`, `${invoice.id} was already paid on ${invoice.paid_on}`);
    this.printRecord(invoice, INVOICE_COLUMNS);
    return invoice;
  }
}
