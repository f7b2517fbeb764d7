import type { Role } from '../../db/tables/users.js';

export type { Role };
export { ROLES } from '../../db/tables/users.js';

/** The roles people hold: every route that is not an instance agent's own names these, never ROLES. */
export const PEOPLE_ROLES = ['master_admin', 'tenant_admin', 'reseller'] as const satisfies readonly Role[];

/** Who is calling, as proven by a verified token. Every service function receives one. */
export interface Principal {
  userId: string;
  role: Role;
  tenantId: string | null;
  resellerId: string | null;
  jti: string;
  /** a staff token's negotiated-discount authority (bps), when it was given one; see discountAuthority() */
  discountAuthorityBps?: number | null;
}
