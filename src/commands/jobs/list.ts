import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { JOB_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { JobSummary } from '../../client/types.js';

export default class JobsList extends BaseCommand<typeof JobsList> {
  static override summary = 'List jobs (long work leased by workers), newest first';
  static override examples = ['<%= config.bin %> jobs list --status failed', '<%= config.bin %> jobs list --tenant fibernet --json'];
  static override flags = {
    ...listFlags(JOB_COLUMNS),
    status: Flags.string({ description: 'only this status', options: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }),
    tenant: Flags.string({ description: 'only this tenant\'s (slug or id)', env: 'DOTMAC_TENANT' }),
  };

  async run(): Promise<Partial<JobSummary>[]> {
    const columns = parseColumns(this.flags.columns, JOB_COLUMNS);
    const client = await this.factory.client();
    const { status, tenant } = this.flags;
    const { rows, next } = await fetchList(client, (cursor, limit) => client.jobs.list({ status, tenant, cursor, limit }), this.flags);
    const listed = this.printList(rows, JOB_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More jobs: --cursor ${next} (or --all)`);
    return listed;
  }
}
