// Pricing as pure functions of a price book (COMMERCE.md): a quote, a first invoice and every
// later invoice are made of these lines, so a quote's first-invoice total is the first invoice.
// Every line is rounded once; totals are sums of lines; nothing here touches a float that could
// leak into money (amounts are integers, and divisions go through divideRounded).
import type { SubscriptionsTable } from '../../../db/tables/billing.js';
import { closestMatch } from '../../../core/distance.js';
import { invalid } from '../../../core/errors.js';
import { applyBps, divideRounded, grouped } from '../../../core/money.js';
import type { AddonPrice, PlanPrice, PriceBand, PriceBook } from './book.js';

/** Above this, no negotiated discount is ever allowed, whoever asks. */
export const MAX_DISCOUNT_BPS = 4_000;
/** A sanity bound on subscriber counts, far above any plan's cap. */
export const MAX_SUBSCRIBERS = 10_000_000;

export type LineKind =
  | 'platform_fee'
  | 'band'
  | 'addon'
  | 'term_discount'
  | 'negotiated_discount'
  | 'setup'
  | 'setup_waiver'
  | 'overage'
  | 'proration_credit'
  | 'proration_charge';

export interface PriceLine {
  kind: LineKind;
  /** the plan, add-on, band (`101-250`) or metered quantity the line prices */
  code: string | null;
  description: string;
  quantity: number;
  unit_cents: number;
  amount_cents: number;
  /** recurring revenue (fee, bands, add-ons and their discounts), as opposed to setup, overage and proration */
  recurring: boolean;
}

export type PricingFlag = 'upgrade_required';

export interface PriceInput {
  plan: string;
  term_months: number;
  subscribers: number;
  addons?: readonly string[];
  discount_bps?: number;
  waive_setup?: boolean;
  /** the custom plan's quoted monthly platform fee (at least its floor) */
  platform_fee_cents?: number;
  /** the custom plan's quoted setup fee (at least its minimum) */
  setup_cents?: number;
}

export interface Pricing {
  price_book_version: string;
  currency: string;
  plan: PlanPrice['code'];
  term_months: number;
  subscribers: number;
  addons: string[];
  term_discount_bps: number;
  discount_bps: number;
  lines: PriceLine[];
  /** the recurring monthly total: fee, bands and add-ons after both discounts */
  monthly_cents: number;
  /** setup after any waiver */
  setup_cents: number;
  /** the first invoice: the whole first month plus setup */
  first_invoice_cents: number;
  flags: PricingFlag[];
  warnings: string[];
}

export function findPlan(book: PriceBook, code: string): PlanPrice {
  const plan = book.plans.find((p) => p.code === code);
  if (plan) return plan;
  const names = book.plans.map((p) => p.code);
  const near = closestMatch(code, names);
  throw invalid(`unknown plan '${code}'${near ? ` (did you mean '${near}'?)` : ''}; price book ${book.version} has ${names.join(', ')}`);
}

export function termDiscountBps(book: PriceBook, months: number): number {
  const term = book.terms.find((t) => t.months === months);
  if (term) return term.discount_bps;
  throw invalid(`a ${months}-month term is not offered; terms are ${book.terms.map((t) => t.months).join(', ')} months`);
}

export function findAddons(book: PriceBook, codes: readonly string[]): AddonPrice[] {
  const seen = new Set<string>();
  return codes.map((code) => {
    if (seen.has(code)) throw invalid(`add-on '${code}' is named twice`);
    seen.add(code);
    const addon = book.addons.find((a) => a.code === code);
    if (addon) return addon;
    const names = book.addons.map((a) => a.code);
    const near = closestMatch(code, names);
    throw invalid(`unknown add-on '${code}'${near ? ` (did you mean '${near}'?)` : ''}; add-ons are ${names.join(', ')}`);
  });
}

/**
 * Graduated bands: each subscriber above the included count is priced by the band it falls in.
 * Past the last band (above the hard cap) billing continues at the last band's price.
 */
