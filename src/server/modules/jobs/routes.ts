import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, problems } from '../../routing.js';
import { JobIdParam, JobListQuery, JobPageSchema, JobSchema } from './schema.js';
import { cancelJob, getJob, listJobs, retryJob } from './service.js';

const READERS = ['master_admin', 'tenant_admin', 'reseller'] as const;
const OPERATORS = ['master_admin', 'tenant_admin'] as const;

export const jobRoutes = [
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/jobs',
      operationId: 'listJobs',
      tags: ['jobs'],
      summary: 'List jobs, newest first (a tenant admin its tenant\'s, a reseller its customers\')',
      request: { query: JobListQuery },
      responses: { 200: json(JobPageSchema, 'A page of jobs'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listJobs(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/jobs/{id}',
      operationId: 'getJob',
      tags: ['jobs'],
      summary: 'A job, with the steps it has finished',
      request: { params: JobIdParam },
      responses: { 200: json(JobSchema, 'The job'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getJob(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    OPERATORS,
    {
      method: 'post',
      path: '/v1/jobs/{id}/retry',
      operationId: 'retryJob',
      tags: ['jobs'],
      summary: 'Queue a failed or cancelled job again; finished steps are not repeated',
      request: { params: JobIdParam },
      responses: { 200: changed(JobSchema, 'The job, queued'), ...problems(403, 404, 409, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await retryJob(ctx, c.req.valid('param').id)),
  ),
  defineRoute(
    OPERATORS,
    {
      method: 'post',
      path: '/v1/jobs/{id}/cancel',
      operationId: 'cancelJob',
      tags: ['jobs'],
      summary: 'Cancel a queued or running job (a deployment\'s job fails the deployment)',
      request: { params: JobIdParam },
      responses: { 200: changed(JobSchema, 'The job, cancelled'), ...problems(403, 404, 409, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await cancelJob(ctx, c.req.valid('param').id)),
  ),
];
