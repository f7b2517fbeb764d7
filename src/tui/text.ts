import { terminalSafe } from '../cli/output.js';

/** Text from the API as the dashboard draws it: control and bidi characters shown as escapes. */
export function safe(value: unknown): string {
  return terminalSafe(value === null || value === undefined ? '' : String(value));
}

/** Cut to `width` columns (an ellipsis marks a cut) and pad to it. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  return text + ' '.repeat(width - chars.length);
}

export function clock(at: Date | undefined): string {
  if (!at) return '--:--:--';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}
