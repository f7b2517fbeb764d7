import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Tenant } from '../../client/types.js';

export default class TenantsSuspend extends BaseCommand<typeof TenantsSuspend> {
  static override summary = 'Suspend an active tenant (reversible with `tenants resume`)';
  static override examples = ['<%= config.bin %> tenants suspend fibernet --reason "invoice 2026-10 unpaid"'];
  static override args = { tenant: Args.string({ description: 'tenant slug or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Tenant> {
    const outcome = await (await this.writableClient()).tenants.suspend(this.args.tenant, this.flags.reason);
    const tenant = outcome.value;
    this.reportChange(outcome, `Suspended ${tenant.slug}`, `${tenant.slug} is already suspended`);
    this.printRecord(tenant, TENANT_COLUMNS);
    return tenant;
  }
}
