import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Tenant } from '../../client/types.js';

export default class TenantsResume extends BaseCommand<typeof TenantsResume> {
  static override summary = 'Resume a suspended tenant';
  static override examples = ['<%= config.bin %> tenants resume fibernet --reason "paid"'];
  static override args = { tenant: Args.string({ description: 'tenant slug or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Tenant> {
    const outcome = await (await this.writableClient()).tenants.resume(this.args.tenant, this.flags.reason);
    const tenant = outcome.value;
    this.reportChange(outcome, `Resumed ${tenant.slug}`, `${tenant.slug} is already active`);
    this.printRecord(tenant, TENANT_COLUMNS);
    return tenant;
  }
}
