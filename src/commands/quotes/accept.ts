import { Args, Flags } from '@oclif/core';
import { ONBOARDING_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { AcceptedQuote } from '../../client/types.js';

export default class QuotesAccept extends QuoteCommand<typeof QuotesAccept> {
  static override summary = 'Record that the customer accepted, and onboard it in one transaction, once';
  static override description =
    'On or before valid_until. Onboarding makes the tenant (for a prospect, owned by the quote\'s reseller), its default configuration and its first deployment (a queued job), the subscription, the first invoice and the initial commission. Accepting again is a conflict (exit 6) and changes nothing.';
  static override examples = ['<%= config.bin %> quotes accept Q-7K3M9P2X', '<%= config.bin %> quotes accept Q-7K3M9P2X --on 2026-12-01 --slug fibernet'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = {
    on: Flags.string({ description: 'the day the customer accepted, YYYY-MM-DD (default today, UTC)' }),
    slug: Flags.string({ description: 'the new tenant\'s slug (a prospect\'s quote; default from its name)' }),
    ...reasonFlag,
  };

  async run(): Promise<AcceptedQuote> {
    const accepted = await (await this.writableClient()).quotes.accept(this.args.quote, { on: this.flags.on, slug: this.flags.slug }, this.flags.reason);
    this.note(`Quote ${accepted.number} accepted on ${accepted.accepted_on}; onboarded tenant ${accepted.onboarding.tenant_slug}`);
    this.showQuote(accepted);
    if (!this.jsonEnabled()) {
      this.log('');
      this.printRecord(accepted.onboarding, ONBOARDING_COLUMNS);
    }
    return accepted;
  }
}
