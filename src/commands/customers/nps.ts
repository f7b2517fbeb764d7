import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import { NPS_COLUMNS } from '../../cli/pipeline-columns.js';
import type { NpsResponse } from '../../client/types.js';

export default class CustomersNps extends BaseCommand<typeof CustomersNps> {
  static override summary = 'Record a customer\'s NPS answer (0–10), the sentiment input of its health';
  static override examples = ['<%= config.bin %> customers nps --tenant fibernet --score 9 --comment "support is quick"'];
  static override flags = {
    ...tenantFlag,
    score: Flags.integer({ description: 'how likely the customer is to recommend, 0–10', required: true, min: 0, max: 10 }),
    comment: Flags.string({ description: 'what the customer said' }),
    ...reasonFlag,
  };

  async run(): Promise<NpsResponse> {
    const tenant = await this.tenantRef(this.flags.tenant);
    const answer = await (await this.writableClient()).customers.recordNps(tenant, { score: this.flags.score, comment: this.flags.comment }, this.flags.reason);
    this.note(`Recorded NPS ${answer.score} for ${answer.tenant_slug}`);
    this.printRecord(answer, NPS_COLUMNS);
    return answer;
  }
}
