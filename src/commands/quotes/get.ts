import { Args } from '@oclif/core';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesGet extends QuoteCommand<typeof QuotesGet> {
  static override summary = 'Show a quote: every line, the monthly total and the first-invoice total';
  static override examples = ['<%= config.bin %> quotes get Q-7K3M9P2X', '<%= config.bin %> quotes get quo_01jf... --json'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };

  async run(): Promise<Quote> {
    const quote = await (await this.factory.client()).quotes.get(this.args.quote);
    this.showQuote(quote);
    return quote;
  }
}
