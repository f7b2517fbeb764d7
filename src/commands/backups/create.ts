import { BaseCommand } from '../../cli/base-command.js';
import { BACKUP_COLUMNS } from '../../cli/columns.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { Backup } from '../../client/types.js';

export default class BackupsCreate extends BaseCommand<typeof BackupsCreate> {
  static override summary = 'Back up every row a tenant owns, now (a gzip\'d snapshot with a SHA-256 checksum)';
  static override description =
    'The backup is stored in the database; `backups download` copies it to a file. When the tenant has a schedule (`backups schedule`), the oldest backups beyond its --keep are deleted.';
  static override examples = ['<%= config.bin %> backups create --tenant fibernet', '<%= config.bin %> backups create --json | jq -r .id'];
  static override flags = { ...tenantFlag, ...reasonFlag };

  async run(): Promise<Backup> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const backup = await client.backups.create(tenant, this.flags.reason);
    this.note(`Backed up ${tenant}: ${backup.id} (${backup.rows} rows, ${backup.size} bytes)`);
    this.printRecord(backup, BACKUP_COLUMNS);
    return backup;
  }
}
