import { execute, type Interfaces } from '@oclif/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hoistGlobalFlags } from './argv.js';
import { startupMark } from '../core/startup-trace.js';

export { notFoundHook } from './not-found.js';

/**
 * The CLI's entry (bin/run.js, with the package's directory and the ids of the commands bundled
 * beside it). Bundled with the commands, so oclif and they share one copy of @oclif/core.
 *
 * oclif loads its plugins (help, autocomplete: ESM packages read from node_modules) on every start,
 * before it looks at the command. A command of this CLI run without asking for help, or
 * `--version`, needs neither, so for them oclif is configured without plugins (and without user
 * plugins, which dotmac does not install): about 4% of a local `tenants list`. Nor does it need
 * the manifest's help text: oclif finds the command in the build's index of ids instead (about 4%).
 */
export async function main(root: string, commandIds: readonly string[]): Promise<void> {
  startupMark('cli bundle loaded');
  const args = hoistGlobalFlags(process.argv.slice(2));
  await execute({ args, loadOptions: runsOwnCommand(args, commandIds) ? withoutPlugins(root, commandIds) : root });
  startupMark('command finished');
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** Whether the words before the first flag name one of this CLI's commands, and no flag asks for help. */
export function runsOwnCommand(args: readonly string[], commandIds: readonly string[]): boolean {
  if (args.length === 1 && args[0] === '--version') return true;
  const end = args.indexOf('--');
  const flags = end === -1 ? args : args.slice(0, end);
  if (flags.some((arg) => HELP_FLAGS.has(arg))) return false;
  const words: string[] = [];
  for (const arg of flags) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  for (let n = Math.min(words.length, 3); n > 0; n--) {
    if (commandIds.includes(words.slice(0, n).join(':'))) return true;
  }
  return false;
}

const COMMAND_INDEX = 'dist/commands.json';

function withoutPlugins(root: string, commandIds: readonly string[]): Interfaces.LoadOptions {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Interfaces.PJSON;
  // commandIndex: oclif takes dist/commands.json (the ids, written by the build) instead of the
  // manifest, whose flags, examples and descriptions only help shows (a build-time edit to oclif)
  const manifest = commandIndex(root, pjson.version, commandIds);
  const index = manifest ? { commandIndex: { path: COMMAND_INDEX, manifest } } : {};
  return { root, pjson: { ...pjson, oclif: { ...pjson.oclif, plugins: [], ...index } }, userPlugins: false };
}

type CommandIndex = { version?: unknown; commands?: Record<string, { id?: unknown } | null> } | null;

/**
 * The build's index, if it names exactly the commands bundled, for this version. One that does not
 * (damaged, or left from another build) is passed over for the manifest: oclif would otherwise take
 * a bundled command missing from it for a topic or an unknown word, and warn about a broken one.
 */
function commandIndex(root: string, version: string, commandIds: readonly string[]): CommandIndex | undefined {
  try {
    const index = JSON.parse(readFileSync(join(root, COMMAND_INDEX), 'utf8')) as CommandIndex;
    const listed = Object.entries(index?.commands ?? {});
    const bundled = new Set(commandIds);
    const fits = index?.version === version && listed.length === bundled.size && listed.every(([id, command]) => bundled.has(id) && command?.id === id);
    return fits ? index : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the build's index names exactly the commands bundled, for this version. */
export function commandIndexFits(root: string, version: string, commandIds: readonly string[]): boolean {
  return commandIndex(root, version, commandIds) !== undefined;
}
