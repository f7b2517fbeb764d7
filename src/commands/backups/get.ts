import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { BACKUP_COLUMNS } from '../../cli/columns.js';
import type { Backup } from '../../client/types.js';

export default class BackupsGet extends BaseCommand<typeof BackupsGet> {
  static override summary = 'Show one backup';
  static override examples = ['<%= config.bin %> backups get bak_01jf...'];
  static override args = { backup: Args.string({ description: 'backup id (bak_…), from `backups list`', required: true }) };

  async run(): Promise<Backup> {
    const backup = await (await this.factory.client()).backups.get(this.args.backup);
    this.printRecord(backup, BACKUP_COLUMNS);
    return backup;
  }
}
