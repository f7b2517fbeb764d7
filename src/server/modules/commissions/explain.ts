// `commissions explain`: the steps from an event's base to its amount, in words and cents.
import type { Commission } from './service.js';

const cents = (n: unknown) => `${Number(n)} cents`;

export function explainLines(event: Commission): string[] {
  const b = event.basis;
  const lines: string[] = [];
  const from = event.invoice_id ? ` of invoice ${event.invoice_id}` : '';
  switch (event.type) {
    case 'recurring':
      lines.push(`base: ${cents(event.base_cents)} of recurring revenue${from} (platform fee, bands and add-ons after discounts; no setup, overage or tax)`);
      lines.push(`rate: ${event.rate_bps} bps, chosen by ${b.source}: ${b.description}`);
      lines.push(`commission: round-half-up(${event.base_cents} × ${event.rate_bps} / 10,000) = ${cents(b.commission_cents)}`);
      lines.push(`contract bonus: ${b.contract_bonus_bps} bps of the commission = ${cents(b.contract_bonus_cents)}`);
      break;
    case 'initial':
      lines.push(`base: the month-1 recurring commission${from}, ${cents(event.base_cents)}, before the contract bonus`);
      lines.push(`rate: ${event.rate_bps} bps (50 %); ${b.description}`);
      break;
    case 'bonus':
      lines.push(`base: ${cents(event.base_cents)} of partner-sourced recurring revenue collected in the quarter`);
      lines.push(`attainment: booked ${cents(b.booked_cents)} × 10,000 / quota ${cents(b.quota_cents)} = ${b.attainment_bps} bps, multiplier ${b.multiplier}`);
      lines.push(`rate: ${event.rate_bps} bps, chosen by ${b.source}: ${b.description}`);
      break;
    case 'upsell':
      lines.push(`base: ${cents(event.base_cents)} of expansion MRR${from}: the upgrades (new MRR − old MRR) of its subscription effective in the 12 months before the invoice's period, capped at its recurring revenue`);
      lines.push(`rate: ${event.rate_bps} bps, chosen by ${b.source}: ${b.description}; no contract bonus (the recurring commission stays on the rest of the recurring revenue)`);
      lines.push(`commission: round-half-up(${event.base_cents} × ${event.rate_bps} / 10,000)`);
      break;
    case 'clawback':
      lines.push(`reverses: ${b.clawback_of} (${cents(event.base_cents)})${from}`);
      lines.push(`why: ${b.description}`);
      break;
    default:
      lines.push(`base: ${cents(event.base_cents)} of recurring revenue${from}`);
      lines.push(`rate: ${event.rate_bps} bps, chosen by ${b.source}: ${b.description}`);
  }
  if (b.capped_from_cents !== undefined) lines.push(`cap: trimmed from ${cents(b.capped_from_cents)} to keep the invoice's commissions within 5,000 bps of its total (${cents(b.cap_cents)})`);
  lines.push(`amount: ${cents(event.amount_cents)}, ${event.status}, eligible on ${event.eligible_on}${event.payout_id ? `, paid in ${event.payout_id}` : ''}`);
  return lines;
}
