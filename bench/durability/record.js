import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './workspace.js';

/** Replaces what sits between `<!-- durability:NAME -->` and `<!-- /durability:NAME -->` in docs/benchmarks.md. */
export function recordResults(name, markdown) {
  const path = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(path, 'utf8');
  const open = `<!-- durability:${name} -->`;
  const close = `<!-- /durability:${name} -->`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${open} … ${close} section to record into`);
  writeFileSync(path, `${doc.slice(0, start + open.length)}\n${markdown}\n${doc.slice(end)}`);
  console.error(`recorded in docs/benchmarks.md (${name})`);
}
