import type { TenantStatus } from '../../../db/tables/tenants.js';

export type TenantTransition = 'provision' | 'activate' | 'suspend' | 'resume' | 'cancel';

const TRANSITIONS: Record<TenantTransition, { from: readonly TenantStatus[]; to: TenantStatus }> = {
  provision: { from: ['pending'], to: 'provisioning' },
  activate: { from: ['provisioning'], to: 'active' },
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  cancel: { from: ['pending', 'provisioning', 'active', 'suspended'], to: 'cancelled' },
};

/**
 * pending → provisioning → active ⇄ suspended → cancelled. A verb whose end state already holds
 * is `unchanged` (asking twice is not an error); one that cannot reach it from here is illegal.
 */
export function nextStatus(current: TenantStatus, transition: TenantTransition): { to: TenantStatus } | 'unchanged' | 'illegal' {
  const rule = TRANSITIONS[transition];
  if (current === rule.to) return 'unchanged';
  return rule.from.includes(current) ? { to: rule.to } : 'illegal';
}
