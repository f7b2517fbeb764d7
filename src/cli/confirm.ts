import { CliError, EXIT } from './errors.js';

export interface Confirmation {
  /** what will happen, e.g. 'delete tenant "fibernet"' */
  action: string;
  /** the word a person (or --confirm) must give, usually the slug */
  expect: string;
  yes?: boolean;
  confirmFlag?: string;
  canPrompt: boolean;
}

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
    const answer = await rl.question(`This will ${c.action}. Type "${c.expect}" to confirm: `).catch((error: Error) => {
      if (error.name !== 'AbortError') throw error;
      process.stderr.write('\n');
      throw new CliError('cancelled; nothing was changed', undefined, EXIT.error, 'cancelled');
    });
    if (answer.trim() !== c.expect) throw new CliError('not confirmed; nothing was changed', undefined, EXIT.error, 'cancelled');
  } finally {
    rl.close();
  }
}
