// Quarters and payout cut-offs, as the commission rules count them; days and periods themselves
// (addDays, lastDay, periodOf, isDay) are src/core/calendar.ts's.

/** The last day of the month before the day's: '2026-03-15' → '2026-02-28'. */
export function endOfPreviousMonth(day: string): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10);
}

/** '2026-Q1' → its three periods. */
export function periodsOfQuarter(quarter: string): string[] {
  const year = quarter.slice(0, 4);
  const first = (Number(quarter.slice(6)) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${year}-${String(first + i).padStart(2, '0')}`);
}

/** The quarter a period is in: '2026-05' → '2026-Q2'. */
export function quarterOf(period: string): string {
  return `${period.slice(0, 4)}-Q${Math.floor((Number(period.slice(5, 7)) - 1) / 3) + 1}`;
}

