import { closeSync, constants, fsyncSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { CliError, EXIT } from './errors.js';

/**
 * Creates `path` for the CLI to write: 0600, and only if nothing is there (O_EXCL), never through
 * a symlink, even a dangling one (O_NOFOLLOW). An existing path is exit 6, said in one line.
 */
export function createNewFile(path: string, hint: string): number {
  try {
    return openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') throw new CliError(`${path} already exists`, hint, EXIT.conflict, 'conflict');
    if (code === 'ENOENT') throw new CliError(`the directory of ${path} does not exist`, 'create it first, or choose another --out', EXIT.usage, 'usage');
    throw error;
  }
}

/** Writes `bytes` to a new file (see createNewFile) and syncs it; a failed write removes only the file it made. */
export function writeNewFile(path: string, bytes: Uint8Array, hint: string): void {
  const fd = createNewFile(path, hint);
  const { dev, ino } = statSync(path);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    fsyncSync(fd);
  } catch (error) {
    const now = statSync(path, { throwIfNoEntry: false });
    if (now && now.dev === dev && now.ino === ino) unlinkSync(path);
    throw error;
  } finally {
    closeSync(fd);
  }
}
