import { BaseCommand } from '../../cli/base-command.js';
import { FLAG_EVALUATION_COLUMNS } from '../../cli/flag-columns.js';
import { tenantFlag } from '../../cli/flags.js';
import type { FlagEvaluation } from '../../client/types.js';

export default class FlagsEvaluate extends BaseCommand<typeof FlagsEvaluate> {
  static override summary = "Every flag, on or off, for one tenant (an instance or tenant_admin token: its own; master_admin: --tenant)";
  static override description = 'What an instance agent reads from `GET /v1/flags/evaluate`. --json prints `{"tenant_id": ..., "flags": {"KEY": true|false}}`.';
  static override examples = ['<%= config.bin %> flags evaluate --tenant acme', 'DOTMAC_TOKEN=$INSTANCE_TOKEN <%= config.bin %> flags evaluate --json'];
  static override flags = { ...tenantFlag };

  async run(): Promise<FlagEvaluation> {
    const evaluation = await (await this.factory.client()).flags.evaluate({ tenant: this.flags.tenant || undefined });
    const rows = Object.entries(evaluation.flags).map(([key, on]) => ({ key, on }));
    if (!this.jsonEnabled()) {
      if (rows.length === 0) this.note('No feature flags.');
      else this.printList(rows, FLAG_EVALUATION_COLUMNS);
    }
    return evaluation;
  }
}
