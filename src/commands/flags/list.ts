import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { FLAG_COLUMNS } from '../../cli/flag-columns.js';
import { columnName, parseColumns } from '../../cli/output.js';
import type { FeatureFlag } from '../../client/types.js';

export default class FlagsList extends BaseCommand<typeof FlagsList> {
  static override summary = 'List feature flags, with how many tenants each is on for now (master_admin)';
  static override description =
    'A flag is on for a tenant when the tenant is in its --tenants list, or its hash bucket falls under the rollout, and the tenant is not in its --except list. ' +
    '"on for" counts tenants that are not cancelled.';
  static override examples = ['<%= config.bin %> flags list', '<%= config.bin %> flags list --json | jq \'.[] | select(.state == "partial")\''];
  static override flags = {
    csv: Flags.boolean({ description: 'print CSV', default: false, exclusive: ['json'] }),
    columns: Flags.string({ description: `comma-separated columns to show, in order: ${FLAG_COLUMNS.map(columnName).join(', ')}` }),
  };

  async run(): Promise<Partial<FeatureFlag>[]> {
    const columns = parseColumns(this.flags.columns, FLAG_COLUMNS);
    const { data } = await (await this.factory.client()).flags.list();
    if (data.length === 0 && !this.jsonEnabled()) this.note('No feature flags. Create one with `dotmac flags create KEY`.');
    return this.printList(data, FLAG_COLUMNS, { csv: this.flags.csv, columns });
  }
}