export function bandLines(plan: PlanPrice, subscribers: number): PriceLine[] {
  return plan.bands.flatMap((band, i) => {
    const last = i === plan.bands.length - 1;
    const upper = last ? Math.max(band.to, subscribers) : band.to;
    const quantity = Math.max(0, Math.min(subscribers, upper) - band.from + 1);
    if (quantity === 0) return [];
    return [
      {
        kind: 'band' as const,
        code: bandCode(band, upper),
        description: `Subscribers ${bandCode(band, upper).replace('-', '–')} at ${band.unit_cents} ¢ each`,
        quantity,
        unit_cents: band.unit_cents,
        amount_cents: quantity * band.unit_cents,
        recurring: true,
      },
    ];
  });
}

const bandCode = (band: PriceBand, upper: number) => `${band.from}-${upper}`;

/** The platform fee and add-ons: the monthly charges billed in advance, before discounts. */
export function inAdvanceLines(book: PriceBook, plan: PlanPrice, addonCodes: readonly string[], platformFeeCents?: number): PriceLine[] {
  const fee = platformFee(plan, platformFeeCents);
  const lines: PriceLine[] = [
    { kind: 'platform_fee', code: plan.code, description: `${plan.name} platform fee${plan.included_subscribers > 0 ? `, ${grouped(plan.included_subscribers)} subscribers included` : ''}`, quantity: 1, unit_cents: fee, amount_cents: fee, recurring: true },
  ];
  for (const addon of findAddons(book, addonCodes)) {
    const included = addon.included_in.includes(plan.code);
    const unit = included ? 0 : addon.monthly_cents;
    lines.push({ kind: 'addon', code: addon.code, description: `${addon.name}${included ? ` (included in ${plan.name})` : ''}`, quantity: 1, unit_cents: unit, amount_cents: unit, recurring: true });
  }
  return lines;
}

/**
 * The term discount, then the negotiated discount on what is left (multiplicatively), each one
 * line over the document's discountable lines (platform fee, bands, add-ons; never setup,
 * overage or proration).
 */
export function discountLines(lines: readonly PriceLine[], termBps: number, negotiatedBps: number): PriceLine[] {
  const base = sum(lines.filter((l) => l.kind === 'platform_fee' || l.kind === 'band' || l.kind === 'addon'));
  const out: PriceLine[] = [];
  const term = termBps > 0 ? -applyBps(base, termBps) : 0;
  if (termBps > 0) out.push({ kind: 'term_discount', code: null, description: `Term discount ${formatBps(termBps)}`, quantity: 1, unit_cents: term, amount_cents: term, recurring: true });
  if (negotiatedBps > 0) {
    const negotiated = -applyBps(base + term, negotiatedBps);
    out.push({ kind: 'negotiated_discount', code: null, description: `Negotiated discount ${formatBps(negotiatedBps)}`, quantity: 1, unit_cents: negotiated, amount_cents: negotiated, recurring: true });
  }
  return out;
}

export function setupLines(plan: PlanPrice, waive: boolean, setupCents?: number): PriceLine[] {
  const setup = setupFee(plan, setupCents);
  if (setup === 0) return [];
  const lines: PriceLine[] = [{ kind: 'setup', code: plan.code, description: `${plan.name} setup (once)`, quantity: 1, unit_cents: setup, amount_cents: setup, recurring: false }];
  if (waive) lines.push({ kind: 'setup_waiver', code: plan.code, description: 'Setup waived', quantity: 1, unit_cents: -setup, amount_cents: -setup, recurring: false });
  return lines;
}

/**
 * A quote's or subscription's terms as their row stores them: counts that PostgreSQL may return as
 * text, add-ons as JSON, the setup waiver as 0/1, a custom plan's fee overrides or null.
 */
export type StoredTermColumns = Pick<SubscriptionsTable, 'plan' | 'term_months' | 'subscribers' | 'addons' | 'discount_bps' | 'waive_setup' | 'platform_fee_cents'>;

/** The terms a quote offers and a subscription holds, besides the custom plan's fee overrides. */
export interface TermsCore {
  plan: string;
  term_months: number;
  subscribers: number;
  addons: string[];
  discount_bps: number;
  waive_setup: boolean;
}

