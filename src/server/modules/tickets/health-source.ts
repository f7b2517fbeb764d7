import { scopeTo } from '../../auth/scope.js';
import type { InputSource } from '../customers/gather.js';
import { TICKET_SCOPE } from './service.js';

const DAY_MS = 24 * 3600_000;
/** CSAT counts the tickets closed in this many days. */
export const CSAT_WINDOW_DAYS = 90;

/**
 * The support input of customer health: open P1/P2 tickets (open or in progress) now, and the
 * average CSAT of tickets closed with a rating in the last 90 days (cut, not rounded, to two
 * decimals, so 3.999 never reads as 4). A tenant with no ticket open and none opened or closed
 * in those 90 days has no data (neutral 50), as a tenant with no NPS answer has; one with tickets
 * but no rating and none open scores 100.
 */
export const supportSource: InputSource<'support'> = async (g) => {
  const since = new Date(g.ctx.clock.now().getTime() - CSAT_WINDOW_DAYS * DAY_MS).toISOString();
  const ids = g.tenants.map((t) => t.id);
  let query = g.ctx.db
    .selectFrom('tickets')
    .select(['tenant_id', 'priority', 'status', 'csat', 'created_at', 'closed_at'])
    .where(scopeTo(g.ctx.principal, TICKET_SCOPE))
    .where((eb) => eb.or([eb('status', '<>', 'closed'), eb('created_at', '>=', since), eb('closed_at', '>=', since)]));
  // few tenants: read theirs only; many: every ticket in scope (rows of others are ignored)
  if (ids.length === 0) return () => ({ noData: 'no support tickets in the last 90 days' });
  if (ids.length <= 500) query = query.where('tenant_id', 'in', ids);
  const byTenant = new Map<string, { open: number; active: boolean; ratings: number[] }>();
  for (const row of await query.execute()) {
    const t = byTenant.get(row.tenant_id) ?? { open: 0, active: false, ratings: [] };
    t.active = true;
    if ((row.status === 'open' || row.status === 'in_progress') && (row.priority === 'p1' || row.priority === 'p2')) t.open += 1;
    if (row.status === 'closed' && row.csat !== null && row.closed_at !== null && row.closed_at >= since) t.ratings.push(Number(row.csat));
    byTenant.set(row.tenant_id, t);
  }
  return (tenant) => {
    const t = byTenant.get(tenant.id);
    if (!t?.active) return { noData: 'no support tickets in the last 90 days' };
    const csat = t.ratings.length === 0 ? null : Math.floor((t.ratings.reduce((a, b) => a + b, 0) / t.ratings.length) * 100) / 100;
    return { openP1P2: t.open, csat };
  };
};
