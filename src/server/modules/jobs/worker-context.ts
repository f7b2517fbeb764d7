import type { JobRow } from '../../../db/tables/jobs.js';
import type { ServiceContext, Services } from '../../context.js';

/**
 * The context a worker does a job's work in: scoped to the job's tenant (as its row-level scope
 * is), and named in the audit trail as the worker, not as any person.
 */
export function workerContext(services: Services, job: JobRow, workerId: string): ServiceContext {
  return {
    ...services,
    principal: { userId: `worker:${workerId}`, role: 'tenant_admin', tenantId: job.tenant_id, resellerId: null, jti: '' },
    actor: { id: `worker:${workerId}`, role: 'worker' },
    requestId: job.id,
    clientRequestId: null,
    reason: null,
  };
}
