import { BaseCommand } from '../../cli/base-command.js';
import { CONFIG_VERSION_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags, tenantFlag } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { ConfigVersion } from '../../client/types.js';

export default class ConfigsHistory extends BaseCommand<typeof ConfigsHistory> {
  static override summary = 'List the versions of a tenant\'s configuration, newest first (which keys each changed; never values)';
  static override examples = ['<%= config.bin %> configs history --tenant fibernet', '<%= config.bin %> configs history --all --json'];
  static override flags = { ...tenantFlag, ...listFlags(CONFIG_VERSION_COLUMNS) };

  async run(): Promise<Partial<ConfigVersion>[]> {
    const columns = parseColumns(this.flags.columns, CONFIG_VERSION_COLUMNS);
    const client = await this.factory.client();
    const tenant = await this.tenantRef(this.flags.tenant);
    const { rows, next } = await fetchList(client, (cursor, limit) => client.configs.versions(tenant, { cursor, limit }), this.flags);
    const listed = this.printList(rows, CONFIG_VERSION_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More versions: --cursor ${next} (or --all)`);
    return listed;
  }
}
