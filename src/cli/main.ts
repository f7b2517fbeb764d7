import { execute } from '@oclif/core';
import { hoistGlobalFlags } from './argv.js';

export { notFoundHook } from './not-found.js';

/** The CLI's entry (bin/run.js). Bundled with the commands, so oclif and they share one copy of @oclif/core. */
export async function main(dir: string): Promise<void> {
  await execute({ dir, args: hoistGlobalFlags(process.argv.slice(2)) });
}
