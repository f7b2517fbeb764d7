import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { SUBSCRIPTION_COLUMNS } from '../../cli/billing-columns.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { Subscription } from '../../client/types.js';

export default class SubscriptionsCancel extends BaseCommand<typeof SubscriptionsCancel> {
  static override summary = 'Cancel a subscription on a day (default today): no in-advance charges after that month; its usage is billed in arrears';
  static override examples = ['<%= config.bin %> subscriptions cancel sub_01jf... --on 2026-12-31 --yes'];
  static override operation = 'cancelSubscription';
  static override roles = ['master_admin'] as const;
  static override args = { id: Args.string({ description: 'subscription id', required: true }) };
  static override flags = { on: Flags.string({ description: 'the last day of service, YYYY-MM-DD (default: today)' }), ...confirmFlags, ...reasonFlag };

  async run(): Promise<Subscription> {
    const client = await this.writableClient();
    await this.confirm({ action: `cancel subscription ${this.args.id}`, expect: this.args.id, yes: this.flags.yes, confirmFlag: this.flags.confirm });
    const outcome = await client.subscriptions.cancel(this.args.id, { on: this.flags.on }, this.flags.reason);
    const sub = outcome.value;
    this.reportChange(outcome, sub.status === 'cancelled' ? `Cancelled ${sub.id} on ${sub.cancelled_on}` : `${sub.id} will be cancelled on ${sub.cancel_on}`, `${sub.id} is already cancelled`);
    this.printRecord(sub, SUBSCRIPTION_COLUMNS);
    return sub;
  }
}
