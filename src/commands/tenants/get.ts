import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_COLUMNS } from '../../cli/columns.js';
import type { Tenant } from '../../client/types.js';

export default class TenantsGet extends BaseCommand<typeof TenantsGet> {
  static override summary = 'Show one tenant';
  static override examples = ['<%= config.bin %> tenants get fibernet', '<%= config.bin %> tenants get ten_01jf... --json'];
  static override args = { tenant: Args.string({ description: 'tenant slug or id', required: true }) };

  async run(): Promise<Tenant> {
    const tenant = await (await this.factory.client()).tenants.get(this.args.tenant);
    this.printRecord(tenant, TENANT_COLUMNS);
    return tenant;
  }
}
