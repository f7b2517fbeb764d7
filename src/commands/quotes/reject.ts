import { Args, Flags } from '@oclif/core';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesReject extends QuoteCommand<typeof QuotesReject> {
  static override summary = 'Record that the customer rejected the quote';
  static override examples = ['<%= config.bin %> quotes reject Q-7K3M9P2X --reason "discount too deep for a 12-month term"'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { reason: Flags.string({ description: 'why (shown on the quote and recorded in the audit trail)', required: true }) };

  async run(): Promise<Quote> {
    const outcome = await (await this.writableClient()).quotes.reject(this.args.quote, this.flags.reason);
    const quote = outcome.value;
    this.reportChange(outcome, `Recorded that the customer rejected quote ${quote.number}`, `Quote ${quote.number} was already rejected`);
    this.showQuote(quote);
    return quote;
  }
}
