import { Args } from '@oclif/core';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesView extends QuoteCommand<typeof QuotesView> {
  static override summary = 'Record that the customer opened the quote';
  static override examples = ['<%= config.bin %> quotes view Q-7K3M9P2X'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Quote> {
    const outcome = await (await this.writableClient()).quotes.view(this.args.quote);
    const quote = outcome.value;
    this.reportChange(outcome, `Recorded that the customer viewed quote ${quote.number}`, `Quote ${quote.number} was already viewed`);
    this.showQuote(quote);
    return quote;
  }
}
