import type { Hook } from '@oclif/core';
import { closestCommand } from './argv.js';
import { EXIT } from './errors.js';
import { terminalSafe } from './output.js';

/**
 * oclif's `command_not_found` hook: one `Error:` and one `Hint:` line and exit 127, or on a terminal
 * the offer to run the likely command, with every argument the person typed.
 */
export const notFoundHook: Hook<'command_not_found'> = async function (opts) {
  const typed = opts.id.split(':');
  const ids = opts.config.commands.filter((command) => !command.hidden).map((command) => command.id);
  let suggestion = closestCommand(opts.id, opts.argv ?? [], ids);
  // a command that takes no arguments, given some: oclif reads them as more words of its name (but
  // `health prob` is a slip for `health probe`, which is suggested instead)
  for (let n = typed.length - 1; n > 0; n--) {
    const id = typed.slice(0, n).join(':');
    if (!ids.includes(id)) continue;
    const longer = closestCommand(opts.id, opts.argv ?? [], ids.filter((other) => other.startsWith(`${id}:`)));
    if (!longer) return unexpectedArguments(opts.config, id, typed.slice(n));
    suggestion = longer;
    break;
  }
  const shown = (id: string, argv: readonly string[] = []) => [opts.config.bin, ...id.split(':'), ...argv].join(' ');
  // the words that named the (mistyped) command; oclif counted the arguments after them in
  const named = suggestion ? typed.slice(0, typed.length - (suggestion.argv.length - (opts.argv?.length ?? 0))).join(' ') : typed.join(' ');
  if (suggestion && process.stdin.isTTY && process.stderr.isTTY) {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`"${named}" is not a ${opts.config.bin} command. Run \`${shown(suggestion.id, suggestion.argv)}\` instead? [Y/n] `);
      if (/^(y|yes)?$/i.test(answer.trim())) return opts.config.runCommand(suggestion.id, suggestion.argv);
    } catch {
      // Ctrl-C at the question: fall through to the error
    } finally {
      rl.close();
    }
  }
  const hint = suggestion ? `did you mean \`${shown(suggestion.id, suggestion.argv)}\`? (\`${opts.config.bin} help\` lists every command)` : `\`${opts.config.bin} help\` lists every command`;
  process.stderr.write(`Error: "${named}" is not a ${opts.config.bin} command\nHint: ${hint}\n`);
  process.exitCode = EXIT.notACommand;
};

/**
 * `dotmac health acme`: exit 2, saying which words the command does not take; for one word given to
 * a command with --tenant (the usual slip), the line with --tenant.
 */
async function unexpectedArguments(config: Parameters<Hook<'command_not_found'>>[0]['config'], id: string, extra: string[]): Promise<void> {
  const command = id.split(':').join(' ');
  const flags = (await config.findCommand(id)?.load())?.flags ?? {};
  const words = extra.map((word) => `"${terminalSafe(word)}"`).join(' ');
  const hint =
    extra.length === 1 && 'tenant' in flags
      ? `did you mean \`${config.bin} ${command} --tenant ${terminalSafe(extra[0]!)}\`? (\`${config.bin} ${command} --help\` shows what it takes)`
      : `\`${config.bin} ${command} --help\` shows what it takes`;
  process.stderr.write(`Error: ${config.bin} ${command} takes no arguments, and was given ${words}\nHint: ${hint}\n`);
  process.exitCode = EXIT.usage;
}
