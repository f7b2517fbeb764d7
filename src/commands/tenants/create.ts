import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Tenant } from '../../client/types.js';

export default class TenantsCreate extends BaseCommand<typeof TenantsCreate> {
  static override summary = 'Create a tenant';
  static override examples = ['<%= config.bin %> tenants create --slug fibernet --name "FiberNet Ltd" --plan professional --reseller acme'];
  static override flags = {
    slug: Flags.string({ description: 'unique short name: lower-case letters, digits, hyphens', required: true }),
    name: Flags.string({ description: 'display name', required: true }),
    plan: Flags.string({ description: 'plan', options: ['starter', 'professional', 'enterprise'] }),
    region: Flags.string({ description: 'region, e.g. eu-west' }),
    reseller: Flags.string({ description: 'owning reseller (id or slug)' }),
    'contact-email': Flags.string({ description: 'the ISP\'s contact address' }),
    ...reasonFlag,
  };

  async run(): Promise<Tenant> {
    const client = await this.writableClient();
    const f = this.flags;
    const tenant = await client.tenants.create(
      { slug: f.slug, name: f.name, plan: f.plan as Tenant['plan'] | undefined, region: f.region, reseller: f.reseller, contact_email: f['contact-email'] },
      f.reason,
    );
    this.note(`Created tenant ${tenant.slug}`);
    this.printRecord(tenant, TENANT_COLUMNS);
    return tenant;
  }
}
