import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { BACKUP_SCHEDULE_COLUMNS } from '../../cli/columns.js';
import { parseDuration } from '../../cli/duration.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { BackupSchedule } from '../../client/types.js';

export default class BackupsSchedule extends BaseCommand<typeof BackupsSchedule> {
  static override summary = 'Set (or, without flags, show) how often a tenant is backed up, and how many backups are kept';
  static override description =
    'The schedule is stored now, and --keep applies from the next backup made: the oldest beyond it are deleted. The jobs worker (`dotmac server start`, or `dotmac worker`) takes each scheduled backup when it is due; `backups create` takes one now.';
  static override examples = ['<%= config.bin %> backups schedule --tenant fibernet --every 24h --keep 7', '<%= config.bin %> backups schedule --tenant fibernet'];
  static override apiFields = { every_seconds: '--every' };
  static override flags = {
    ...tenantFlag,
    every: Flags.string({ description: 'how often: 1h to 366d, e.g. 12h, 24h, 7d', dependsOn: ['keep'] }),
    keep: Flags.integer({ description: 'how many backups to keep (1–1000)', dependsOn: ['every'] }),
    ...reasonFlag,
  };

  async run(): Promise<BackupSchedule> {
    if (this.flags.every === undefined || this.flags.keep === undefined) {
      const client = await this.factory.client();
      const schedule = await client.backups.getSchedule(await this.tenantRef(this.flags.tenant));
      this.printRecord(schedule, BACKUP_SCHEDULE_COLUMNS);
      return schedule;
    }
    const every = parseDuration(this.flags.every, '--every');
    if (every < 3600 || every > 366 * 86400) throw usageError(`--every ${this.flags.every} is outside 1h to 366d`, 'e.g. --every 24h');
    if (this.flags.keep < 1 || this.flags.keep > 1000) throw usageError(`--keep ${this.flags.keep} is outside 1 to 1000`, 'e.g. --keep 7');
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const outcome = await client.backups.schedule(tenant, { every_seconds: every, keep: this.flags.keep }, this.flags.reason);
    this.reportChange(outcome, `Backups of ${tenant}: every ${this.flags.every}, keeping ${this.flags.keep}`, `${tenant} already has that schedule`);
    this.printRecord(outcome.value, BACKUP_SCHEDULE_COLUMNS);
    return outcome.value;
  }
}
