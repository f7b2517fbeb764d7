import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { ONBOARDING_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Onboarding } from '../../client/types.js';

export default class TenantsOnboard extends BaseCommand<typeof TenantsOnboard> {
  static override summary = 'Onboard a customer without a quote (master_admin): tenant, configuration, first deployment, subscription and first invoice, in one transaction';
  static override examples = ['<%= config.bin %> tenants onboard --name "FiberNet Ltd" --slug fibernet --plan professional --term 12 --subscribers 1800 --addon premium-support --reseller acme'];
  static override apiFields = { term_months: '--term', addons: '--addon', contact_email: '--contact-email' };
  static override flags = {
    name: Flags.string({ description: 'display name', required: true }),
    slug: Flags.string({ description: 'unique short name: lower-case letters, digits, hyphens', required: true }),
    plan: Flags.string({ description: 'plan code', required: true }),
    term: Flags.integer({ description: 'term in months: 1, 12, 24 or 36', required: true }),
    subscribers: Flags.integer({ description: 'subscriber count', required: true, min: 0 }),
    addon: Flags.string({ description: 'an add-on code (repeat for more)', multiple: true }),
    region: Flags.string({ description: 'region, e.g. eu-west' }),
    reseller: Flags.string({ description: 'the reseller of record (id or slug)' }),
    'contact-email': Flags.string({ description: 'the customer\'s contact address' }),
    ...reasonFlag,
  };

  async run(): Promise<Onboarding> {
    const f = this.flags;
    const result = await (await this.writableClient()).tenants.onboard(
      { name: f.name, slug: f.slug, plan: f.plan, term_months: f.term, subscribers: f.subscribers, addons: f.addon, region: f.region, reseller: f.reseller, contact_email: f['contact-email'] },
      f.reason,
    );
    this.note(`Onboarded ${result.tenant_slug}${result.deployment_id ? `; first deployment ${result.deployment_id} queued` : ''}`);
    this.printRecord(result, ONBOARDING_COLUMNS);
    return result;
  }
}
