import type { Role } from '../../db/tables/users.js';

export type { Role };
export { ROLES } from '../../db/tables/users.js';

/** Who is calling, as proven by a verified token. Every service function receives one. */
export interface Principal {
  userId: string;
  role: Role;
  tenantId: string | null;
  resellerId: string | null;
  jti: string;
}
