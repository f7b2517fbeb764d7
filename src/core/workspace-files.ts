import { access } from 'node:fs/promises';
import { join } from 'node:path';

// A workspace directory's layout, known to the CLI (to find it) and the server (to create and open it).
const DATABASE_FILE = 'dotmac.db';
const SIGNING_KEY_FILE = 'signing-key.pem';

export const databasePath = (dir: string): string => join(dir, DATABASE_FILE);
export const signingKeyPath = (dir: string): string => join(dir, SIGNING_KEY_FILE);

export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
