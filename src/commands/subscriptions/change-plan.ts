import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { INVOICE_COLUMNS, LINE_COLUMNS, SUBSCRIPTION_COLUMNS } from '../../cli/billing-columns.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import type { SubscriptionChange } from '../../client/types.js';

export default class SubscriptionsChangePlan extends BaseCommand<typeof SubscriptionsChangePlan> {
  static override summary = 'Change a subscription\'s plan or add-ons: an upgrade at once with a proration invoice, a downgrade at the end of the period';
  static override description =
    'An upgrade (a higher monthly fee and add-ons) takes effect on the change day: one proration invoice credits the old price and charges the new one for the days left, the change day included. ' +
    'Anything else waits for the first day of the next period, with no credit.';
  static override examples = [
    '<%= config.bin %> subscriptions change-plan sub_01jf... --plan enterprise --on 2026-12-10',
    '<%= config.bin %> subscriptions change-plan sub_01jf... --addon sandbox --remove-addon premium-support',
  ];
  static override apiFields = { add_addons: '--addon', remove_addons: '--remove-addon' };
  static override args = { id: Args.string({ description: 'subscription id', required: true }) };
  static override flags = {
    plan: Flags.string({ description: 'the new plan' }),
    addon: Flags.string({ description: 'an add-on to add (repeatable)', multiple: true }),
    'remove-addon': Flags.string({ description: 'an add-on to remove (repeatable)', multiple: true }),
    on: Flags.string({ description: 'the change day, YYYY-MM-DD (default: today)' }),
    ...reasonFlag,
  };

  async run(): Promise<SubscriptionChange> {
    const f = this.flags;
    if (!f.plan && !f.addon && !f['remove-addon']) throw usageError('nothing to change', 'give --plan, --addon or --remove-addon');
    const outcome = await (await this.writableClient()).subscriptions.changePlan(this.args.id, { plan: f.plan, add_addons: f.addon ?? [], remove_addons: f['remove-addon'] ?? [], on: f.on }, f.reason);
    const change = outcome.value;
    for (const warning of change.warnings) this.note(`Warning: ${warning}`);
    this.reportChange(
      outcome,
      change.proration_invoice ? `Upgraded ${change.id} from ${change.effective_on}; proration invoice ${change.proration_invoice.id}` : change.pending_change ? `${change.id} changes to ${change.pending_change.plan} on ${change.effective_on} (end of period, no credit)` : `Changed ${change.id}`,
      `${change.id} already has that plan and those add-ons`,
    );
    this.printRecord(change, SUBSCRIPTION_COLUMNS);
    if (change.proration_invoice && !this.jsonEnabled()) {
      this.log('');
      this.printRecord(change.proration_invoice, INVOICE_COLUMNS);
      this.printList(change.proration_invoice.lines, LINE_COLUMNS);
    }
    return change;
  }
}
