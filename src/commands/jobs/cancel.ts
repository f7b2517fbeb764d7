import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { JOB_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Job } from '../../client/types.js';

export default class JobsCancel extends BaseCommand<typeof JobsCancel> {
  static override summary = 'Cancel a queued or running job (a deployment\'s job fails the deployment)';
  static override examples = ['<%= config.bin %> jobs cancel job_01jf... --reason "..."'];
  static override args = { id: Args.string({ description: 'job id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<Job> {
    const outcome = await (await this.writableClient()).jobs.cancel(this.args.id, this.flags.reason);
    const job = outcome.value;
    this.reportChange(outcome, `Cancelled ${job.id}`, `${job.id} is already cancelled`);
    this.printRecord(job, JOB_COLUMNS);
    return job;
  }
}
