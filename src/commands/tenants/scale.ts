import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { dollars } from '../../cli/columns.js';
import { afterQueued, refuseBadLocalDriver } from '../../cli/deployment-progress.js';
import { confirmFlags, reasonFlag, waitFlag } from '../../cli/flags.js';
import type { Deployment, ScalePlan } from '../../client/types.js';
import { SIZES } from '../deployments/create.js';

export default class TenantsScale extends BaseCommand<typeof TenantsScale> {
  static override summary = 'Change a tenant\'s replicas or size, showing the monthly cost before and after';
  static override description =
    'Prints the monthly cost now, after, and the difference (per replica per month: micro $29, small $99, medium $299, large $799, xlarge $2,499; ' +
    'at most micro 2, small 3, medium 5, large 8, xlarge 12 replicas), then queues the scaling deployment: the current version in the new shape. ' +
    'When the cost more than doubles it asks first on a terminal, and needs --yes without one. --json gives integer cents.';
  static override examples = [
    '<%= config.bin %> tenants scale fibernet --replicas 3 --dry-run',
    '<%= config.bin %> tenants scale fibernet --replicas 4 --size medium --yes --wait',
  ];
  static override operation = 'scaleTenant';
  static override roles = ['master_admin', 'tenant_admin'] as const;
  static override args = { tenant: Args.string({ description: 'tenant slug or id', required: true }) };
  static override flags = {
    replicas: Flags.integer({ description: 'replicas to run', required: true, min: 1 }),
    size: Flags.string({ description: 'instance size (default: the current one)', options: SIZES }),
    'dry-run': Flags.boolean({ description: 'show the cost change only; change nothing', default: false }),
    ...confirmFlags,
    ...waitFlag,
    ...reasonFlag,
  };
  static override apiFields = { dry_run: '--dry-run' };

  async run(): Promise<ScalePlan> {
    const f = this.flags;
    const client = f['dry-run'] ? await this.factory.client() : await this.writableClient();
    const body = { replicas: f.replicas, size: f.size as Deployment['size'] | undefined };
    const plan = await client.deployments.scale(this.args.tenant, { ...body, dry_run: true });
    if (!this.jsonEnabled()) this.printRecord(costRows(plan), COST_COLUMNS);
    if (f['dry-run']) return plan;
    refuseBadLocalDriver(client, f.wait, this.factory.env);
    if (plan.more_than_doubles) {
      await this.confirm({
        action: `scale ${this.args.tenant} to ${plan.proposed.replicas} × ${plan.proposed.size}, more than doubling its monthly cost (${dollars(plan.current.monthly_cents)} → ${dollars(plan.proposed.monthly_cents)})`,
        expect: this.args.tenant,
        yes: f.yes,
        confirmFlag: f.confirm,
      });
    }
    const applied = await client.deployments.scale(this.args.tenant, body, f.reason);
    const deployment = await afterQueued(client, applied.deployment!, f.wait, (line) => this.note(line));
    return { ...applied, deployment };
  }
}

const COST_COLUMNS = [
  { key: 'current' },
  { key: 'proposed' },
  { key: 'difference' },
];

function costRows(plan: ScalePlan) {
  const shape = (s: ScalePlan['current']) => `${s.replicas} × ${s.size} = ${dollars(s.monthly_cents)}/month`;
  const sign = plan.difference_cents > 0 ? '+' : '';
  return { current: shape(plan.current), proposed: shape(plan.proposed), difference: `${sign}${dollars(plan.difference_cents)}/month` };
}
