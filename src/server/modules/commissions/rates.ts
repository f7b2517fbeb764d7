// The partner programme's rates (COMMERCE.md § Commissions): tiers by lifetime partner-sourced
// revenue, and which rate applies to an event. Pure: no I/O, integers only.

export const PARTNER_TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export type PartnerTier = (typeof PARTNER_TIERS)[number];
export const PARTNER_KINDS = ['reseller', 'referral'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const TIER_SOURCES = ['revenue', 'manual'] as const;
export type TierSource = (typeof TIER_SOURCES)[number];
export const COMMISSION_TYPES = ['initial', 'recurring', 'renewal', 'upsell', 'bonus', 'clawback'] as const;
export type CommissionType = (typeof COMMISSION_TYPES)[number];

interface TierRates {
  /** lifetime partner-sourced revenue, in cents, from which the tier applies */
  fromCents: number;
  reseller: { recurringBps: number; bonusBps: number };
  referral: { recurringBps: number; bonusBps: number };
}

export const TIER_TABLE: Readonly<Record<PartnerTier, TierRates>> = {
  bronze: { fromCents: 0, reseller: { recurringBps: 1_500, bonusBps: 300 }, referral: { recurringBps: 1_000, bonusBps: 200 } },
  silver: { fromCents: 5_000_000, reseller: { recurringBps: 2_000, bonusBps: 500 }, referral: { recurringBps: 1_200, bonusBps: 300 } },
  gold: { fromCents: 15_000_000, reseller: { recurringBps: 2_500, bonusBps: 700 }, referral: { recurringBps: 1_500, bonusBps: 500 } },
  platinum: { fromCents: 50_000_000, reseller: { recurringBps: 3_000, bonusBps: 800 }, referral: { recurringBps: 1_800, bonusBps: 600 } },
};

/** The tier lifetime partner-sourced revenue (cents) earns. */
export function tierForRevenue(lifetimeCents: number): PartnerTier {
  let tier: PartnerTier = 'bronze';
  for (const candidate of PARTNER_TIERS) if (lifetimeCents >= TIER_TABLE[candidate].fromCents) tier = candidate;
  return tier;
}

/**
 * The foundation's resellers were made with tier `registered`, the entry level before this
 * programme: it reads as bronze.
 */
export function partnerTier(stored: string): PartnerTier {
  return (PARTNER_TIERS as readonly string[]).includes(stored) ? (stored as PartnerTier) : 'bronze';
}

export interface Partner {
  id: string;
  kind: PartnerKind;
  /** the stored tier: what master_admin set when tier_source is manual */
  tier: string;
  tier_source: TierSource;
  default_commission_bps: number | null;
}

/** The tier in force: set by hand, or earned by lifetime revenue. */
export function effectiveTier(partner: Partner, lifetimeCents: number): PartnerTier {
  return partner.tier_source === 'manual' ? partnerTier(partner.tier) : tierForRevenue(lifetimeCents);
}

export interface CommissionRule {
  id: string;
  /** lower numbers are tried first */
  priority: number;
  bps: number;
  reseller_id: string | null;
  /** set: an account override for that customer */
  tenant_id: string | null;
  plan: string | null;
  commission_type: CommissionType | null;
  description: string;
  /** inclusive, YYYY-MM-DD */
  active_from: string;
  active_to: string | null;
}

/** Which step of the precedence chose a rate, kept on the event so that `explain` can say. */
export interface RateSource {
  source: 'account_override' | 'rule' | 'partner_default' | 'tier' | 'clawback';
  rule_id?: string;
  description: string;
}

export interface ChosenRate extends RateSource {
  bps: number;
}

export interface RateQuestion {
  partner: Partner;
  tier: PartnerTier;
  rules: readonly CommissionRule[];
  type: 'recurring' | 'renewal' | 'upsell' | 'bonus';
  tenant_id: string | null;
  plan: string | null;
  /** the day the rate is for (the invoice's payment, or the quarter's last day), YYYY-MM-DD */
  on: string;
}

/** A rule applies to a question when each of its filters that is set matches, on an active day. */
export function ruleApplies(rule: CommissionRule, q: RateQuestion): boolean {
  if (rule.reseller_id !== null && rule.reseller_id !== q.partner.id) return false;
  if (rule.plan !== null && rule.plan !== q.plan) return false;
  if (rule.commission_type !== null && rule.commission_type !== q.type) return false;
  if (rule.active_from > q.on) return false;
  if (rule.active_to !== null && rule.active_to < q.on) return false;
  return true;
}

const byPriority = (a: CommissionRule, b: CommissionRule) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The rate of an event, by precedence: an account override (a rule naming the customer), then the
 * other rules by priority, then the partner's default, then the tier table. A rule or default
 * that names no commission type is the partner's recurring rate: renewal takes half of it
 * (half-up), as it does of the tier's. The quarterly bonus takes only a rule written for `bonus`,
 * else the tier's bonus rate (an account's or the default recurring rate says nothing of it).
 */
