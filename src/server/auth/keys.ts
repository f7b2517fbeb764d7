import { generateKeyPairSync, createPrivateKey, createPublicKey, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, link, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  jwks: { keys: JWK[] };
}

/** The secret that keys the audit chain's HMAC: 32 random bytes in a file beside the signing key. */
export type AuditKey = KeyObject;

const AUDIT_KEY_BYTES = 32;

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Writes a new Ed25519 key readable by its owner only. Never overwrites an existing key. */
export async function createSigningKeyFile(path: string): Promise<void> {
  await writeFile(path, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

export async function readSigningKeys(path: string): Promise<SigningKeys> {
  const pem = await readFile(path, 'utf8');
  try {
    return await signingKeysFromPem(pem);
  } catch {
    throw new Error(`the signing key ${path} is not an Ed25519 private key in PEM form`);
  }
}

export async function signingKeysFromPem(pem: string): Promise<SigningKeys> {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the signing key must be an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicKey, kid, jwks: { keys: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' }] } };
}

export function generateAuditKey(): AuditKey {
  return createSecretKey(randomBytes(AUDIT_KEY_BYTES));
}

/**
 * Writes an audit key readable by its owner only, and never over an existing one (EEXIST). It is
 * written and synced under a temporary name created with O_EXCL, then linked into place: the link
 * fails if the name exists, and a process opening the workspace meanwhile never reads half a key.
 */
export async function createAuditKeyFile(path: string, key: AuditKey = generateAuditKey()): Promise<AuditKey> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.chmod(0o600);
    await file.writeFile(key.export());
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(temporary, path);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return key;
}

/** The workspace's audit key, or undefined when it has none yet (a workspace from before keyed chains). */
export async function readAuditKey(path: string): Promise<AuditKey | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (bytes.length !== AUDIT_KEY_BYTES) throw new Error(`the audit key ${path} is not a ${AUDIT_KEY_BYTES}-byte key`);
  return createSecretKey(bytes);
}
