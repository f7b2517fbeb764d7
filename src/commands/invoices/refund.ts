import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { INVOICE_COLUMNS } from '../../cli/billing-columns.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { InvoiceDetail } from '../../client/types.js';
import { formatCents } from '../../core/money.js';

export default class InvoicesRefund extends BaseCommand<typeof InvoicesRefund> {
  static override summary = 'Refund a paid invoice in full (the default) or in part, never more than was paid';
  static override examples = ['<%= config.bin %> invoices refund inv_01jf... --on 2026-12-20 --yes', '<%= config.bin %> invoices refund inv_01jf... --amount 2500 --on 2026-12-20 --yes'];
  static override operation = 'refundInvoice';
  static override roles = ['master_admin'] as const;
  static override apiFields = { amount_cents: '--amount' };
  static override args = { id: Args.string({ description: 'invoice id', required: true }) };
  static override flags = {
    amount: Flags.integer({ description: 'cents to refund (default: all that is left of the payment)', min: 1 }),
    on: Flags.string({ description: 'the day of the refund, YYYY-MM-DD', required: true }),
    ...confirmFlags,
    ...reasonFlag,
  };

  async run(): Promise<InvoiceDetail> {
    const client = await this.writableClient();
    await this.confirm({ action: `refund ${this.flags.amount === undefined ? 'all of' : `${formatCents(this.flags.amount)} of`} invoice ${this.args.id}`, expect: this.args.id, yes: this.flags.yes, confirmFlag: this.flags.confirm });
    const outcome = await client.invoices.refund(this.args.id, { on: this.flags.on, amount_cents: this.flags.amount }, this.flags.reason);
    const invoice = outcome.value;
    this.reportChange(outcome, `Refunded ${invoice.id}: ${formatCents(invoice.refunded_cents)} of ${formatCents(invoice.total_cents)} refunded in all`, `${invoice.id} unchanged`);
    this.printRecord(invoice, INVOICE_COLUMNS);
    return invoice;
  }
}
