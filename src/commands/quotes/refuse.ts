import { Args, Flags } from '@oclif/core';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesRefuse extends QuoteCommand<typeof QuotesRefuse> {
  static override summary = 'Refuse a quote pending approval: it goes back to draft with your reason';
  static override examples = ['<%= config.bin %> quotes refuse Q-7K3M9P2X --reason "discount too deep for a 12-month term"'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { reason: Flags.string({ description: 'why (shown on the quote and recorded in the audit trail)', required: true }) };

  async run(): Promise<Quote> {
    const outcome = await (await this.writableClient()).quotes.refuse(this.args.quote, this.flags.reason);
    const quote = outcome.value;
    this.reportChange(outcome, `Refused quote ${quote.number}; it is a draft again`, `Quote ${quote.number} was already refused`);
    this.showQuote(quote);
    return quote;
  }
}
