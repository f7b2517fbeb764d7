import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import type { BillingRun } from '../../client/types.js';
import { formatCents } from '../../core/money.js';

export default class BillingRunCommand extends BaseCommand<typeof BillingRunCommand> {
  static override summary = 'Issue a period\'s invoices for every subscription in force (master_admin); running it again writes nothing';
  static override description =
    'For period P: P\'s platform fee and add-ons in advance; P−1\'s bands on its peak subscribers (never below the commitment on terms of 12 months or more) and its overage in arrears; term and negotiated discounts. ' +
    'The run also converts trials that ended (their first invoice), renews terms that ended on the same price-book version, applies downgrades due at P\'s start, and marks subscriptions past due (an invoice unpaid 15 days after issue). A period after this month is refused (exit 2).';
  static override examples = ['<%= config.bin %> billing run --period 2026-12'];
  static override flags = { period: Flags.string({ description: 'the month to bill, YYYY-MM', required: true }), ...reasonFlag };

  async run(): Promise<BillingRun> {
    const outcome = await (await this.writableClient()).billing.run({ period: this.flags.period }, this.flags.reason);
    const r = outcome.value;
    this.reportChange(
      outcome,
      `Billed ${r.period}: ${r.issued} invoice${r.issued === 1 ? '' : 's'} for ${formatCents(r.total_cents)}` +
        `${r.converted_trials ? `, ${r.converted_trials} trials converted` : ''}${r.renewed ? `, ${r.renewed} renewed` : ''}${r.downgraded ? `, ${r.downgraded} downgraded` : ''}${r.past_due ? `, ${r.past_due} now past due` : ''}`,
      `${r.period} is already billed (${r.already_invoiced} invoice${r.already_invoiced === 1 ? '' : 's'})`,
    );
    return r;
  }
}
