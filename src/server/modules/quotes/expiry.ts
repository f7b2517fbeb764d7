import type { Services } from '../../context.js';
import { PLATFORM_SCOPE, scopedRead, scopedWrite } from '../jobs/worker-db.js';
import { expireQuotes, quotesDue } from './service.js';

const SCHEDULER = { userId: 'scheduler', role: 'master_admin', tenantId: null, resellerId: null, jti: '' } as const;

/**
 * Expiry without anyone watching: the worker runs this on a schedule, as the platform. Jobs rows
 * belong to a tenant (jobs.tenant_id is required and held by the tenant policy), and a quote to a
 * prospect has none, so expiry is a schedule that does the (small, indexed) work itself rather
 * than a job kind: every open quote past 23:59:59 UTC on its valid-until day becomes expired,
 * audited as the scheduler. Answers how many it expired.
 */
export async function expireDueQuotes(services: Services): Promise<number> {
  // a read first: the write lock is taken only when some quote is due, not every five minutes
  const due = await scopedRead(services.db, PLATFORM_SCOPE, (db) => quotesDue(db, services.clock.now(), 1));
  if (due.length === 0) return 0;
  return scopedWrite(services.db, services.dialect, PLATFORM_SCOPE, (trx) =>
    expireQuotes(trx, { ...services, db: trx, principal: SCHEDULER, requestId: 'scheduler', clientRequestId: null, reason: 'valid-until passed' }),
  );
}
