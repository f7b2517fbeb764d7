// What a subscription's invoice for a period holds (COMMERCE.md "Subscriptions and invoices"), as
// pure functions of the price book, the subscription's terms and the metered usage. No I/O.
import { grouped } from '../../../core/money.js';
import type { PriceBook } from '../pricebook/book.js';
import {
  bandLines,
  capCheck,
  discountLines,
  findPlan,
  inAdvanceLines,
  overageLines,
  termDiscountBps,
  type MeteredUsage,
  type PriceLine,
  type PricingFlag,
} from '../pricebook/pricing.js';

export interface BillingTerms {
  plan: string;
  term_months: number;
  /** the subscribed count; on commitment terms, the billed floor */
  subscribers: number;
  addons: readonly string[];
  discount_bps: number;
  platform_fee_cents: number | null;
}

/** A month's metered figures; subscribers is the month's peak, null when none was recorded. */
export interface MonthUsage extends MeteredUsage {
  subscribers: number | null;
}

export interface PeriodInvoice {
  lines: PriceLine[];
  total_cents: number;
  /** platform fee, bands and add-ons after discounts: what commissions are paid on */
  recurring_cents: number;
  flags: PricingFlag[];
}

export interface PeriodParts {
  /** the terms in force for the period billed in advance (after any downgrade took effect); null: nothing in advance (cancelled) */
  inAdvance: BillingTerms | null;
  /** the terms in force at the end of the previous month, whose usage is billed in arrears; null: nothing in arrears (it was not billed) */
  arrears: BillingTerms | null;
  /** the previous month's usage */
  usage: MonthUsage;
  /**
   * When the previous month was billed by the first invoice, the subscriber count its bands
   * already charged: the arrears bands charge only the peak above it.
   */
  prepaidSubscribers: number | null;
}

/**
 * The counted subscribers of a month in arrears: its peak, or the subscribed count when none was
 * recorded; never below the commitment on terms of 12 months or more.
 */
export function billedSubscribers(book: PriceBook, terms: BillingTerms, peak: number | null): number {
  const counted = peak ?? terms.subscribers;
  return terms.term_months >= book.commitment_min_term_months ? Math.max(counted, terms.subscribers) : counted;
}

/** Each band's lines for `count`, less what the same bands charged for `prepaid` (graduated, so never negative). */
export function bandLinesAbove(book: PriceBook, plan: string, count: number, prepaid: number): PriceLine[] {
  const price = findPlan(book, plan);
  if (count <= prepaid) return [];
  const already = new Map(bandLines(price, prepaid).map((line) => [line.code?.split('-')[0], line.quantity]));
  return bandLines(price, count).flatMap((line) => {
    const quantity = line.quantity - (already.get(line.code?.split('-')[0]) ?? 0);
    if (quantity <= 0) return [];
    return [{ ...line, description: `${line.description}, above the ${grouped(prepaid)} billed in advance`, quantity, amount_cents: quantity * line.unit_cents }];
  });
}

/**
 * A later invoice for period P: P's platform fee and add-ons in advance, then P−1's bands on its
 * peak and P−1's overage in arrears, the term and negotiated discounts over the fee, bands and
 * add-ons. Discounts follow the in-advance terms when there are any (they do not change within
 * a subscription).
 */
export function periodInvoice(book: PriceBook, parts: PeriodParts): PeriodInvoice {
  const discountable: PriceLine[] = [];
  const metered: PriceLine[] = [];
  const flags = new Set<PricingFlag>();
  if (parts.inAdvance) {
    const plan = findPlan(book, parts.inAdvance.plan);
    discountable.push(...inAdvanceLines(book, plan, parts.inAdvance.addons, parts.inAdvance.platform_fee_cents ?? undefined));
  }
  if (parts.arrears) {
    const plan = findPlan(book, parts.arrears.plan);
    const count = billedSubscribers(book, parts.arrears, parts.usage.subscribers);
    discountable.push(...bandLinesAbove(book, plan.code, count, parts.prepaidSubscribers ?? 0));
    metered.push(...overageLines(plan, parts.usage));
    for (const flag of capCheck(plan, count).flags) flags.add(flag);
  }
  const terms = parts.inAdvance ?? parts.arrears;
  const discounts = terms ? discountLines(discountable, termDiscountBps(book, terms.term_months), terms.discount_bps) : [];
  const lines = [...discountable, ...discounts, ...metered];
  return {
    lines,
    total_cents: lines.reduce((sum, line) => sum + line.amount_cents, 0),
    recurring_cents: lines.filter((line) => line.recurring).reduce((sum, line) => sum + line.amount_cents, 0),
    flags: [...flags],
  };
}
