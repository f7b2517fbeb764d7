import { execute, type Interfaces } from '@oclif/core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hoistGlobalFlags } from './argv.js';

export { notFoundHook } from './not-found.js';

/**
 * The CLI's entry (bin/run.js, with the ids of the commands bundled beside it). Bundled with the
 * commands, so oclif and they share one copy of @oclif/core.
 *
 * oclif loads its plugins (help, autocomplete: ESM packages read from node_modules) on every start,
 * before it looks at the command. A command of this CLI, run without asking for help, needs
 * neither, so for it oclif is configured without them (and without user plugins, which dotmac
 * does not install): about 4% of a local `tenants list`.
 */
export async function main(binUrl: string, commandIds: readonly string[]): Promise<void> {
  const args = hoistGlobalFlags(process.argv.slice(2));
  await execute({ args, loadOptions: runsOwnCommand(args, commandIds) ? withoutPlugins(binUrl) : binUrl });
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** Whether the words before the first flag name one of this CLI's commands, and no flag asks for help. */
export function runsOwnCommand(args: readonly string[], commandIds: readonly string[]): boolean {
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

function withoutPlugins(binUrl: string): Interfaces.LoadOptions {
  const root = join(dirname(fileURLToPath(binUrl)), '..');
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Interfaces.PJSON;
  return { root, pjson: { ...pjson, oclif: { ...pjson.oclif, plugins: [] } }, userPlugins: false };
}
