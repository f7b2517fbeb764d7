import type { TenantStatus } from '../../../db/tables/tenants.js';

export type TenantTransition = 'provision' | 'activate' | 'suspend' | 'resume' | 'cancel';

const TRANSITIONS: Record<TenantTransition, { from: readonly TenantStatus[]; to: TenantStatus }> = {
  provision: { from: ['pending'], to: 'provisioning' },
  activate: { from: ['provisioning'], to: 'active' },
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  cancel: { from: ['pending', 'provisioning', 'active', 'suspended'], to: 'cancelled' },
};

/** pending → provisioning → active ⇄ suspended → cancelled. Returns the new status, or null if illegal. */
export function nextStatus(current: TenantStatus, transition: TenantTransition): TenantStatus | null {
  const rule = TRANSITIONS[transition];
  return rule.from.includes(current) ? rule.to : null;
}
