import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_COLUMNS } from '../../cli/columns.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { Tenant } from '../../client/types.js';

export default class TenantsDelete extends BaseCommand<typeof TenantsDelete> {
  static override summary = 'Cancel a tenant (status becomes cancelled; its records are kept)';
  static override examples = [
    '<%= config.bin %> tenants delete fibernet',
    '<%= config.bin %> tenants delete fibernet --confirm fibernet --reason "contract ended"',
  ];
  static override operation = 'deleteTenant';
  static override roles = ['master_admin'] as const;
  static override args = { tenant: Args.string({ description: 'tenant slug or id', required: true }) };
  static override flags = { ...confirmFlags, ...reasonFlag };

  async run(): Promise<Tenant> {
    const client = await this.writableClient();
    await this.confirm({ action: `delete tenant "${this.args.tenant}"`, expect: this.args.tenant, yes: this.flags.yes, confirmFlag: this.flags.confirm });
    const outcome = await client.tenants.delete(this.args.tenant, this.flags.reason);
    const tenant = outcome.value;
    this.reportChange(outcome, `Cancelled ${tenant.slug}`, `${tenant.slug} is already cancelled`);
    this.printRecord(tenant, TENANT_COLUMNS);
    return tenant;
  }
}
