import type { Insertable, Selectable } from 'kysely';
import type { Role } from './users.js';

/** Every token the platform issues is recorded here by `jti`; a JWT whose jti is unknown or revoked is refused. */
export interface TokensTable {
  jti: string;
  user_id: string;
  role: Role;
  tenant_id: string | null;
  reseller_id: string | null;
  label: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  created_by: string | null;
  /** a staff token's negotiated-discount authority in bps (COMMERCE.md § Quotes); null: the role's default */
  discount_authority_bps: number | null;
}

export type TokenRow = Selectable<TokensTable>;
export type NewTokenRow = Insertable<TokensTable>;
