import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { JOB_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Job } from '../../client/types.js';

export default class JobsRetry extends BaseCommand<typeof JobsRetry> {
  static override summary = 'Queue a failed or cancelled job again (its finished steps are not repeated)';
  static override examples = ['<%= config.bin %> jobs retry job_01jf... --reason "..."'];
  static override args = { id: Args.string({ description: 'job id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Job> {
    const outcome = await (await this.writableClient()).jobs.retry(this.args.id, this.flags.reason);
    const job = outcome.value;
    this.reportChange(outcome, `Queued ${job.id} again`, `${job.id} is already queued`);
    this.printRecord(job, JOB_COLUMNS);
    return job;
  }
}
