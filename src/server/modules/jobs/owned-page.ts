import type { SelectQueryBuilder } from 'kysely';
import type { ServiceContext } from '../../context.js';
import { decodeCursor, pageFrom, type Page } from '../../pagination.js';
import { tenantIdOf } from '../audit/targets.js';

export interface OwnedListFilter {
  limit: number;
  cursor?: string;
  status?: string;
  /** tenant id or slug: one the caller cannot see is 404, not an empty page */
  tenant?: string;
}

/**
 * A page of tenant-owned rows with sortable ids (jobs, deployments), newest first, from a query
 * that already went through scopeTo, filtered by status and tenant.
 */
export async function ownedPage<O extends { id: string }, T extends { id: string }>(
  ctx: ServiceContext,
  scoped: SelectQueryBuilder<any, any, O>, // jobs or deployments: the columns used are the same in both
  filter: OwnedListFilter,
  view: (row: O) => T,
): Promise<Page<T>> {
  let query = scoped.orderBy('id', 'desc').limit(filter.limit + 1);
  if (filter.cursor) query = query.where('id', '<', decodeCursor(filter.cursor));
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.tenant) query = query.where('tenant_id', '=', await tenantIdOf(ctx, filter.tenant));
  const rows = await query.execute();
  return pageFrom(rows.map(view), filter.limit, (row) => row.id);
}
