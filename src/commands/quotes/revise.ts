import { Args } from '@oclif/core';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesRevise extends QuoteCommand<typeof QuotesRevise> {
  static override summary = 'Make a new draft revision of a sent, viewed, rejected or expired quote (the old one becomes revised)';
  static override examples = ['<%= config.bin %> quotes revise Q-7K3M9P2X', '<%= config.bin %> quotes revise Q-7K3M9P2X && dotmac quotes update Q-7K3M9P2X --discount-bps 300'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Quote> {
    const quote = await (await this.writableClient()).quotes.revise(this.args.quote, this.flags.reason);
    this.note(`Quote ${quote.number} revision ${quote.revision} is a new draft`);
    this.showQuote(quote);
    return quote;
  }
}
