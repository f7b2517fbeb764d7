import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { usageError } from '../../cli/errors.js';
import type { PushedMetrics, PushMetrics } from '../../client/types.js';

export default class HealthPush extends BaseCommand<typeof HealthPush> {
  static override summary = 'Push metric points for a tenant, as its instance agent does (an instance token)';
  static override description =
    'Each argument is METRIC=VALUE: cpu, memory and disk in percent (0–100), subscribers (a whole number), bandwidth_mbps (Mbit/s). ' +
    'All points are stored or none. An instance token may push only for its own tenant, and --tenant (or DOTMAC_TENANT) is needed, ' +
    'since such a token may not ask who it is.';
  static override examples = ['DOTMAC_TOKEN="$INSTANCE_TOKEN" <%= config.bin %> health push --tenant fibernet cpu=41.5 memory=63 subscribers=1200 bandwidth_mbps=830'];
  static override strict = false;
  static override args = { points: Args.string({ description: 'METRIC=VALUE, one or more', required: true }) };
  static override flags = {
    tenant: Flags.string({ description: 'tenant slug or id', env: 'DOTMAC_TENANT', required: true }),
    at: Flags.string({ description: 'when the values were measured (ISO-8601 UTC; default: now)' }),
  };

  async run(): Promise<PushedMetrics> {
    const points = this.positionals.map((arg) => parsePoint(arg, this.flags.at));
    if (points.length === 0) throw usageError('no METRIC=VALUE given', 'e.g. dotmac health push --tenant fibernet cpu=41.5 memory=63');
    const client = await this.writableClient();
    const pushed = await client.instances.pushMetrics(this.flags.tenant, { points: points as PushMetrics['points'] });
    this.note(`Stored ${pushed.accepted} point${pushed.accepted === 1 ? '' : 's'} for tenant ${this.flags.tenant}.`);
    return pushed;
  }
}

function parsePoint(arg: string, at: string | undefined) {
  const match = /^([a-z_]+)=(.+)$/.exec(arg);
  if (!match) throw usageError(`"${arg}" is not METRIC=VALUE`, 'e.g. cpu=41.5 subscribers=1200');
  const value = Number(match[2]);
  if (!Number.isFinite(value) || match[2]!.trim() === '') throw usageError(`${match[1]}=${match[2]}: the value is not a number`, 'give a number, e.g. cpu=41.5');
  return { metric: match[1]!, value, ...(at ? { at } : {}) };
}
