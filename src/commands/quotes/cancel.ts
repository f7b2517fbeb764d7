import { Args } from '@oclif/core';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesCancel extends QuoteCommand<typeof QuotesCancel> {
  static override summary = 'Cancel an open quote';
  static override examples = ['<%= config.bin %> quotes cancel Q-7K3M9P2X'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Quote> {
    const outcome = await (await this.writableClient()).quotes.cancel(this.args.quote, this.flags.reason);
    const quote = outcome.value;
    this.reportChange(outcome, `Cancelled quote ${quote.number}`, `Quote ${quote.number} is already cancelled`);
    this.showQuote(quote);
    return quote;
  }
}
