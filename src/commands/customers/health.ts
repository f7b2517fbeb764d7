import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { parseColumns } from '../../cli/output.js';
import { COMPONENT_COLUMNS, CUSTOMER_HEALTH_COLUMNS } from '../../cli/pipeline-columns.js';
import type { CustomerHealth } from '../../client/types.js';

export default class CustomersHealth extends BaseCommand<typeof CustomersHealth> {
  static override summary = 'Customer health 0–100 with its band, flags and reasons, worst first';
  static override description =
    'Per COMMERCE.md: subscriber trend 25 (30-day change of the pushed subscribers metric), module adoption 20 (the integrations.modules_in_use ' +
    'configuration), billing 20, support 15, platform 10 (last probe and 7-day uptime), sentiment 10 (last NPS in 180 days). A component the platform ' +
    'holds no data for scores a neutral 50 (shown "50?"; billing and support until invoices and tickets exist). Bands: green ≥ 70, yellow 50–69, red < 50, or forced red. With --tenant, each ' +
    'component\'s input, score and reason.';
  static override examples = ['<%= config.bin %> customers health', '<%= config.bin %> customers health --band red', '<%= config.bin %> customers health --tenant fibernet --json'];
  static override flags = {
    tenant: Flags.string({ description: 'one tenant (slug or id), with its reasons', env: 'DOTMAC_TENANT' }),
    reseller: Flags.string({ description: 'only this reseller\'s customers (slug or id; staff)' }),
    band: Flags.string({ description: 'only this band', options: ['red', 'yellow', 'green'] }),
    csv: Flags.boolean({ description: 'print CSV', default: false, exclusive: ['json'] }),
    columns: Flags.string({ description: `comma-separated columns to show, in order: ${CUSTOMER_HEALTH_COLUMNS.map((c) => c.header ?? c.key).join(', ')}` }),
  };

  async run(): Promise<CustomerHealth | Partial<CustomerHealth>[]> {
    const f = this.flags;
    const columns = parseColumns(f.columns, CUSTOMER_HEALTH_COLUMNS);
    const { data } = await (await this.factory.client()).customers.health({ tenant: f.tenant, reseller: f.reseller, band: f.band });
    if (f.tenant && data.length === 1) {
      const one = data[0]!;
      if (this.jsonEnabled()) return one;
      this.printRecord(one, CUSTOMER_HEALTH_COLUMNS);
      this.log('');
      this.printList(one.components, COMPONENT_COLUMNS);
      for (const line of [...one.forced_red.map((r) => `forced red: ${r}`), ...one.flags]) this.log(line);
      return one;
    }
    if (data.length === 0 && !this.jsonEnabled()) this.note('No customers to show.');
    return this.printList(data, CUSTOMER_HEALTH_COLUMNS, { csv: f.csv, columns });
  }
}
