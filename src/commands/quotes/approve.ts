import { Args } from '@oclif/core';
import { reasonFlag } from '../../cli/flags.js';
import { QuoteCommand } from '../../cli/quote-command.js';
import type { Quote } from '../../client/types.js';

export default class QuotesApprove extends QuoteCommand<typeof QuotesApprove> {
  static override summary = 'Approve a quote pending approval (not its author; your authority must cover it)';
  static override examples = ['<%= config.bin %> quotes approve Q-7K3M9P2X'];
  static override args = { quote: Args.string({ description: 'quote number (its latest revision) or id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Quote> {
    const outcome = await (await this.writableClient()).quotes.approve(this.args.quote, this.flags.reason);
    const quote = outcome.value;
    this.reportChange(outcome, `Approved quote ${quote.number}`, `Quote ${quote.number} was already approved`);
    this.showQuote(quote);
    return quote;
  }
}
