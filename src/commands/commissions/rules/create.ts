import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { reasonFlag } from '../../../cli/flags.js';
import { COMMISSION_RULE_COLUMNS } from '../../../cli/partner-columns.js';
import type { CommissionRule, CreateCommissionRule } from '../../../client/types.js';

export default class CommissionsRulesCreate extends BaseCommand<typeof CommissionsRulesCreate> {
  static override summary = 'Create a commission rule: a rate by priority, or with --tenant an account override (staff)';
  static override description =
    'Rate precedence: an account override (a rule naming the customer), then rules by priority (lower first), then the partner\'s default rate, then the tier table. ' +
    'A rule without --type is the recurring rate (renewal takes half of it); a --type bonus rule sets the quarterly bonus rate.';
  static override examples = [
    '<%= config.bin %> commissions rules create --bps 2800 --priority 10 --reseller acme --plan enterprise --description "Enterprise push" --from 2026-01-01 --to 2026-06-30',
    '<%= config.bin %> commissions rules create --bps 3100 --tenant fibernet --reseller acme --description "FiberNet deal"',
  ];
  static override flags = {
    bps: Flags.integer({ description: 'the rate in basis points (0–10,000)', required: true, min: 0, max: 10_000 }),
    priority: Flags.integer({ description: 'lower numbers are tried first (default 100)', min: 0, max: 1_000_000 }),
    reseller: Flags.string({ description: 'only this reseller (slug or id)' }),
    tenant: Flags.string({ description: 'an account override for this customer (slug or id)' }),
    plan: Flags.string({ description: 'only subscriptions on this plan' }),
    type: Flags.string({ description: 'only this commission type', options: ['recurring', 'renewal', 'upsell', 'bonus'] }),
    description: Flags.string({ description: 'what the rule is for', required: true }),
    from: Flags.string({ description: 'first day it applies, YYYY-MM-DD (default today)' }),
    to: Flags.string({ description: 'last day it applies, YYYY-MM-DD (default open-ended)' }),
    ...reasonFlag,
  };

  async run(): Promise<CommissionRule> {
    const f = this.flags;
    const body: CreateCommissionRule = {
      bps: f.bps,
      priority: f.priority,
      reseller: f.reseller,
      tenant: f.tenant,
      plan: f.plan,
      commission_type: f.type as CreateCommissionRule['commission_type'],
      description: f.description,
      active_from: f.from,
      active_to: f.to,
    };
    const rule = await (await this.writableClient()).commissions.createRule(body, f.reason);
    this.note(`Created rule ${rule.id}`);
    this.printRecord(rule, COMMISSION_RULE_COLUMNS);
    return rule;
  }
}
