import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { OPPORTUNITY_COLUMNS } from '../../cli/pipeline-columns.js';
import type { OpportunityDetail } from '../../client/types.js';

export default class PipelineMove extends BaseCommand<typeof PipelineMove> {
  static override summary = 'Move an opportunity to another stage';
  static override description =
    'Stages: lead → qualified → proposal → negotiation → won | lost. An open opportunity moves forward any number of stages, back one stage ' +
    '(a deal that slipped), or to lost; won and lost are final (exit 6). Each move is kept in its history with who, when and --reason.';
  static override examples = ['<%= config.bin %> pipeline move opp_01jf... --stage proposal', '<%= config.bin %> pipeline move opp_01jf... --stage lost --reason "chose a competitor"'];
  static override args = { id: Args.string({ description: 'opportunity id', required: true }) };
  static override flags = {
    stage: Flags.string({ description: 'the stage to move to', required: true, options: ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] }),
    ...reasonFlag,
  };

  async run(): Promise<OpportunityDetail> {
    const { stage, reason } = this.flags;
    const outcome = await (await this.writableClient()).opportunities.move(this.args.id, { stage: stage as 'lead', reason }, reason);
    const o = outcome.value;
    this.reportChange(outcome, `Moved ${o.id} to ${o.stage}`, `${o.id} is already at ${o.stage}`);
    this.printRecord(o, OPPORTUNITY_COLUMNS);
    return o;
  }
}
