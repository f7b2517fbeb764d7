import type { Kysely } from 'kysely';
import { AppError } from '../../../core/errors.js';
import type { Database, Db, Dialect } from '../../../db/database.js';
import { writeTransaction } from '../../../db/transaction.js';
import { createAuditKeyFile, generateAuditKey, readAuditKey, type AuditKey } from '../../auth/keys.js';
import { auditKeyId, CHAIN_START, checkLinks, hashEvent, unkeyedHashEvent, type ChainCheck, type ChainPosition } from './chain.js';

/**
 * Loads the workspace's audit key from `path` and makes sure the chain is sealed with it; the
 * usual open costs one file read and one query. A workspace from before keyed chains (no key
 * file, chain not keyed) gets a new key, and its chain is re-sealed with it only if it verifies
 * under the old scheme: re-sealing a broken chain would launder it.
 */
export async function openAuditKey(db: Db, dialect: Dialect, path: string): Promise<AuditKey> {
  const key = await readAuditKey(path);
  const chain = await db.selectFrom('audit_chain').select('key_id').where('id', '=', 1).executeTakeFirstOrThrow();
  if (key && chain.key_id === auditKeyId(key)) return key;
  return writeTransaction(db, dialect, async (trx) => {
    const head = await lockChainHead(trx);
    // Read again under the lock: another process may have keyed the chain while this one waited.
    const current = await readAuditKey(path);
    if (current) {
      if (head.key_id === auditKeyId(current)) return current;
      if (head.key_id !== null) throw refuse(`the audit key ${path} is not the key this database's audit chain is sealed with`, KEY_HINT);
      // A key file beside an unkeyed chain of events is either an interrupted upgrade or a
      // chain whose key_id was cleared to have it re-sealed; refuse rather than guess.
      if (head.seq > 0) throw refuse(`the audit chain is not sealed with the audit key ${path}`, INTERRUPTED_HINT(path));
      await trx.updateTable('audit_chain').set({ key_id: auditKeyId(current) }).where('id', '=', 1).execute();
      return current;
    }
    if (head.key_id !== null) throw refuse(`the audit chain is sealed with a key, but there is no audit key at ${path}`, KEY_HINT);
    // configuration secrets are sealed with a key derived from it (configs/sealing.ts): a new key would lose them
    if (head.secrets_key_id !== null) throw refuse(`this database's configuration secrets are sealed with an audit key, but there is no audit key at ${path}`, KEY_HINT);
    const fresh = generateAuditKey();
    await resealUnkeyedChain(trx, fresh, head);
    await createAuditKeyFile(path, fresh); // before the commit: a sealed chain never outlives its key
    return fresh;
  });
}

const KEY_HINT =
  'put back the audit-key file that sits beside the signing key of the workspace that sealed this database (servers sharing one database share the same --dir files)';
const INTERRUPTED_HINT = (path: string) =>
  `if upgrading this workspace was interrupted, move ${path} aside and open the workspace again; otherwise restore the database from a backup`;

function refuse(message: string, hint: string): AppError {
  return new AppError('unavailable', message, { hint });
}

/** Bumping nothing takes the head's row lock (PostgreSQL) or the write lock (SQLite), as recordAudit does. */
function lockChainHead(trx: Kysely<Database>) {
  return trx
    .updateTable('audit_chain')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('id', '=', 1)
    .returning(['seq', 'head_hash', 'key_id', 'secrets_key_id'])
    .executeTakeFirstOrThrow();
}

/** Checks the whole chain under plain SHA-256 (seq without gaps, links, head), then seals every event with the key. */
async function resealUnkeyedChain(trx: Kysely<Database>, key: AuditKey, head: { seq: number; head_hash: string }): Promise<void> {
  const state: ChainCheck = { ok: true, checked: 0, broken_at: null, problem: null };
  let checked: ChainPosition = CHAIN_START;
  let sealed: ChainPosition = CHAIN_START;
  for (;;) {
    const rows = await trx.selectFrom('audit_events').selectAll().where('seq', '>', checked.seq).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) break;
    const events = rows.map((row) => ({ ...row, seq: Number(row.seq) }));
    checked = checkLinks(events, checked, state, unkeyedHashEvent);
    if (!state.ok) throw brokenUnkeyedChain(state.broken_at!, state.problem!);
    for (const event of events) {
      const hash = hashEvent(key, { ...event, prev_hash: sealed.hash });
      await trx.updateTable('audit_events').set({ prev_hash: sealed.hash, hash }).where('seq', '=', event.seq).execute();
      sealed = { seq: event.seq, hash };
    }
  }
  if (checked.seq !== Number(head.seq) || checked.hash !== head.head_hash) {
    throw brokenUnkeyedChain(checked.seq + 1, `the chain head (seq ${head.seq}) does not match the last event (seq ${checked.seq})`);
  }
  await trx.updateTable('audit_chain').set({ head_hash: sealed.hash, key_id: auditKeyId(key) }).where('id', '=', 1).execute();
}

function brokenUnkeyedChain(seq: number, problem: string): AppError {
  return refuse(
    `the audit chain is broken at event ${seq} (${problem}), so it was not sealed with a new audit key`,
    'restore the database from a backup taken before the damage and investigate; the workspace opens once its chain verifies',
  );
}
