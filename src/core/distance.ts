/** Levenshtein edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate nearest to `word`, when it is near enough to be what was meant. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    const cost = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (cost <= Math.max(2, Math.floor(candidate.length / 4)) && (!best || cost < best.cost)) best = { candidate, cost };
  }
  return best?.candidate;
}
