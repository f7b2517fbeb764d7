import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { dollars } from '../../cli/columns.js';
import { listFlags } from '../../cli/flags.js';
import { parseColumns, pickFields } from '../../cli/output.js';
import { OPPORTUNITY_COLUMNS, STAGE_TOTAL_COLUMNS } from '../../cli/pipeline-columns.js';
import type { OpportunityPage } from '../../client/types.js';

export default class PipelineList extends BaseCommand<typeof PipelineList> {
  static override summary = 'List opportunities with their weighted value, and totals by stage';
  static override description =
    'Weighted value = value × the stage\'s probability (lead 10 %, qualified 25 %, proposal 50 %, negotiation 75 %, won 100 %, lost 0 %), ' +
    'rounded half-up to a cent; totals are over every opportunity the filters match, not only the page shown. --json gives ' +
    '{data, next_cursor, totals, total} in cents.';
  static override examples = ['<%= config.bin %> pipeline list', '<%= config.bin %> pipeline list --stage proposal', '<%= config.bin %> pipeline list --reseller acme --json | jq .total'];
  static override flags = {
    stage: Flags.string({ description: 'only this stage', options: ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] }),
    reseller: Flags.string({ description: 'only this reseller\'s (slug or id; staff)' }),
    ...listFlags(OPPORTUNITY_COLUMNS),
  };

  async run(): Promise<OpportunityPage | Partial<OpportunityPage['data'][number]>[]> {
    const f = this.flags;
    const columns = parseColumns(f.columns, OPPORTUNITY_COLUMNS);
    const client = await this.factory.client();
    let page = await client.opportunities.list({ stage: f.stage, reseller: f.reseller, limit: f.all ? 500 : f.limit, cursor: f.cursor });
    const data = [...page.data];
    while (f.all && page.next_cursor) {
      page = await client.opportunities.list({ stage: f.stage, reseller: f.reseller, limit: 500, cursor: page.next_cursor });
      data.push(...page.data);
    }
    const result = { ...page, data };
    if (this.jsonEnabled()) return { ...result, data: data.map((o) => pickFields(o, columns)) } as OpportunityPage;
    if (f.csv) return this.printList(data, OPPORTUNITY_COLUMNS, { csv: true, columns });
    if (data.length === 0) this.note('No opportunities.');
    else this.printList(data, OPPORTUNITY_COLUMNS, { columns });
    this.log('');
    this.printList(result.totals.filter((t) => t.count > 0), STAGE_TOTAL_COLUMNS);
    this.note(`Total: ${result.total.count} opportunities, ${dollars(result.total.value_cents)}, weighted ${dollars(result.total.weighted_cents)}`);
    if (result.next_cursor) this.note(`More opportunities: --cursor ${result.next_cursor} (or --all)`);
    return result;
  }
}
