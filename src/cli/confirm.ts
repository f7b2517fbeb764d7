import { CliError, EXIT } from './errors.js';

export interface Confirmation {
  /** what will happen, e.g. 'delete tenant "fibernet"' */
  action: string;
  /** the word a person (or --confirm) must give, usually the slug */
  expect: string;
  /** who is about to do it, e.g. 'master_admin admin@dotmac.local, profile "local", local workspace /ws/dotmac.db' */
  actor?: string;
  /** a line said before asking, e.g. that the token being revoked is this profile's own */
  warning?: string;
  yes?: boolean;
  confirmFlag?: string;
  canPrompt: boolean;
}

/** Declining, like a usage error, changes nothing and exits 2 (as `gh` does for a cancelled prompt). */
const declined = (message: string) => new CliError(message, undefined, EXIT.usage, 'cancelled');

/** Destructive verbs ask on a terminal and need --yes or --confirm <slug> without one. */
export async function confirmOrRefuse(c: Confirmation): Promise<void> {
  if (c.yes) return;
  if (c.confirmFlag !== undefined) {
    if (c.confirmFlag === c.expect) return;
    throw new CliError(`--confirm "${c.confirmFlag}" does not match "${c.expect}"`, `pass --confirm ${c.expect} to ${c.action}`, EXIT.usage, 'usage');
  }
  if (!c.canPrompt) {
    throw new CliError(`refusing to ${c.action} without confirmation`, `no terminal to ask on: pass --yes or --confirm ${c.expect}`, EXIT.usage, 'usage');
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (c.warning) process.stderr.write(`${c.warning}\n`);
    process.stderr.write(`This will ${c.action}${c.actor ? ` as ${c.actor}` : ''}.\n`);
    const answer = await rl.question(`Type "${c.expect}" to confirm: `).catch((error: Error) => {
      if (error.name !== 'AbortError') throw error;
      process.stderr.write('\n');
      throw declined('cancelled; nothing was changed');
    });
    if (answer.trim() !== c.expect) throw declined('not confirmed; nothing was changed');
  } finally {
    rl.close();
  }
}
