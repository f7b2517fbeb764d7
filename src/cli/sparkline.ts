const BARS = '▁▂▃▄▅▆▇█';

/**
 * Values as a line of block characters, lowest ▁ to highest █ (a flat series is all ▄); a gap
 * (null: no answer) is a space. The newest `width` values are kept.
 */
export function sparkline(values: readonly (number | null)[], width = 40): string {
  const kept = values.slice(-width);
  const present = kept.filter((v): v is number => v !== null);
  if (present.length === 0) return ' '.repeat(kept.length);
  const low = Math.min(...present);
  const high = Math.max(...present);
  return kept
    .map((v) => {
      if (v === null) return ' ';
      if (high === low) return BARS[3];
      return BARS[Math.min(BARS.length - 1, Math.floor(((v - low) / (high - low)) * BARS.length))];
    })
    .join('');
}
