import { execute } from '@oclif/core';

/** The CLI's entry (bin/run.js). Bundled with the commands, so oclif and they share one copy of @oclif/core. */
export async function main(dir: string): Promise<void> {
  await execute({ dir });
}
