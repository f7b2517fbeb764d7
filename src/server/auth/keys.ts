import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  jwks: { keys: JWK[] };
}

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
