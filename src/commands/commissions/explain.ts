import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { terminalSafe } from '../../cli/output.js';
import { COMMISSION_COLUMNS } from '../../cli/partner-columns.js';
import type { CommissionExplanation } from '../../client/types.js';

export default class CommissionsExplain extends BaseCommand<typeof CommissionsExplain> {
  static override summary = 'Explain a commission event: its base, rate, the rule that chose the rate, and the invoice it came from';
  static override examples = ['<%= config.bin %> commissions explain com_01jf9x2k3m4n5p6q7r8s9t0v1w'];
  static override args = { id: Args.string({ description: 'commission event id', required: true }) };

  async run(): Promise<CommissionExplanation> {
    const event = await (await this.factory.client()).commissions.explain(this.args.id);
    this.printRecord(event, COMMISSION_COLUMNS);
    if (!this.jsonEnabled()) {
      this.log('');
      for (const line of event.explanation) this.log(terminalSafe(line));
      if (event.rule) this.log(terminalSafe(`rule ${event.rule.id} (priority ${event.rule.priority}): ${event.rule.description}`));
    }
    return event;
  }
}
