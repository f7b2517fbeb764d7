// Pure rules of quotes (COMMERCE.md § Quotes): discount authority and validity dates. No I/O.
import { dayOf } from '../../../core/calendar.js';
import { invalid } from '../../../core/errors.js';
import type { Principal } from '../../auth/principal.js';

/** A reseller's authority, fixed. */
export const RESELLER_AUTHORITY_BPS = 500;
/** A staff token's authority when it was issued without one. */
export const DEFAULT_STAFF_AUTHORITY_BPS = 1_000;
/** A setup waiver needs at least this much authority. */
export const WAIVER_AUTHORITY_BPS = 2_000;
/** The custom plan needs this much authority (the deal desk). */
export const CUSTOM_PLAN_AUTHORITY_BPS = 4_000;
export const DEFAULT_VALID_DAYS = 30;
export const MAX_VALID_DAYS = 90;

/** How much negotiated discount the caller may give without approval. */
export function discountAuthority(principal: Pick<Principal, 'role' | 'discountAuthorityBps'>): number {
  switch (principal.role) {
    case 'reseller':
      return RESELLER_AUTHORITY_BPS;
    case 'master_admin':
      return principal.discountAuthorityBps ?? DEFAULT_STAFF_AUTHORITY_BPS;
    default:
      return 0;
  }
}

/** The authority a quote needs: its negotiated discount (not the term discount), 2,000 for a setup waiver, 4,000 for the custom plan. */
export function requiredAuthority(quote: { discount_bps: number; waive_setup: boolean; plan: string }): number {
  return Math.max(quote.discount_bps, quote.waive_setup ? WAIVER_AUTHORITY_BPS : 0, quote.plan === 'custom' ? CUSTOM_PLAN_AUTHORITY_BPS : 0);
}

const DAY_MS = 86_400_000;

/** The last valid day of a quote made today: default 30 days, at most 90. */
export function validUntil(today: Date, days = DEFAULT_VALID_DAYS): string {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALID_DAYS) throw invalid(`a quote is valid for 1 to ${MAX_VALID_DAYS} days, not ${days}`);
  return dayOf(new Date(today.getTime() + days * DAY_MS));
}

/** A quote expires after 23:59:59 UTC on its valid-until day. */
export function isPastValidity(validUntilDay: string, now: Date): boolean {
  return dayOf(now) > validUntilDay;
}
