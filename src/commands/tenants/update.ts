import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_COLUMNS } from '../../cli/columns.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Tenant, UpdateTenant } from '../../client/types.js';

export default class TenantsUpdate extends BaseCommand<typeof TenantsUpdate> {
  static override summary = 'Change a tenant\'s fields (which ones depends on your role)';
  static override examples = ['<%= config.bin %> tenants update fibernet --plan enterprise --reason "upsell Q4"'];
  static override args = { tenant: Args.string({ description: 'tenant slug or id', required: true }) };
  static override flags = {
    name: Flags.string({ description: 'display name' }),
    plan: Flags.string({ description: 'plan (staff only)', options: ['starter', 'professional', 'enterprise'] }),
    region: Flags.string({ description: 'region (staff only)' }),
    reseller: Flags.string({ description: 'owning reseller, id or slug; "none" to detach (staff only)' }),
    'contact-email': Flags.string({ description: 'contact address; "none" to clear' }),
    ...reasonFlag,
  };

  async run(): Promise<Tenant> {
    const f = this.flags;
    const patch: UpdateTenant = {};
    if (f.name !== undefined) patch.name = f.name;
    if (f.plan !== undefined) patch.plan = f.plan as Tenant['plan'];
    if (f.region !== undefined) patch.region = f.region;
    if (f.reseller !== undefined) patch.reseller = f.reseller === 'none' ? null : f.reseller;
    if (f['contact-email'] !== undefined) patch.contact_email = f['contact-email'] === 'none' ? null : f['contact-email'];
    if (Object.keys(patch).length === 0) throw usageError('nothing to change', 'pass at least one of --name, --plan, --region, --reseller, --contact-email');
    const outcome = await (await this.writableClient()).tenants.update(this.args.tenant, patch, f.reason);
    const tenant = outcome.value;
    this.reportChange(outcome, `Updated ${tenant.slug} (${Object.keys(patch).join(', ')})`, `${tenant.slug} already has those values`);
    this.printRecord(tenant, TENANT_COLUMNS);
    return tenant;
  }
}
