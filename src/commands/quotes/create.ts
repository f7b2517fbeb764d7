import { Flags } from '@oclif/core';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { CreateQuote, Quote } from '../../client/types.js';

export default class QuotesCreate extends QuoteCommand<typeof QuotesCreate> {
  static override summary = 'Make a draft quote for a prospect or an existing tenant (on a terminal, asks for what is missing)';
  static override description =
    'Priced from the newest price book: every line, the monthly total and the first invoice. On a terminal, flags left out are asked for, with the running monthly total; without one, a missing flag is a usage error (exit 2).';
  static override examples = [
    '<%= config.bin %> quotes create --prospect "FiberNet Ltd" --email buyer@fibernet.example --plan professional --term 12 --subscribers 1800 --addon premium-support',
    '<%= config.bin %> quotes create --tenant fibernet --plan enterprise --term 36 --subscribers 12000 --discount-bps 1500 --note "renewal"',
    '<%= config.bin %> quotes create',
  ];
  static override apiFields = { prospect_name: '--prospect', prospect_email: '--email', term_months: '--term', addons: '--addon', opportunity_id: '--opportunity' };
  static override flags = {
    prospect: Flags.string({ description: 'the prospect\'s name (with --email), for a new customer', exclusive: ['tenant'] }),
    email: Flags.string({ description: 'the prospect\'s email', dependsOn: ['prospect'] }),
    tenant: Flags.string({ description: 'an existing tenant (slug or id) instead of a prospect', exclusive: ['prospect'] }),
    plan: Flags.string({ description: 'plan code, e.g. starter, professional, enterprise, custom' }),
    term: Flags.integer({ description: 'term in months: 1, 12, 24 or 36' }),
    subscribers: Flags.integer({ description: 'subscriber count', min: 0 }),
    addon: Flags.string({ description: 'an add-on code (repeat for more)', multiple: true }),
    'discount-bps': Flags.integer({ description: 'negotiated discount in basis points (100 = 1%); above your authority it needs approval, above 4000 never', min: 0 }),
    'waive-setup': Flags.boolean({ description: 'waive the setup fee (needs 2000 bps of authority)', default: false }),
    'platform-fee-cents': Flags.integer({ description: 'custom plan: the monthly platform fee in cents', min: 0 }),
    'setup-fee-cents': Flags.integer({ description: 'custom plan: the setup fee in cents', min: 0 }),
    'valid-days': Flags.integer({ description: 'valid for this many days (default 30, at most 90)', min: 1, max: 90 }),
    note: Flags.string({ description: 'a note shown on the quote' }),
    region: Flags.string({ description: 'region of the customer\'s instance (default: the tenant\'s, else eu-west); a reseller\'s quote must be in its territories' }),
    opportunity: Flags.string({ description: 'the pipeline opportunity this quote belongs to (the quote\'s reseller\'s, in the quote\'s region)' }),
    reseller: Flags.string({ description: 'master_admin: the reseller of record (id or slug)' }),
    ...reasonFlag,
  };

  async run(): Promise<Quote> {
    const f = this.flags;
    const given: Partial<CreateQuote> = {
      prospect_name: f.prospect,
      prospect_email: f.email,
      tenant: f.tenant,
      plan: f.plan,
      term_months: f.term,
      subscribers: f.subscribers,
      addons: f.addon,
      discount_bps: f['discount-bps'],
      waive_setup: f['waive-setup'] || undefined,
      platform_fee_cents: f['platform-fee-cents'],
      setup_fee_cents: f['setup-fee-cents'],
      valid_days: f['valid-days'],
      note: f.note,
      region: f.region,
      opportunity_id: f.opportunity,
      reseller: f.reseller,
    };
    const missing = [
      ...(!f.prospect && !f.tenant ? ['--prospect (with --email) or --tenant'] : []),
      ...(f.prospect && !f.email ? ['--email'] : []),
      ...(f.plan ? [] : ['--plan']),
      ...(f.term === undefined ? ['--term'] : []),
      ...(f.subscribers === undefined ? ['--subscribers'] : []),
    ];
    const client = await this.writableClient();
    let body = given as CreateQuote;
    if (missing.length) {
      if (!this.factory.io.canPrompt || this.jsonEnabled()) {
        throw usageError(`missing ${missing.join(', ')}`, 'give every flag, or run it on a terminal to be asked (dotmac quotes create --help)');
      }
      const { buildQuote, inquirerPrompts } = await import('../../cli/quote-builder.js');
      body = await buildQuote(client, given, await inquirerPrompts(), (line) => this.note(line));
    }
    const quote = await client.quotes.create(withoutUndefined(body), f.reason);
    this.note(`Created draft quote ${quote.number} (submit it with: dotmac quotes submit ${quote.number})`);
    this.showQuote(quote);
    return quote;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
