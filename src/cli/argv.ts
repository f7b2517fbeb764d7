import { editDistance } from '../core/distance.js';

/** Flags every command takes, which people also type before the topic (`dotmac --profile acme tenants list`). */
const GLOBAL_WITH_VALUE = new Set(['--profile']);
const GLOBAL_SWITCHES = new Set(['--json']);

/**
 * oclif reads the command id from the first words, so global flags typed before it would be taken
 * for the command. They move to just after it, or before a `--` that ends the flags.
 */
export function hoistGlobalFlags(argv: readonly string[]): string[] {
  const hoisted: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    const name = arg.split('=')[0]!;
    if (GLOBAL_SWITCHES.has(arg)) {
      hoisted.push(arg);
      i += 1;
    } else if (GLOBAL_WITH_VALUE.has(name) && arg.includes('=')) {
      hoisted.push(arg);
      i += 1;
    } else if (GLOBAL_WITH_VALUE.has(arg) && i + 1 < argv.length) {
      hoisted.push(arg, argv[i + 1]!);
      i += 2;
    } else {
      break;
    }
  }
  if (hoisted.length === 0) return [...argv];
  const rest = argv.slice(i);
  const end = rest.indexOf('--');
  return end === -1 ? [...rest, ...hoisted] : [...rest.slice(0, end), ...hoisted, ...rest.slice(end)];
}

export interface Suggestion {
  /** the command id, `tenants:list` */
  id: string;
  /** what the person typed after the words that named the command */
  argv: string[];
}

/**
 * The command a mistyped id most likely meant. oclif hands over the typed words joined by ':'
 * (arguments included: `tenant:list:fibernet`); each command is compared with as many leading
 * words as it has, and the words left over stay arguments.
 */
export function closestCommand(typedId: string, argv: readonly string[], commandIds: readonly string[]): Suggestion | undefined {
  const words = typedId.split(':');
  let best: { id: string; cost: number; words: number } | undefined;
  for (const id of commandIds) {
    const size = id.split(':').length;
    if (size > words.length) continue;
    const typed = words.slice(0, size).join(':');
    const cost = editDistance(typed, id);
    if (cost > Math.max(2, Math.floor(id.length / 4))) continue;
    if (!best || cost < best.cost || (cost === best.cost && size > best.words)) best = { id, cost, words: size };
  }
  return best && { id: best.id, argv: [...words.slice(best.words), ...argv] };
}
