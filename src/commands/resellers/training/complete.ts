import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { reasonFlag } from '../../../cli/flags.js';
import { TRAINING_COLUMNS } from '../../../cli/partner-columns.js';
import type { ResellerTraining } from '../../../client/types.js';

export default class ResellersTrainingComplete extends BaseCommand<typeof ResellersTrainingComplete> {
  static override summary = 'Record a certification module the reseller completed (staff)';
  static override examples = ['<%= config.bin %> resellers training complete acme --module sales-cert --on 2026-11-20'];
  static override args = { reseller: Args.string({ description: 'reseller slug or id', required: true }) };
  static override flags = {
    module: Flags.string({ description: 'the module', options: ['platform-basics', 'sales-cert', 'technical-cert', 'advanced-support'], required: true }),
    on: Flags.string({ description: 'the day it was completed, YYYY-MM-DD (default today)' }),
    ...reasonFlag,
  };

  async run(): Promise<ResellerTraining> {
    const f = this.flags;
    const outcome = await (await this.writableClient()).resellers.completeTraining(this.args.reseller, { module: f.module as ResellerTraining['modules'][number]['module'], on: f.on }, f.reason);
    this.reportChange(outcome, `Recorded ${f.module}`, `${f.module} was already completed`);
    this.printList(outcome.value.modules, TRAINING_COLUMNS);
    return outcome.value;
  }
}
