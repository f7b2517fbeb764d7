import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { SUBSCRIPTION_COLUMNS } from '../../cli/billing-columns.js';
import type { Subscription } from '../../client/types.js';

export default class SubscriptionsGet extends BaseCommand<typeof SubscriptionsGet> {
  static override summary = 'Show one subscription';
  static override examples = ['<%= config.bin %> subscriptions get sub_01jf...'];
  static override args = { id: Args.string({ description: 'subscription id', required: true }) };

  async run(): Promise<Subscription> {
    const subscription = await (await this.factory.client()).subscriptions.get(this.args.id);
    this.printRecord(subscription, SUBSCRIPTION_COLUMNS);
    return subscription;
  }
}
