import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { AppError } from '../../../core/errors.js';
import type { AuditKey } from '../../auth/keys.js';
import { canonicalJson, type ConfigState } from './plan.js';

/**
 * A configuration secret rests in the database sealed: AES-256-GCM under a key derived (HKDF) from
 * the workspace's audit key, which lives in a file beside the signing key and never in the
 * database. The tenant and the key name are the cipher's associated data, so a sealed value moved
 * to another key or tenant does not open. What the database, its backups and a dump hold is
 *
 *   sealed:v1:<iv, base64url>:<ciphertext and tag, base64url>
 *
 * in `configurations.value` (whose plain values are JSON, so never start with `s`) and, in a
 * version's snapshot, `{ "secret": true, "sealed": "<the same>" }` in place of the value.
 */
const PREFIX = 'sealed:v1:';
const INFO = 'dotmac configuration secrets v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const derived = new WeakMap<AuditKey, KeyObject>();

function secretsKey(auditKey: AuditKey): KeyObject {
  let key = derived.get(auditKey);
  if (!key) {
    key = createSecretKey(Buffer.from(hkdfSync('sha256', auditKey.export(), Buffer.alloc(0), INFO, 32)));
    derived.set(auditKey, key);
  }
  return key;
}

/** Names the key secrets are sealed with (never the key): recorded once the stored secrets are sealed. */
export function secretsKeyId(auditKey: AuditKey): string {
  return createHmac('sha256', secretsKey(auditKey)).update('key id').digest('hex').slice(0, 16);
}

function associatedData(tenantId: string, key: string): Buffer {
  return Buffer.from(`${tenantId}\0${key}`, 'utf8');
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** A secret's value as the database holds it. */
export function sealValue(auditKey: AuditKey, tenantId: string, key: string, value: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretsKey(auditKey), iv);
  cipher.setAAD(associatedData(tenantId, key));
  const sealed = Buffer.concat([cipher.update(canonicalJson(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

/**
 * The value a sealed secret holds; a value that does not open (another workspace's key, altered,
 * moved) is refused. Plain JSON is a secret written by a release before sealing (an older server
 * still running beside this one): read as it is, and sealed when it is next written.
 */
export function openValue(auditKey: AuditKey, tenantId: string, key: string, stored: string): unknown {
  if (!isSealed(stored)) return legacyPlain(tenantId, key, stored);
  const [iv, body] = stored.slice(PREFIX.length).split(':');
  try {
    const bytes = Buffer.from(body ?? '', 'base64url');
    if (!iv || bytes.length < TAG_BYTES) throw new Error('not sealed');
    const decipher = createDecipheriv('aes-256-gcm', secretsKey(auditKey), Buffer.from(iv, 'base64url'));
    decipher.setAAD(associatedData(tenantId, key));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    throw unopenable(tenantId, key);
  }
}

function legacyPlain(tenantId: string, key: string, stored: string): unknown {
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    throw unopenable(tenantId, key);
  }
}

export function unopenable(tenantId: string, key: string): AppError {
  // said whole in the message: an HTTP client gets the detail, not the hint
  return new AppError(
    'unavailable',
    `the secret ${key} of tenant ${tenantId} cannot be opened with this workspace's audit key: it was sealed with another key, or altered (every server sharing a database needs the same audit-key file); set it again to replace it`,
    { hint: 'the audit-key file beside the signing key seals configuration secrets: every server sharing this database needs the same one' },
  );
}

/**
 * A secret that does not open here, kept as it is stored: a change may replace or unset it, or
 * leave it as it was, and only what needs its value (a reveal, keeping it through a mask) is refused.
 */
export const UNOPENED: unique symbol = Symbol('a secret that does not open');

type StoredRow = { tenant_id: string; key: string; value: string; secret: number | string };

/** A `configurations` row's value: JSON text, or a sealed secret opened (refused when it does not open). */
export function storedValue(auditKey: AuditKey, row: StoredRow): unknown {
  return Number(row.secret) === 1 ? openValue(auditKey, row.tenant_id, row.key, row.value) : (JSON.parse(row.value) as unknown);
}

/** A `configurations` row as a configuration holds it: storedValue, or UNOPENED with what is stored. */
export function storedEntry(auditKey: AuditKey, row: StoredRow): ConfigState[string] {
  const secret = Number(row.secret) === 1;
  try {
    return { value: storedValue(auditKey, row), secret };
  } catch (error) {
    if (!secret) throw error;
    return { value: UNOPENED, secret, sealed: row.value };
  }
}

/** A `configurations` row's value column for an entry: secrets sealed (one that did not open, as it was). */
export function valueColumn(auditKey: AuditKey, tenantId: string, key: string, entry: ConfigState[string]): string {
  if (entry.value === UNOPENED) return entry.sealed!;
  return entry.secret ? sealValue(auditKey, tenantId, key, entry.value) : canonicalJson(entry.value);
}

type SnapshotEntry = { value?: unknown; secret: boolean; sealed?: string };

/** A version's snapshot column for a whole configuration: keys sorted, secrets sealed. */
export function snapshotColumn(auditKey: AuditKey, tenantId: string, state: ConfigState): string {
  const entries = Object.keys(state)
    .sort()
    .map((key): [string, SnapshotEntry] => {
      const { value, secret, sealed } = state[key]!;
      if (value === UNOPENED) return [key, { secret, sealed }];
      return [key, secret ? { secret, sealed: sealValue(auditKey, tenantId, key, value) } : { value, secret }];
    });
  return canonicalJson(Object.fromEntries(entries));
}

/** A version's snapshot, secrets opened (or UNOPENED, as storedEntry). */
export function snapshotState(auditKey: AuditKey, tenantId: string, snapshot: string): ConfigState {
  const entries = JSON.parse(snapshot) as Record<string, SnapshotEntry>;
  return Object.fromEntries(
    Object.entries(entries).map(([key, entry]) => {
      if (entry.sealed === undefined) return [key, { value: entry.value, secret: entry.secret }];
      return [key, storedEntry(auditKey, { tenant_id: tenantId, key, value: entry.sealed, secret: 1 })];
    }),
  );
}

/**
 * What a database from before sealing holds, sealed: a secret row's plain JSON value, and a
 * snapshot's secret entries that still carry their value. Anything already sealed is kept as it is.
 * The workspace upgrade (seal-stored.ts) runs these over the tables and every backup's document.
 */
export function sealedValueColumn(auditKey: AuditKey, row: StoredRow): string {
  if (Number(row.secret) !== 1 || isSealed(row.value)) return row.value;
  return sealValue(auditKey, row.tenant_id, row.key, JSON.parse(row.value));
}

export function sealedSnapshotColumn(auditKey: AuditKey, tenantId: string, snapshot: string): string {
  const entries = Object.entries(JSON.parse(snapshot) as Record<string, SnapshotEntry>);
  const plain = ([, entry]: [string, SnapshotEntry]) => entry.secret && entry.sealed === undefined;
  if (!entries.some(plain)) return snapshot;
  const sealed = entries.map(([key, entry]): [string, SnapshotEntry] => [key, plain([key, entry]) ? { secret: true, sealed: sealValue(auditKey, tenantId, key, entry.value) } : entry]);
  return canonicalJson(Object.fromEntries(sealed));
}
