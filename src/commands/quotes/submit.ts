import { Args } from '@oclif/core';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesSubmit extends QuoteCommand<typeof QuotesSubmit> {
  static override summary = 'Send a draft, or ask for approval when its discount, waiver or plan is over its author\'s authority';
  static override examples = ['<%= config.bin %> quotes submit Q-7K3M9P2X'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Quote> {
    const outcome = await (await this.writableClient()).quotes.submit(this.args.quote, this.flags.reason);
    const quote = outcome.value;
    this.reportChange(outcome, quote.status === "pending_approval" ? `Quote ${quote.number} is over its author's discount authority (${quote.required_authority_bps} bps needed): pending approval` : `Sent quote ${quote.number}`, `Quote ${quote.number} was already submitted`);
    this.showQuote(quote);
    return quote;
  }
}
