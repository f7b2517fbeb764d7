import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { CONFIG_COLUMNS } from '../../cli/columns.js';
import { tenantFlag } from '../../cli/flags.js';
import type { ConfigEntry } from '../../client/types.js';

export default class ConfigsGet extends BaseCommand<typeof ConfigsGet> {
  static override summary = 'Show one configuration key (a secret masked unless --reveal)';
  static override examples = ['<%= config.bin %> configs get billing.currency --tenant fibernet', '<%= config.bin %> configs get network.radius_secret --reveal'];
  static override args = { key: Args.string({ description: 'category.name, e.g. billing.currency', required: true }) };
  static override flags = {
    ...tenantFlag,
    reveal: Flags.boolean({ description: 'show a secret (master_admin or the tenant\'s own admin; recorded in the audit trail)', default: false }),
  };

  async run(): Promise<ConfigEntry> {
    const client = await this.factory.client();
    const entry = await client.configs.get(await this.tenantRef(this.flags.tenant), this.args.key, this.flags.reveal);
    this.printRecord(entry, CONFIG_COLUMNS);
    return entry;
  }
}
