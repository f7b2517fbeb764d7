import { BaseCommand } from '../../cli/base-command.js';
import { BACKUP_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags, tenantFlag } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { Backup } from '../../client/types.js';

export default class BackupsList extends BaseCommand<typeof BackupsList> {
  static override summary = 'List a tenant\'s backups, newest first';
  static override examples = ['<%= config.bin %> backups list --tenant fibernet', '<%= config.bin %> backups list --columns id,created,size --csv'];
  static override flags = { ...tenantFlag, ...listFlags(BACKUP_COLUMNS) };

  async run(): Promise<Partial<Backup>[]> {
    const columns = parseColumns(this.flags.columns, BACKUP_COLUMNS);
    const client = await this.factory.client();
    const tenant = await this.tenantRef(this.flags.tenant);
    const { rows, next } = await fetchList(client, (cursor, limit) => client.backups.list(tenant, { cursor, limit }), this.flags);
    const listed = this.printList(rows, BACKUP_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More backups: --cursor ${next} (or --all)`);
    return listed;
  }
}
