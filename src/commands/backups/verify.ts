import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { BACKUP_VERIFICATION_COLUMNS } from '../../cli/columns.js';
import { CliError, EXIT } from '../../cli/errors.js';
import type { BackupVerification } from '../../client/types.js';

export default class BackupsVerify extends BaseCommand<typeof BackupsVerify> {
  static override summary = 'Check that a backup can be restored: its checksum, its document, its tenant and its schema';
  static override description = 'Exits 0 when the backup is sound and 6 when it is not, saying why.';
  static override examples = ['<%= config.bin %> backups verify bak_01jf...'];
  static override args = { backup: Args.string({ description: 'backup id (bak_…)', required: true }) };

  async run(): Promise<BackupVerification> {
    const check = await (await this.factory.client()).backups.verify(this.args.backup);
    if (!check.valid) {
      throw new CliError(`backup ${check.backup_id} cannot be restored: ${check.problem}`, 'restore another backup (`dotmac backups list`), or take a new one', EXIT.conflict, 'backup_invalid');
    }
    const rows = check.tables.reduce((n, t) => n + t.rows, 0);
    this.note(`Backup ${check.backup_id} is sound: checksum matches, ${check.tables.length} tables, ${rows} rows`);
    this.printRecord(check, BACKUP_VERIFICATION_COLUMNS);
    return check;
  }
}