export interface StoredTerms extends TermsCore {
  platform_fee_cents: number | null;
  setup_cents: number | null;
}

/** Stored terms decoded; `setupCents` is the row's setup override (quotes and subscriptions name its column differently). */
export function storedTerms(row: StoredTermColumns, setupCents: number | null): StoredTerms {
  return {
    plan: row.plan,
    term_months: Number(row.term_months),
    subscribers: Number(row.subscribers),
    addons: JSON.parse(row.addons) as string[],
    discount_bps: Number(row.discount_bps),
    waive_setup: Number(row.waive_setup) === 1,
    platform_fee_cents: row.platform_fee_cents === null ? null : Number(row.platform_fee_cents),
    setup_cents: setupCents === null ? null : Number(setupCents),
  };
}

/** What priceSubscription takes for stored terms: an override that is not set is left out. */
export function storedPriceInput(terms: StoredTerms): PriceInput {
  return { ...terms, platform_fee_cents: terms.platform_fee_cents ?? undefined, setup_cents: terms.setup_cents ?? undefined };
}

/** A quote, and the first invoice of the subscription it becomes. */
export function priceSubscription(book: PriceBook, input: PriceInput): Pricing {
  const plan = findPlan(book, input.plan);
  const termBps = termDiscountBps(book, input.term_months);
  const discount = input.discount_bps ?? 0;
  checkDiscount(discount);
  checkSubscribers(input.subscribers);
  const addons = [...(input.addons ?? [])];

  const recurring = [...inAdvanceLines(book, plan, addons, input.platform_fee_cents), ...bandLines(plan, input.subscribers)];
  const lines = [...recurring, ...discountLines(recurring, termBps, discount), ...setupLines(plan, input.waive_setup ?? false, input.setup_cents)];
  const monthly = sum(lines.filter((l) => l.recurring));
  const setup = sum(lines.filter((l) => !l.recurring));
  const { flags, warnings } = capCheck(plan, input.subscribers);
  return {
    price_book_version: book.version,
    currency: book.currency,
    plan: plan.code,
    term_months: input.term_months,
    subscribers: input.subscribers,
    addons,
    term_discount_bps: termBps,
    discount_bps: discount,
    lines,
    monthly_cents: monthly,
    setup_cents: setup,
    first_invoice_cents: monthly + setup,
    flags,
    warnings,
  };
}

/** Above the hard cap billing continues at the last band, flagged, never silently. */
export function capCheck(plan: PlanPrice, subscribers: number): { flags: PricingFlag[]; warnings: string[] } {
  if (plan.hard_cap === null || subscribers <= plan.hard_cap) return { flags: [], warnings: [] };
  return {
    flags: ['upgrade_required'],
    warnings: [
      `${grouped(subscribers)} subscribers is over the ${plan.code} plan's hard cap of ${grouped(plan.hard_cap)}: priced at the last band and flagged upgrade_required`,
    ],
  };
}

export interface MeteredUsage {
  users: number;
  devices: number;
  storage_gb: number;
  api_calls: number;
}

/** Overage for a month's usage above the plan's allowances (API calls per 1,000 or part of it). */
export function overageLines(plan: PlanPrice, usage: MeteredUsage): PriceLine[] {
  if (!plan.allowances || !plan.overage) return [];
  const { allowances, overage } = plan;
  const metered: Array<[string, string, number, number]> = [
    ['users', 'users', Math.max(0, usage.users - allowances.users), overage.user_cents],
    ['devices', 'devices', Math.max(0, usage.devices - allowances.devices), overage.device_cents],
    ['storage_gb', 'GB of storage', Math.max(0, usage.storage_gb - allowances.storage_gb), overage.storage_gb_cents],
    ['api_calls_1k', 'thousand API calls', Math.ceil(Math.max(0, usage.api_calls - allowances.api_calls) / 1_000), overage.api_calls_1k_cents],
  ];
  return metered
    .filter(([, , quantity]) => quantity > 0)
    .map(([code, noun, quantity, unit]) => ({
      kind: 'overage' as const,
      code,
      description: `Overage: ${grouped(quantity)} ${noun} over the allowance`,
      quantity,
      unit_cents: unit,
      amount_cents: quantity * unit,
      recurring: false,
    }));
}

