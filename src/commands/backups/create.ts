import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { BACKUP_COLUMNS, JOB_COLUMNS } from '../../cli/columns.js';
import { waitForJob } from '../../cli/job-progress.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { Backup, Job } from '../../client/types.js';

export default class BackupsCreate extends BaseCommand<typeof BackupsCreate> {
  static override summary = 'Back up every row a tenant owns (a gzip\'d snapshot with a SHA-256 checksum), as a job';
  static override description =
    'Queues a backup job; a worker takes the backup (`dotmac server start` runs one, or `dotmac worker`). With --wait the command waits for it ' +
    '(in local mode the job runs in this process) and prints the backup; --json then gives the backup, and without --wait the queued job ' +
    '(its payload.backup_id is the backup it will make). The backup is stored in the database; `backups download` copies it to a file. ' +
    'When the tenant has a schedule (`backups schedule`), the oldest backups beyond its --keep are deleted.';
  static override examples = [
    '<%= config.bin %> backups create --tenant fibernet --wait',
    '<%= config.bin %> backups create --tenant fibernet --wait --json | jq -r .id',
    '<%= config.bin %> backups create --tenant fibernet --json | jq -r .payload.backup_id',
  ];
  static override flags = {
    ...tenantFlag,
    wait: Flags.boolean({ description: 'wait until the backup is taken (in local mode its job runs in this process) and print it; exit 1 if the job fails', default: false }),
    ...reasonFlag,
  };

  async run(): Promise<Backup | Job> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const job = await client.backups.create(tenant, this.flags.reason);
    const backupId = String(job.payload.backup_id);
    if (!this.flags.wait) {
      this.note(
        client.runsJobsHere
          ? `Queued backup ${backupId} of ${tenant} (job ${job.id}). In local mode a worker takes it (\`dotmac worker\`), or pass --wait to take it now`
          : `Queued backup ${backupId} of ${tenant} (job ${job.id}); the server's worker takes it. Follow it: dotmac jobs get ${job.id}`,
      );
      this.printRecord(job, JOB_COLUMNS);
      return job;
    }
    await waitForJob(client, job.id, `the backup of ${tenant}`);
    const backup = await client.backups.get(backupId);
    this.note(`Backed up ${tenant}: ${backup.id} (${backup.rows} rows, ${backup.size} bytes)`);
    this.printRecord(backup, BACKUP_COLUMNS);
    return backup;
  }
}
