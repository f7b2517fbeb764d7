import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { INVOICE_COLUMNS, LINE_COLUMNS, SUBSCRIPTION_COLUMNS } from '../../cli/billing-columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { SubscriptionCreated } from '../../client/types.js';

export default class SubscriptionsCreate extends BaseCommand<typeof SubscriptionsCreate> {
  static override summary = 'Subscribe a tenant to a plan (master_admin); unless it is a trial, the first invoice is issued at once';
  static override description =
    'The first invoice holds the whole first month (platform fee, add-ons, the bands for the subscribed count; the committed count on terms of 12 months or more) plus setup: the same total as a quote for the same inputs. ' +
    'A trial lasts the price book\'s 14 days and is not invoiced: the billing run for the month it ends converts it and issues its first invoice.';
  static override examples = [
    '<%= config.bin %> subscriptions create --tenant fibernet --plan professional --term 12 --subscribers 3000 --addon premium-support',
    '<%= config.bin %> subscriptions create --tenant fibernet --plan starter --trial --start 2026-12-01',
  ];
  static override apiFields = { term_months: '--term', addons: '--addon', start: '--start', discount_bps: '--discount-bps' };
  static override flags = {
    tenant: Flags.string({ description: 'tenant slug or id', env: 'DOTMAC_TENANT', required: true }),
    plan: Flags.string({ description: 'plan code (see `dotmac plans list`)', required: true }),
    term: Flags.integer({ description: 'term in months (1, 12, 24 or 36)', default: 1 }),
    subscribers: Flags.integer({ description: 'subscribed count (the committed floor on terms of 12 months or more); default: the plan\'s included count' }),
    addon: Flags.string({ description: 'an add-on (repeatable)', multiple: true }),
    'discount-bps': Flags.integer({ description: 'negotiated discount in basis points (at most 4000)', default: 0 }),
    'waive-setup': Flags.boolean({ description: 'waive the setup fee', default: false }),
    'platform-fee': Flags.integer({ description: 'the custom plan\'s quoted monthly fee, in cents' }),
    'setup-fee': Flags.integer({ description: 'the custom plan\'s quoted setup fee, in cents' }),
    start: Flags.string({ description: 'first day, YYYY-MM-DD (default: today)' }),
    trial: Flags.boolean({ description: 'start with a 14-day trial (not invoiced)', default: false }),
    'pricebook-version': Flags.string({ description: 'price book version (default: the newest)' }),
    ...reasonFlag,
  };

  async run(): Promise<SubscriptionCreated> {
    const f = this.flags;
    const created = await (await this.writableClient()).subscriptions.create(
      {
        tenant: f.tenant,
        plan: f.plan,
        term_months: f.term,
        subscribers: f.subscribers,
        addons: f.addon ?? [],
        discount_bps: f['discount-bps'],
        waive_setup: f['waive-setup'],
        platform_fee_cents: f['platform-fee'],
        setup_cents: f['setup-fee'],
        start: f.start,
        trial: f.trial,
        price_book_version: f['pricebook-version'],
      },
      f.reason,
    );
    for (const warning of created.warnings) this.note(`Warning: ${warning}`);
    this.note(created.first_invoice ? `Created ${created.id} and issued its first invoice ${created.first_invoice.id}` : `Created ${created.id}, trialing until ${created.trial_ends_on}`);
    this.printRecord(created, SUBSCRIPTION_COLUMNS);
    if (created.first_invoice && !this.jsonEnabled()) {
      this.log('');
      this.printRecord(created.first_invoice, INVOICE_COLUMNS);
      this.printList(created.first_invoice.lines, LINE_COLUMNS);
    }
    return created;
  }
}
