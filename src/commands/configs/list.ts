import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { CONFIG_COLUMNS } from '../../cli/columns.js';
import { tenantFlag } from '../../cli/flags.js';
import { parseColumns, pickFields } from '../../cli/output.js';
import type { Configuration } from '../../client/types.js';
import { CONFIG_CATEGORIES } from '../../db/tables/configurations.js';

export default class ConfigsList extends BaseCommand<typeof ConfigsList> {
  static override summary = 'Show a tenant\'s configuration (secrets masked unless --reveal)';
  static override examples = [
    '<%= config.bin %> configs list --tenant fibernet',
    '<%= config.bin %> configs list --tenant fibernet --category network --reveal',
    '<%= config.bin %> configs list --json',
  ];
  static override flags = {
    ...tenantFlag,
    category: Flags.string({ description: 'only this category', options: [...CONFIG_CATEGORIES] }),
    reveal: Flags.boolean({ description: 'show secrets (master_admin or the tenant\'s own admin; recorded in the audit trail)', default: false }),
    csv: Flags.boolean({ description: 'print CSV', default: false, exclusive: ['json'] }),
    columns: Flags.string({ description: 'comma-separated columns to show, in order: key, value, secret, set_in, category, masked, updated' }),
  };

  async run(): Promise<Configuration> {
    const columns = parseColumns(this.flags.columns, CONFIG_COLUMNS);
    const client = await this.factory.client();
    const tenant = await this.tenantRef(this.flags.tenant);
    const config = await client.configs.list(tenant, { category: this.flags.category, reveal: this.flags.reveal });
    this.printList(config.entries, CONFIG_COLUMNS, { csv: this.flags.csv, columns });
    if (!this.jsonEnabled()) this.note(`${config.tenant_slug}: configuration v${config.version}, ${config.entries.length} key${config.entries.length === 1 ? '' : 's'}${this.flags.category ? ` in ${this.flags.category}` : ''}`);
    return { ...config, entries: config.entries.map((entry) => pickFields(entry, columns) as Configuration['entries'][number]) };
  }
}
