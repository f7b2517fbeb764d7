import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { OPPORTUNITY_COLUMNS, STAGE_CHANGE_COLUMNS } from '../../cli/pipeline-columns.js';
import type { OpportunityDetail } from '../../client/types.js';

export default class PipelineGet extends BaseCommand<typeof PipelineGet> {
  static override summary = 'Show one opportunity with its stage history';
  static override examples = ['<%= config.bin %> pipeline get opp_01jf...', '<%= config.bin %> pipeline get opp_01jf... --json | jq .history'];
  static override args = { id: Args.string({ description: 'opportunity id', required: true }) };

  async run(): Promise<OpportunityDetail> {
    const opportunity = await (await this.factory.client()).opportunities.get(this.args.id);
    this.printRecord(opportunity, OPPORTUNITY_COLUMNS);
    if (!this.jsonEnabled()) {
      this.log('');
      this.printList(opportunity.history, STAGE_CHANGE_COLUMNS);
    }
    return opportunity;
  }
}
