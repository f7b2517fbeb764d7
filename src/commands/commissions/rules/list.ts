import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { fetchList, listFlags } from '../../../cli/flags.js';
import { parseColumns } from '../../../cli/output.js';
import { COMMISSION_RULE_COLUMNS } from '../../../cli/partner-columns.js';
import type { CommissionRule } from '../../../client/types.js';

export default class CommissionsRulesList extends BaseCommand<typeof CommissionsRulesList> {
  static override summary = 'List commission rules and account overrides (a reseller sees those written for it)';
  static override examples = ['<%= config.bin %> commissions rules list', '<%= config.bin %> commissions rules list --reseller acme --json'];
  static override flags = {
    reseller: Flags.string({ description: 'only this reseller\'s rules (slug or id)' }),
    ...listFlags(COMMISSION_RULE_COLUMNS),
  };

  async run(): Promise<Partial<CommissionRule>[]> {
    const columns = parseColumns(this.flags.columns, COMMISSION_RULE_COLUMNS);
    const client = await this.factory.client();
    const { rows, next } = await fetchList(client, (cursor, limit) => client.commissions.rules({ cursor, limit, reseller: this.flags.reseller }), this.flags);
    const listed = this.printList(rows, COMMISSION_RULE_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More rules: --cursor ${next} (or --all)`);
    return listed;
  }
}
