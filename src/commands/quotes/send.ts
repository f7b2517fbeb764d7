import { Args } from '@oclif/core';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesSend extends QuoteCommand<typeof QuotesSend> {
  static override summary = 'Send an approved quote';
  static override examples = ['<%= config.bin %> quotes send Q-7K3M9P2X'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Quote> {
    const outcome = await (await this.writableClient()).quotes.send(this.args.quote, this.flags.reason);
    const quote = outcome.value;
    this.reportChange(outcome, `Sent quote ${quote.number}`, `Quote ${quote.number} was already sent`);
    this.showQuote(quote);
    return quote;
  }
}
