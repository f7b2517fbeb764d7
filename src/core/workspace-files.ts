import { access } from 'node:fs/promises';
import { join } from 'node:path';

// A workspace directory's layout, known to the CLI (to find it) and the server (to create and open it).
const DATABASE_FILE = 'dotmac.db';
const SIGNING_KEY_FILE = 'signing-key.pem';
const AUDIT_KEY_FILE = 'audit-key';

export const databasePath = (dir: string): string => join(dir, DATABASE_FILE);
export const signingKeyPath = (dir: string): string => join(dir, SIGNING_KEY_FILE);
/** The audit chain's HMAC secret always sits beside the signing key, whoever names that key's path. */
export const auditKeyPath = (dir: string): string => join(dir, AUDIT_KEY_FILE);

export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