export function chooseRate(q: RateQuestion): ChosenRate {
  // the first applying rule of each kind by priority, in one pass (a commission run asks once per invoice)
  let override: CommissionRule | undefined;
  let general: CommissionRule | undefined;
  for (const rule of q.rules) {
    if (!ruleApplies(rule, q)) continue;
    if (rule.tenant_id === null) {
      if ((q.type !== 'bonus' || rule.commission_type === 'bonus') && (!general || byPriority(rule, general) < 0)) general = rule;
    } else if (q.type !== 'bonus' && rule.tenant_id === q.tenant_id && (!override || byPriority(rule, override) < 0)) override = rule;
  }
  const chosen = override ?? general;
  if (chosen) {
    return { bps: q.type === 'renewal' && chosen.commission_type === null ? halfOf(chosen.bps) : chosen.bps, source: override ? 'account_override' : 'rule', rule_id: chosen.id, description: chosen.description };
  }
  if (q.type !== 'bonus' && q.partner.default_commission_bps !== null) {
    const bps = q.partner.default_commission_bps;
    return { bps: q.type === 'renewal' ? halfOf(bps) : bps, source: 'partner_default', description: `the partner's default rate ${bps} bps${q.type === 'renewal' ? ', halved for renewal' : ''}` };
  }
  const rates = TIER_TABLE[q.tier][q.partner.kind];
  if (q.type === 'bonus') return { bps: rates.bonusBps, source: 'tier', description: `${q.tier} ${q.partner.kind} bonus rate` };
  if (q.type === 'renewal') return { bps: halfOf(rates.recurringBps), source: 'tier', description: `${q.tier} ${q.partner.kind} recurring rate ${rates.recurringBps} bps, halved for renewal` };
  return { bps: rates.recurringBps, source: 'tier', description: `${q.tier} ${q.partner.kind} recurring rate` };
}

const halfOf = (bps: number) => roundHalfUp(bps, 2);

/** round-half-up(numerator / denominator) for a non-negative numerator and a positive denominator. */
export function roundHalfUp(numerator: number | bigint, denominator: number | bigint): number {
  if (typeof numerator === 'number' && typeof denominator === 'number' && numerator >= 0 && denominator > 0) {
    // exact in doubles while every step is a safe integer (a commission run makes tens of
    // thousands of these; BigInt allocates for each): floor by division, corrected by the remainder
    const num = 2 * numerator + denominator;
    const den = 2 * denominator;
    if (Number.isSafeInteger(num) && Number.isSafeInteger(den)) {
      let q = Math.floor(num / den);
      const r = num - q * den;
      if (r < 0) q -= 1;
      else if (r >= den) q += 1;
      return q;
    }
  }
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (n < 0n || d <= 0n) throw new RangeError('roundHalfUp takes a non-negative numerator and a positive denominator');
  return Number((2n * n + d) / (2n * d));
}

/** round-half-up(amount × bps / 10,000): one line's share, in whole cents. */
export function applyBps(amountCents: number, bps: number): number {
  const product = amountCents * bps;
  return Number.isSafeInteger(product) ? roundHalfUp(product, 10_000) : roundHalfUp(BigInt(amountCents) * BigInt(bps), 10_000);
}
