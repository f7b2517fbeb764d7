import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { COMMISSION_COLUMNS } from '../../cli/partner-columns.js';
import type { Commission } from '../../client/types.js';

export default class CommissionsDispute extends BaseCommand<typeof CommissionsDispute> {
  static override summary = 'Dispute a commission event (within 60 days of its period\'s statement): it stays out of payouts until resolved';
  static override examples = ['<%= config.bin %> commissions dispute com_01jf9x2k3m4n5p6q7r8s9t0v1w --reason "the FiberNet deal rate applies"'];
  static override args = { id: Args.string({ description: 'commission event id', required: true }) };
  static override flags = {
    reason: Flags.string({ description: 'what is wrong with it (recorded with the event and in the audit trail)', required: true }),
  };

  async run(): Promise<Commission> {
    const outcome = await (await this.writableClient()).commissions.dispute(this.args.id, { reason: this.flags.reason }, this.flags.reason);
    this.reportChange(outcome, `Disputed ${this.args.id}`, `${this.args.id} is already disputed`);
    this.printRecord(outcome.value, COMMISSION_COLUMNS);
    return outcome.value;
  }
}
