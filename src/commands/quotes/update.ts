import { Args, Flags } from '@oclif/core';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote, UpdateQuote } from '../../client/types.js';

export default class QuotesUpdate extends QuoteCommand<typeof QuotesUpdate> {
  static override summary = 'Change a draft quote (re-priced on its own price-book version); changing an approved one voids the approval';
  static override examples = ['<%= config.bin %> quotes update Q-7K3M9P2X --subscribers 2000 --discount-bps 300', '<%= config.bin %> quotes update Q-7K3M9P2X --addon sandbox --addon premium-support'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override apiFields = { prospect_name: '--prospect', prospect_email: '--email', term_months: '--term', addons: '--addon', opportunity_id: '--opportunity' };
  static override flags = {
    prospect: Flags.string({ description: 'the prospect\'s name' }),
    email: Flags.string({ description: 'the prospect\'s email' }),
    plan: Flags.string({ description: 'plan code' }),
    term: Flags.integer({ description: 'term in months: 1, 12, 24 or 36' }),
    subscribers: Flags.integer({ description: 'subscriber count', min: 0 }),
    addon: Flags.string({ description: 'the add-ons, all of them (repeat); replaces the list', multiple: true }),
    'no-addons': Flags.boolean({ description: 'remove every add-on', exclusive: ['addon'] }),
    'discount-bps': Flags.integer({ description: 'negotiated discount in basis points', min: 0 }),
    'waive-setup': Flags.boolean({ description: 'waive the setup fee (--no-waive-setup to charge it)', allowNo: true }),
    'platform-fee-cents': Flags.integer({ description: 'custom plan: the monthly platform fee in cents', min: 0 }),
    'setup-fee-cents': Flags.integer({ description: 'custom plan: the setup fee in cents', min: 0 }),
    'valid-days': Flags.integer({ description: 'valid for this many days from today (at most 90)', min: 1, max: 90 }),
    note: Flags.string({ description: 'a note shown on the quote' }),
    region: Flags.string({ description: 'region of the customer\'s instance; a reseller\'s quote must be in its territories' }),
    opportunity: Flags.string({ description: 'the pipeline opportunity this quote belongs to (the quote\'s reseller\'s, in the quote\'s region)' }),
    ...reasonFlag,
  };

  async run(): Promise<Quote> {
    const f = this.flags;
    const body: UpdateQuote = Object.fromEntries(
      Object.entries({
        prospect_name: f.prospect,
        prospect_email: f.email,
        plan: f.plan,
        term_months: f.term,
        subscribers: f.subscribers,
        addons: f['no-addons'] ? [] : f.addon,
        discount_bps: f['discount-bps'],
        waive_setup: f['waive-setup'],
        platform_fee_cents: f['platform-fee-cents'],
        setup_fee_cents: f['setup-fee-cents'],
        valid_days: f['valid-days'],
        note: f.note,
        region: f.region,
        opportunity_id: f.opportunity,
      }).filter(([, v]) => v !== undefined),
    );
    if (Object.keys(body).length === 0) throw usageError('nothing to change', 'give at least one flag, e.g. --subscribers 2000');
    const outcome = await (await this.writableClient()).quotes.update(this.args.quote, body, f.reason);
    const quote = outcome.value;
    this.reportChange(outcome, `Updated quote ${quote.number}`, `Quote ${quote.number} already says that`);
    this.showQuote(quote);
    return quote;
  }
}