/**
 * An upgrade mid-period: credit the old in-advance monthly charges and charge the new ones for
 * the days left, the change day included.
 */
export function prorationLines(oldMonthlyCents: number, newMonthlyCents: number, changeDate: string): PriceLine[] {
  const days = daysInMonth(changeDate.slice(0, 7));
  const remaining = days - Number(changeDate.slice(8, 10)) + 1;
  const credit = -divideRounded(oldMonthlyCents * remaining, days);
  const charge = divideRounded(newMonthlyCents * remaining, days);
  return [
    { kind: 'proration_credit', code: null, description: `Credit for ${remaining} of ${days} days at the old price`, quantity: remaining, unit_cents: 0, amount_cents: credit, recurring: false },
    { kind: 'proration_charge', code: null, description: `Charge for ${remaining} of ${days} days at the new price`, quantity: remaining, unit_cents: 0, amount_cents: charge, recurring: false },
  ];
}

/** The monthly in-advance charges (fee and add-ons after both discounts) that proration weighs. */
export function inAdvanceMonthlyCents(book: PriceBook, input: Omit<PriceInput, 'subscribers' | 'waive_setup' | 'setup_cents'>): number {
  const plan = findPlan(book, input.plan);
  const lines = inAdvanceLines(book, plan, input.addons ?? [], input.platform_fee_cents);
  return sum([...lines, ...discountLines(lines, termDiscountBps(book, input.term_months), input.discount_bps ?? 0)]);
}

/** Days in a calendar month given as YYYY-MM (UTC). */
export function daysInMonth(period: string): number {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const sum = (lines: readonly PriceLine[]) => lines.reduce((total, line) => total + line.amount_cents, 0);

function platformFee(plan: PlanPrice, quoted?: number): number {
  if (!plan.quoted) {
    if (quoted !== undefined) throw invalid(`the ${plan.code} plan's platform fee is set by the price book; a quoted fee is for the custom plan only`);
    return plan.platform_fee_cents!;
  }
  if (quoted === undefined) throw invalid(`the custom plan needs a quoted platform fee (at least ${plan.floor_cents} cents a month)`);
  checkWholeCents(quoted, 'platform fee');
  if (quoted < (plan.floor_cents ?? 0)) throw invalid(`the custom plan's platform fee is at least ${plan.floor_cents} cents a month, not ${quoted}`);
  return quoted;
}

function setupFee(plan: PlanPrice, quoted?: number): number {
  if (!plan.quoted) {
    if (quoted !== undefined) throw invalid(`the ${plan.code} plan's setup fee is set by the price book; a quoted setup fee is for the custom plan only`);
    return plan.setup_cents;
  }
  if (quoted === undefined) return plan.setup_cents;
  checkWholeCents(quoted, 'setup fee');
  if (quoted < plan.setup_cents) throw invalid(`the custom plan's setup fee is at least ${plan.setup_cents} cents, not ${quoted}`);
  return quoted;
}

function checkDiscount(bps: number): void {
  if (!Number.isSafeInteger(bps) || bps < 0) throw invalid(`discount must be a whole number of basis points from 0 to ${MAX_DISCOUNT_BPS}, not ${bps}`);
  if (bps > MAX_DISCOUNT_BPS) throw invalid(`a discount of ${bps} bps is over the ${MAX_DISCOUNT_BPS} bps that is never exceeded`);
}

function checkSubscribers(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SUBSCRIBERS) {
    throw invalid(`subscribers must be a whole number from 1 to ${grouped(MAX_SUBSCRIBERS)}, not ${count}`);
  }
}

function checkWholeCents(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(`the ${name} must be a whole, non-negative number of cents, not ${value}`);
}


const formatBps = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)} %`;
