import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { Tenant } from '../../client/types.js';

export default class TenantsList extends BaseCommand<typeof TenantsList> {
  static override summary = 'List the tenants this profile may see';
  static override examples = [
    '<%= config.bin %> tenants list --status active',
    '<%= config.bin %> tenants list --reseller acme --all --json',
    '<%= config.bin %> tenants list --search fiber --columns slug,plan --csv',
  ];
  static override flags = {
    ...listFlags(TENANT_COLUMNS),
    status: Flags.string({ description: 'only this status', options: ['pending', 'provisioning', 'active', 'suspended', 'cancelled'] }),
    plan: Flags.string({ description: 'only this plan', options: ['starter', 'professional', 'enterprise'] }),
    reseller: Flags.string({ description: 'only tenants of this reseller (id or slug)' }),
    search: Flags.string({ char: 's', description: 'text in the name or slug' }),
  };

  async run(): Promise<Partial<Tenant>[]> {
    const columns = parseColumns(this.flags.columns, TENANT_COLUMNS); // a usage error before any request
    const client = await this.factory.client();
    const { status, plan, reseller, search } = this.flags;
    const { rows, next } = await fetchList(client, (cursor, limit) => client.tenants.list({ status, plan, reseller, q: search, cursor, limit }), this.flags);
    const listed = this.printList(rows, TENANT_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More tenants: --cursor ${next} (or --all)`);
    return listed;
  }
}
