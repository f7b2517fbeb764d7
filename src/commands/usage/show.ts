import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { USAGE_COLUMNS } from '../../cli/billing-columns.js';
import type { UsageList } from '../../client/types.js';

export default class UsageShow extends BaseCommand<typeof UsageShow> {
  static override summary = 'Show a month\'s usage against the plan\'s allowances and hard cap: percent used and what it bills so far';
  static override examples = ['<%= config.bin %> usage show --tenant fibernet', '<%= config.bin %> usage show --period 2026-11 --json'];
  static override flags = {
    tenant: Flags.string({ description: 'tenant slug or id (default: every tenant in scope with a subscription)', env: 'DOTMAC_TENANT' }),
    period: Flags.string({ description: 'the month, YYYY-MM (default: this month)' }),
    csv: Flags.boolean({ description: 'print CSV', default: false, exclusive: ['json'] }),
  };

  async run(): Promise<UsageList> {
    const usage = await (await this.factory.client()).usage.show({ tenant: this.flags.tenant, period: this.flags.period });
    const rows = usage.data.flatMap((t) => t.metrics.map((m) => ({ tenant_slug: t.tenant_slug, plan: t.plan ?? '—', ...m })));
    this.printList(rows, USAGE_COLUMNS, { csv: this.flags.csv });
    for (const t of usage.data) if (t.upgrade_required) this.note(`Warning: ${t.tenant_slug} is over its ${t.plan} plan's hard cap: billed at the last band and flagged upgrade_required`);
    if (usage.data.length === 0) this.note(`No subscriptions in force to show usage for in ${usage.period}`);
    return usage;
  }
}
