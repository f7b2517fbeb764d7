import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import type { RecordedUsage } from '../../client/types.js';

export default class UsageRecord extends BaseCommand<typeof UsageRecord> {
  static override summary = 'Record a tenant\'s usage figures for a month so far (master_admin, or the tenant\'s instance token)';
  static override description =
    'A reading is the month\'s figure so far: the peak of active subscribers, the users, devices and GB in use, the API calls since the month began. ' +
    'A stored figure only ever rises, so sending a reading again, or a lower one, changes nothing; the billing run bills the highest.';
  static override examples = ['<%= config.bin %> usage record --tenant fibernet --period 2026-11 --subscribers 1200 --users 40 --api-calls 95000'];
  static override apiFields = { storage_gb: '--storage-gb', api_calls: '--api-calls' };
  static override flags = {
    tenant: Flags.string({ description: 'tenant slug or id', env: 'DOTMAC_TENANT', required: true }),
    period: Flags.string({ description: 'the month, YYYY-MM (default: this month)' }),
    subscribers: Flags.integer({ description: 'peak active subscribers', min: 0 }),
    users: Flags.integer({ description: 'users', min: 0 }),
    devices: Flags.integer({ description: 'devices', min: 0 }),
    'storage-gb': Flags.integer({ description: 'storage in GB', min: 0 }),
    'api-calls': Flags.integer({ description: 'API calls', min: 0 }),
    ...reasonFlag,
  };

  async run(): Promise<RecordedUsage> {
    const f = this.flags;
    const body = { period: f.period, subscribers: f.subscribers, users: f.users, devices: f.devices, storage_gb: f['storage-gb'], api_calls: f['api-calls'] };
    if ([body.subscribers, body.users, body.devices, body.storage_gb, body.api_calls].every((v) => v === undefined)) {
      throw usageError('no figure given', 'give at least one of --subscribers, --users, --devices, --storage-gb, --api-calls');
    }
    const recorded = await (await this.writableClient()).instances.recordUsage(f.tenant, body, f.reason);
    this.note(`${f.tenant} ${recorded.period}: ${Object.entries(recorded.values).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return recorded;
  }
}
