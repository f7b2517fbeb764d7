// Money is integer cents and rates are basis points (10,000 = 100 %), end to end. Every amount
// that is not a whole number of cents is rounded here, half-up on its magnitude (so a credit of
// -12.5 cents is -13, the mirror of the charge it reverses), once per line.

/** round(numerator / denominator), half-up on the magnitude; both integers, denominator > 0. */
export function divideRounded(numerator: number, denominator: number): number {
  assertCents(numerator, 'numerator');
  if (!Number.isSafeInteger(denominator) || denominator <= 0) throw new RangeError(`denominator must be a positive integer, got ${denominator}`);
  const magnitude = Math.abs(numerator);
  const rounded = Math.floor((2 * magnitude + denominator) / (2 * denominator));
  return numerator < 0 ? -rounded : rounded;
}

/** cents × bps / 10,000, rounded half-up. */
export function applyBps(cents: number, bps: number): number {
  return divideRounded(cents * bps, 10_000);
}

export function assertCents(value: number, name = 'amount'): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number of cents, got ${value}`);
}

/** $1,234.56 (tables and documents; JSON carries the integer). */
export function formatCents(cents: number, currency = 'USD'): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  const dollars = grouped(Math.floor(magnitude / 100));
  const rest = String(magnitude % 100).padStart(2, '0');
  return currency === 'USD' ? `${sign}$${dollars}.${rest}` : `${sign}${dollars}.${rest} ${currency}`;
}

/** 12,345: a whole number's digits grouped as en-US does, without Intl (the billing run describes thousands of lines). */
export const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
