import { invalid } from './errors.js';

// Calendar days (YYYY-MM-DD) and billing periods (YYYY-MM), UTC, as text: they compare as strings
// and mean the same on SQLite and PostgreSQL.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})-(\d{2})$/;

export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text && Number(m[1]) >= 2000 && Number(m[1]) <= 2999;
}

export function isPeriod(text: string): boolean {
  const m = PERIOD.exec(text);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 2000 && Number(m[1]) <= 2999;
}

export function checkDay(text: string, name: string): string {
  if (!isDay(text)) throw invalid(`${name} must be a date as YYYY-MM-DD (e.g. 2026-12-01), not "${text}"`);
  return text;
}

export function checkPeriod(text: string, name = 'period'): string {
  if (!isPeriod(text)) throw invalid(`${name} must be a month as YYYY-MM (e.g. 2026-12), not "${text}"`);
  return text;
}

export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
export const periodOf = (day: string): string => day.slice(0, 7);
export const firstDay = (period: string): string => `${period}-01`;

export function lastDay(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const key = `${day} ${days}`;
  let sum = addedDays.get(key);
  if (sum === undefined) {
    const date = new Date(`${day}T00:00:00.000Z`);
    date.setUTCDate(date.getUTCDate() + days);
    sum = date.toISOString().slice(0, 10);
    if (addedDays.size >= 4_096) addedDays.clear();
    addedDays.set(key, sum);
  }
  return sum;
}
/** addDays' answers: a run asks the same few (a period's payment days plus 30) tens of thousands of times */
const addedDays = new Map<string, string>();

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function addPeriods(period: string, months: number): string {
  // sliced, not split: billing and commission runs call this for every invoice
  const index = Number(period.slice(0, 4)) * 12 + (Number(period.slice(5, 7)) - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last day of a term of `months` calendar months whose first month is the one `start` falls in. */
export const termEnd = (start: string, months: number): string => lastDay(addPeriods(periodOf(start), months - 1));
