import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { PAYOUT_COLUMNS, PAYOUT_LINE_COLUMNS } from '../../cli/partner-columns.js';
import type { PayoutDetail } from '../../client/types.js';

export default class PayoutsGet extends BaseCommand<typeof PayoutsGet> {
  static override summary = 'Show a payout and the commission events it paid';
  static override examples = ['<%= config.bin %> payouts get pay_01jf9x2k3m4n5p6q7r8s9t0v1w'];
  static override args = { id: Args.string({ description: 'payout id', required: true }) };

  async run(): Promise<PayoutDetail> {
    const payout = await (await this.factory.client()).payouts.get(this.args.id);
    this.printRecord(payout, PAYOUT_COLUMNS);
    if (!this.jsonEnabled() && payout.lines.length > 0) {
      this.log('');
      this.printList(payout.lines, PAYOUT_LINE_COLUMNS);
    }
    return payout;
  }
}
