import { expect } from 'vitest';
import type { ApiClient } from '../../../src/client/api-client.js';
import type { Commission, CommissionRule, Payout } from '../../../src/client/types.js';
import type { TestApi } from '../harness.js';
import { readAll } from '../pages.js';
import { recordPartnerEvent } from '../commissions.js';
import type { Model, ResellerState } from './model.js';

/**
 * The partner programme in the isolation model: commission events, payouts, rules and training,
 * all the reseller's (master sees all, a reseller its own, no tenant admin or agent any).
 */

export type CommissionState = Pick<Commission, 'id' | 'reseller_id' | 'type' | 'period' | 'base_cents' | 'amount_cents' | 'status' | 'eligible_on' | 'payout_id'>;
export type PayoutState = Pick<Payout, 'id' | 'reseller_id' | 'run_on' | 'status' | 'net_cents' | 'amount_cents' | 'event_count'>;
export type RuleState = Pick<CommissionRule, 'id' | 'reseller_id' | 'tenant_id'>;

export interface PartnerState {
  commissions: CommissionState[];
  payouts: PayoutState[];
  rules: RuleState[];
  /** completed modules by reseller id */
  training: Record<string, string[]>;
}

const commissionOf = ({ id, reseller_id, type, period, base_cents, amount_cents, status, eligible_on, payout_id }: Commission): CommissionState => ({
  id, reseller_id, type, period, base_cents, amount_cents, status, eligible_on, payout_id,
});
const payoutOf = ({ id, reseller_id, run_on, status, net_cents, amount_cents, event_count }: Payout): PayoutState => ({ id, reseller_id, run_on, status, net_cents, amount_cents, event_count });
const ruleOf = ({ id, reseller_id, tenant_id }: CommissionRule): RuleState => ({ id, reseller_id, tenant_id });
const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export async function partnersFromSystem(admin: ApiClient): Promise<PartnerState> {
  const [commissions, payouts, rules, resellers] = await Promise.all([
    readAll<Commission>(admin, '/v1/commissions'),
    readAll<Payout>(admin, '/v1/payouts'),
    readAll<CommissionRule>(admin, '/v1/commission-rules'),
    readAll<{ id: string }>(admin, '/v1/resellers'),
  ]);
  const training: Record<string, string[]> = {};
  for (const { id } of resellers) {
    const done = (await admin.resellers.training(id)).modules.filter((mod) => mod.completed_on !== null).map((mod) => mod.module);
    if (done.length > 0) training[id] = done;
  }
  return { commissions: byId(commissions.map(commissionOf)), payouts: byId(payouts.map(payoutOf)), rules: byId(rules.map(ruleOf)), training };
}

export async function expectPartnersMatch(m: Model, admin: ApiClient): Promise<void> {
  const system = await partnersFromSystem(admin);
  expect(system.commissions, 'commission events').toEqual(byId(m.partners.commissions));
  expect(system.payouts, 'payouts').toEqual(byId(m.partners.payouts));
  expect(system.rules, 'commission rules').toEqual(byId(m.partners.rules));
  expect(system.training, 'training').toEqual(m.partners.training);
}

/** Each reseller: an event paid long ago (and its payout), one eligible and one pending this month. */
export async function seedPartners(api: TestApi, resellers: string[]): Promise<void> {
  const today = api.clock.now().toISOString().slice(0, 10);
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  for (const reseller of resellers) {
    await recordPartnerEvent(api, { reseller, key: `${reseller}-paid`, period: '2019-01', eligible_on: '2019-02-01', amount_cents: 20_000 });
    await recordPartnerEvent(api, { reseller, key: `${reseller}-eligible`, period: today.slice(0, 7), eligible_on: day(-1), amount_cents: 12_000 });
    await recordPartnerEvent(api, { reseller, key: `${reseller}-pending`, period: today.slice(0, 7), eligible_on: day(20), amount_cents: 3_000 });
  }
  await api.admin.payouts.run({ on: '2019-03-15' });
}

const TIER_FROM: [ResellerState['tier'], number][] = [['platinum', 50_000_000], ['gold', 15_000_000], ['silver', 5_000_000], ['bronze', 0]];

/** A reseller's lifetime revenue and, following revenue, its tier, from the model's events. */
export function refreshReseller(m: Model, reseller: ResellerState): void {
  reseller.lifetime_revenue_cents = m.partners.commissions
    .filter((c) => c.reseller_id === reseller.id && ['recurring', 'renewal', 'upsell'].includes(c.type) && c.status !== 'cancelled')
    .reduce((sum, c) => sum + c.base_cents, 0);
  if (reseller.tier_source === 'revenue') reseller.tier = TIER_FROM.find(([, from]) => reseller.lifetime_revenue_cents >= from)![0];
}
