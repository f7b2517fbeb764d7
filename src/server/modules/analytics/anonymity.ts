// k-anonymity for cross-tenant distributions (issue 9). Pure: no I/O.
//
// A group is computed over every tenant of the platform, so a reseller or a tenant admin can
// compare itself with the rest. What a non-master caller may not learn is the figures of a few
// other tenants. A group is therefore shown to it only when the tenants in it that are OUTSIDE the
// caller's scope are none (the group is all its own) or at least K. Counting only the others is
// the stricter rule: with "at least K tenants in all", a reseller holding 3 of a group of 5 could
// subtract its own figures and read the other 2; here the others always number K or more, so what
// is left after subtracting its own is an aggregate over at least K tenants it cannot see.
import type { Role } from '../../../db/tables/users.js';

export const K_ANONYMITY = 5;

export interface CountedGroup {
  key: string;
  /** every tenant in the group */
  tenants: number;
  /** those in the caller's scope (its own tenant, or a reseller's customers) */
  own: number;
}

/** Whether a caller of `role` may see the group. */
export function showable(role: Role, group: Pick<CountedGroup, 'tenants' | 'own'>): boolean {
  if (role === 'master_admin') return true;
  const others = group.tenants - group.own;
  return others === 0 || others >= K_ANONYMITY;
}

/** The groups the caller may see, without their `own` counts, and how many were left out. */
export function anonymise<G extends CountedGroup>(role: Role, groups: readonly G[]): { groups: Omit<G, 'own'>[]; suppressed_groups: number } {
  const shown = groups.filter((g) => showable(role, g));
  return { groups: shown.map(({ own: _own, ...rest }) => rest), suppressed_groups: groups.length - shown.length };
}
