import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { Clock } from '../../core/clock.js';
import { forbidden, unauthorized } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import { readInScope } from '../../db/row-scope.js';
import { preparedQuery } from '../../db/prepared.js';
import { ROLES, type Principal, type Role } from './principal.js';
import type { SigningKeys } from './keys.js';

export const TOKEN_ISSUER = 'urn:dotmac:platform';
export const TOKEN_AUDIENCE = 'urn:dotmac:api';
export const TOKEN_TYPE = 'at+jwt';
const CLOCK_SKEW_SECONDS = 30;

export interface TokenClaims {
  sub: string;
  jti: string;
  role: Role;
  tenantId: string | null;
  resellerId: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

export async function signToken(keys: SigningKeys, claims: TokenClaims): Promise<string> {
  const payload: Record<string, unknown> = { role: claims.role };
  if (claims.tenantId) payload.tenant_id = claims.tenantId;
  if (claims.resellerId) payload.reseller_id = claims.resellerId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE, kid: keys.kid })
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(Math.floor(claims.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(keys.privateKey);
}

/** Whether a request only reads (GET, HEAD) or may change something. */
export type Intent = 'read' | 'write';

/** How many verified tokens an app remembers; past that, the longest remembered is forgotten. */
const REMEMBERED_TOKENS = 10_000;

export interface VerifiedTokens {
  /** The claims of a token whose signature and claims check out at `now`; throws Unauthorized otherwise. */
  claims(token: string, now: Date): Promise<JWTPayload>;
}

/**
 * Checking an Ed25519 signature costs about 160 µs, most of a small request. A token that passed
 * every check is remembered until it expires, by the SHA-256 of its text (never the token itself:
 * a credential does not rest in a cache, not even in memory): a request with it then checks only
 * the times. What can change while a token is remembered (its revocation, its tenant's
 * status) is never remembered here: verifyToken reads it from the database on every request, so
 * it applies at once, on every server sharing that database.
 */
export function verifiedTokens(keys: SigningKeys, capacity = REMEMBERED_TOKENS): VerifiedTokens {
  const remembered = new Map<string, JWTPayload>();
  return {
    async claims(token, now) {
      const key = createHash('sha256').update(token).digest('base64url');
      const known = remembered.get(key);
      if (known) {
        checkTimes(known, now);
        return known;
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys.publicKey, {
          algorithms: ['EdDSA'],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          typ: TOKEN_TYPE,
          requiredClaims: ['exp', 'sub', 'jti'],
          clockTolerance: CLOCK_SKEW_SECONDS,
          currentDate: now,
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw unauthorized('the token has expired');
        throw unauthorized('the token is not valid');
      }
      if (remembered.size >= capacity) remembered.delete(remembered.keys().next().value!);
      remembered.set(key, payload);
      return payload;
    },
  };
}

/** jose's own time checks (exp required, nbf when present, both with the clock skew), for a remembered token. */
function checkTimes(payload: JWTPayload, now: Date): void {
  const seconds = Math.floor(now.getTime() / 1000);
  if (payload.nbf !== undefined && payload.nbf > seconds + CLOCK_SKEW_SECONDS) throw unauthorized('the token is not valid');
  if (payload.exp! <= seconds - CLOCK_SKEW_SECONDS) throw unauthorized('the token has expired');
}

/** Read on every request, so prepared once (src/db/prepared.ts). */
const tokenRow = preparedQuery(['jti'], (db, p: { jti: string }) =>
  db
    .selectFrom('tokens')
    .leftJoin('tenants', 'tenants.id', 'tokens.tenant_id')
    .select(['tokens.jti', 'tokens.user_id', 'tokens.role', 'tokens.tenant_id', 'tokens.reseller_id', 'tokens.revoked_at', 'tokens.discount_authority_bps', 'tenants.slug as tenant_slug', 'tenants.status as tenant_status'])
    .where('tokens.jti', '=', p.jti),
);

/**
 * Verifies a bearer token: pinned algorithm, issuer, audience and `typ`; `exp`, `sub` and `jti`
 * required (jose checks `exp` only when present unless told); a small clock skew; then the jti
 * must name a token this platform issued and has not revoked. A tenant admin's token (or its
 * instance agent's) is as good as its tenant: refused once the tenant is cancelled, and read-only while it is suspended.
 */
export async function verifyToken(db: Db, verified: VerifiedTokens, clock: Clock, token: string, intent: Intent): Promise<Principal> {
  const payload = await verified.claims(token, clock.now());
  const role = payload.role as Role;
  const { jti, sub, tenant_id: tenantId = null, reseller_id: resellerId = null } = payload;
  // jose checks that jti and sub are present, not that they are strings; the lookup below binds them.
  if (!ROLES.includes(role) || typeof jti !== 'string' || typeof sub !== 'string') throw unauthorized('the token is not valid');
  if ((tenantId !== null && typeof tenantId !== 'string') || (resellerId !== null && typeof resellerId !== 'string')) throw unauthorized('the token is not valid');
  // Read in the scope the signed claims name (row-level security on PostgreSQL): a token's row is
  // visible only to the principal it was issued to, and must say the same as its claims.
  const [row] = await readInScope(db, { role, tenantId, resellerId }, (scoped) => tokenRow(scoped, { jti }));
  if (!row || row.user_id !== sub || row.role !== role || row.tenant_id !== tenantId || row.reseller_id !== resellerId) throw unauthorized('the token is not valid');
  if (row.revoked_at) throw unauthorized('the token has been revoked');
  if (role === 'tenant_admin' || role === 'instance') {
    if (row.tenant_status === 'cancelled') throw unauthorized(`tenant "${row.tenant_slug}" is cancelled; its tokens no longer work`);
    if (row.tenant_status === 'suspended' && intent === 'write') throw forbidden(`tenant "${row.tenant_slug}" is suspended; its tokens can read but not change anything until it is resumed`);
  }
  return { userId: row.user_id, role, tenantId: row.tenant_id, resellerId: row.reseller_id, jti: row.jti, discountAuthorityBps: row.discount_authority_bps === null ? null : Number(row.discount_authority_bps) };
}
