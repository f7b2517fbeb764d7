import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { usageError } from '../../cli/errors.js';
import { parseColumns } from '../../cli/output.js';
import { KPI_COLUMNS } from '../../cli/partner-columns.js';
import type { ResellerKpis } from '../../client/types.js';

export default class ResellersKpis extends BaseCommand<typeof ResellersKpis> {
  static override summary = 'A reseller\'s KPIs for a month, or every reseller\'s (a reseller sees only its own)';
  static override description =
    'Revenue collected (paid invoices less refunds in the month), new, expansion, contraction and churned MRR, net revenue retention, ' +
    'the open pipeline weighted by stage, win rate, median quote-to-close days, commissions earned and paid, and attainment of the quarterly quota. ' +
    'Money is shown as dollars and rates as percents; --json gives integer cents and bps (null when a rate has no base). See docs/api.md "Reseller KPIs".';
  static override examples = ['<%= config.bin %> resellers kpis', '<%= config.bin %> resellers kpis acme --period 2026-03', '<%= config.bin %> resellers kpis --period 2026-03 --json'];
  static override args = { reseller: Args.string({ description: 'reseller slug or id; without it, a row for every reseller' }) };
  static override flags = {
    period: Flags.string({ description: 'the month, YYYY-MM (default: the current month)' }),
    csv: Flags.boolean({ description: 'without a reseller: CSV instead of a table', default: false }),
    columns: Flags.string({ description: `columns to show, comma-separated (${KPI_COLUMNS.map((c) => c.key).join(', ')})` }),
  };

  async run(): Promise<ResellerKpis | ResellerKpis[]> {
    const { period } = this.flags;
    if (period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw usageError(`--period must be a month as YYYY-MM, not "${period}"`, 'e.g. --period 2026-03');
    const columns = parseColumns(this.flags.columns, KPI_COLUMNS);
    const client = await this.factory.client();
    if (this.args.reseller) {
      const kpis = await client.resellers.kpis(this.args.reseller, { period });
      this.printRecord(kpis, KPI_COLUMNS);
      return kpis;
    }
    const { data } = await client.resellers.allKpis({ period });
    return this.printList(data, KPI_COLUMNS, { csv: this.flags.csv, columns }) as ResellerKpis[];
  }
}
