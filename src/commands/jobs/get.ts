import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { JOB_COLUMNS } from '../../cli/columns.js';
import type { Job } from '../../client/types.js';

export default class JobsGet extends BaseCommand<typeof JobsGet> {
  static override summary = 'Show one job and the steps it has finished';
  static override examples = ['<%= config.bin %> jobs get job_01jf...'];
  static override args = { id: Args.string({ description: 'job id', required: true }) };

  async run(): Promise<Job> {
    const job = await (await this.factory.client()).jobs.get(this.args.id);
    this.printRecord(job, JOB_COLUMNS);
    return job;
  }
}
