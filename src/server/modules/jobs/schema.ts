import { z } from '@hono/zod-openapi';
import { JOB_STATUSES } from '../../../db/tables/jobs.js';
import { pageOf, PageQuery } from '../../routing.js';

export const JobSchema = z
  .object({
    id: z.string().openapi({ example: 'job_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    tenant_id: z.string(),
    kind: z.string().openapi({ example: 'deployment' }),
    payload: z.record(z.string(), z.unknown()),
    status: z.enum(JOB_STATUSES),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    run_at: z.string(),
    lease_owner: z.string().nullable().openapi({ description: 'the worker holding it while it runs' }),
    lease_expires_at: z.string().nullable(),
    last_error: z.string().nullable(),
    steps: z.array(z.object({ step: z.string(), finished_at: z.string(), worker: z.string() })).openapi({ description: 'the steps finished so far, in order' }),
    created_at: z.string(),
    updated_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi('Job');

export const JobPageSchema = pageOf(JobSchema.omit({ steps: true }).openapi('JobSummary'), 'JobPage');

export const JobListQuery = z.object({
  ...PageQuery,
  status: z.enum(JOB_STATUSES).optional(),
  tenant: z.string().max(100).optional().openapi({ description: 'tenant id or slug' }),
});

export const JobIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'job id' }),
});

export type JobListFilter = z.infer<typeof JobListQuery>;
