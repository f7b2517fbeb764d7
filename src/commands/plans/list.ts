import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { PLAN_COLUMNS } from '../../cli/billing-columns.js';
import { parseColumns } from '../../cli/output.js';
import type { PlanList } from '../../client/types.js';

export default class PlansList extends BaseCommand<typeof PlansList> {
  static override summary = 'List the plans of a price book (default: the newest)';
  static override examples = ['<%= config.bin %> plans list', '<%= config.bin %> plans list --version 2025.1 --json'];
  static override flags = {
    version: Flags.string({ description: 'a published version (default: the newest)' }),
    csv: Flags.boolean({ description: 'print CSV', default: false, exclusive: ['json'] }),
    columns: Flags.string({ description: 'comma-separated columns to show, in order' }),
  };

  async run(): Promise<PlanList> {
    const columns = parseColumns(this.flags.columns, PLAN_COLUMNS);
    const plans = await (await this.factory.client()).pricebooks.plans(this.flags.version);
    this.printList(plans.data, PLAN_COLUMNS, { csv: this.flags.csv, columns });
    return plans;
  }
}
