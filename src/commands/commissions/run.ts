import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import type { CommissionRun } from '../../client/types.js';
import { formatCents } from '../../core/money.js';

export default class CommissionsRunCommand extends BaseCommand<typeof CommissionsRunCommand> {
  static override summary = 'Record a period\'s commissions on the invoices paid in it (master_admin); running it again writes nothing';
  static override description =
    'For period P: every invoice with a reseller of record paid in P earns its recurring (with the contract bonus), initial and renewal commissions; the quarter\'s last month also writes each partner\'s quarterly bonus; refunds dated in P and cancellations in P within 90 days of the first paid invoice claw back. ' +
    'An invoice of the 12 months after an upgrade also earns upsell on the upgrade\'s expansion MRR. A period after this month is refused (exit 2).';
  static override examples = ['<%= config.bin %> commissions run --period 2026-12', '<%= config.bin %> commissions run --period 2026-12 --json'];
  static override flags = { period: Flags.string({ description: 'the month whose payments earn commissions, YYYY-MM', required: true }), ...reasonFlag };

  async run(): Promise<CommissionRun> {
    const outcome = await (await this.writableClient()).commissions.run({ period: this.flags.period }, this.flags.reason);
    const r = outcome.value;
    this.reportChange(
      outcome,
      `Commissions for ${r.period}: ${r.written} event${r.written === 1 ? '' : 's'} written for ${formatCents(r.earned_cents)} over ${r.invoices} paid invoice${r.invoices === 1 ? '' : 's'}` +
        `${r.bonuses ? `, ${r.bonuses} quarterly bonus${r.bonuses === 1 ? '' : 'es'}` : ''}${r.clawbacks ? `, ${r.clawbacks} clawback${r.clawbacks === 1 ? '' : 's'}` : ''}${r.cancelled ? `, ${r.cancelled} unpaid event${r.cancelled === 1 ? '' : 's'} cancelled` : ''}`,
      `${r.period}: nothing to write (${r.invoices} paid invoice${r.invoices === 1 ? '' : 's'}, every event already recorded)`,
    );
    return r;
  }
}
