import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { COMMISSION_COLUMNS } from '../../cli/partner-columns.js';
import type { Commission } from '../../client/types.js';

export default class CommissionsResolve extends BaseCommand<typeof CommissionsResolve> {
  static override summary = 'Resolve a disputed commission event: restore it, or with --cancel cancel it (unpaid only; staff)';
  static override examples = ['<%= config.bin %> commissions resolve com_01jf9x2k3m4n5p6q7r8s9t0v1w --reason "rate confirmed"'];
  static override args = { id: Args.string({ description: 'commission event id', required: true }) };
  static override flags = {
    cancel: Flags.boolean({ description: 'uphold the dispute: cancel the event', default: false }),
    ...reasonFlag,
  };

  async run(): Promise<Commission> {
    const outcome = await (await this.writableClient()).commissions.resolve(this.args.id, { cancel: this.flags.cancel }, this.flags.reason);
    this.reportChange(outcome, `Resolved ${this.args.id}: ${outcome.value.status}`, `${this.args.id} is not disputed`);
    this.printRecord(outcome.value, COMMISSION_COLUMNS);
    return outcome.value;
  }
}
