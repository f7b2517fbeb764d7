import type { ApiClient } from '../client/api-client.js';
import type { Job } from '../client/types.js';
import { CliError, EXIT } from './errors.js';

const ENDED = new Set<Job['status']>(['succeeded', 'failed', 'cancelled']);
const POLL_MS = 150;

/**
 * Waits for a job to end and answers it. In local mode the job runs in this process (if another
 * process holds its lease, it is asked again until that lease runs out or the job ends); over HTTP
 * the server's worker runs it and the job is asked after until it ends. A job that failed or was
 * cancelled is exit 1 with its reason.
 */
export async function waitForJob(client: ApiClient, id: string, what: string): Promise<Job> {
  for (;;) {
    let job = await client.jobs.get(id);
    if (!ENDED.has(job.status) && client.runsJobsHere && (await client.runJobHere(id))) job = await client.jobs.get(id);
    if (job.status === 'succeeded') return job;
    if (ENDED.has(job.status)) {
      throw new CliError(
        `${what} (job ${job.id}) ${job.status}: ${job.last_error ?? 'no reason given'}`,
        job.status === 'failed' ? `fix the cause, then \`dotmac jobs retry ${job.id}\`` : `\`dotmac jobs retry ${job.id}\` queues it again`,
        EXIT.error,
        `job_${job.status}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
