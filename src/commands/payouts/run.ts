import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { dollars } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import { PAYOUT_COLUMNS } from '../../cli/partner-columns.js';
import type { PayoutRun } from '../../client/types.js';

export default class PayoutsRun extends BaseCommand<typeof PayoutsRun> {
  static override summary = 'Run the payouts of a day: eligible events by the previous month\'s end, net of clawbacks (staff)';
  static override description =
    'Per reseller, the events that became eligible on or before the last day of the month before --on are netted (clawbacks included). ' +
    'A net of 10,000 cents or more is paid; less, or negative, is carried forward: its events wait for the next run. ' +
    'A day is run once: running it again writes nothing and shows that day\'s payouts.';
  static override examples = ['<%= config.bin %> payouts run --on 2026-03-15'];
  static override flags = {
    on: Flags.string({ description: 'the run day, YYYY-MM-DD (normally the 15th)', required: true }),
    ...reasonFlag,
  };

  async run(): Promise<PayoutRun> {
    const run = await (await this.writableClient()).payouts.run({ on: this.flags.on }, this.flags.reason);
    const paid = run.payouts.filter((p) => p.status === 'paid').length;
    this.note(
      run.written > 0
        ? `Payout run ${run.on} (events eligible by ${run.cutoff}): ${dollars(run.paid_cents)} paid to ${paid} reseller${paid === 1 ? '' : 's'}, ${run.written - paid} carried forward (under $100.00 or negative)`
        : run.payouts.length > 0
          ? `${run.on} was already run; nothing changed`
          : `Nothing eligible by ${run.cutoff}; nothing recorded`,
    );
    this.printList(run.payouts, PAYOUT_COLUMNS);
    return run;
  }
}
