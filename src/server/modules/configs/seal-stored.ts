import { sql, type Kysely } from 'kysely';
import { AppError } from '../../../core/errors.js';
import type { Database, Db, Dialect } from '../../../db/database.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { AuditKey } from '../../auth/keys.js';
import { decodeDocument, encodeDocument, type Row } from '../backups/document.js';
import { sealedSnapshotColumn, sealedValueColumn, secretsKeyId } from './sealing.js';

/**
 * Makes sure no configuration secret rests in the database unsealed; the usual open costs one
 * query. A database written before secrets were sealed has them sealed once, in one transaction:
 * the current values, every version's snapshot, and every backup's document (re-encoded, with its
 * new checksum: the backup holds the same rows, sealed). A backup whose bytes are already damaged
 * is left as it is; restore refuses it anyway.
 *
 * Then the space the plain values left is rewritten away (scrubFreedSpace). Until that has run to
 * its end, audit_chain.secrets_key_id says `unscrubbed:<key id>`, so an open interrupted there, or
 * one that may not rewrite the tables, leaves it to the next open. What could not be done yet is
 * returned, for the caller to say.
 */
export async function sealStoredSecrets(db: Db, dialect: Dialect, auditKey: AuditKey): Promise<string | undefined> {
  const id = secretsKeyId(auditKey);
  const unscrubbed = `${UNSCRUBBED}${id}`;
  const chain = await db.selectFrom('audit_chain').select('secrets_key_id').where('id', '=', 1).executeTakeFirstOrThrow();
  if (chain.secrets_key_id === id) return undefined;
  if (chain.secrets_key_id !== unscrubbed) {
    const state = await writeTransaction(db, dialect, async (trx) => {
      // read again under the chain head's lock: another server may have sealed them while this one waited
      const head = await trx
        .updateTable('audit_chain')
        .set((eb) => ({ secrets_key_id: eb.ref('secrets_key_id') }))
        .where('id', '=', 1)
        .returning('secrets_key_id')
        .executeTakeFirstOrThrow();
      if (head.secrets_key_id === id || head.secrets_key_id === unscrubbed) return head.secrets_key_id;
      if (head.secrets_key_id !== null) {
        throw new AppError('unavailable', "this database's configuration secrets are sealed with another audit key than this workspace's", {
          hint: 'put back the audit-key file of the workspace that sealed them (servers sharing one database share the same --dir files)',
        });
      }
      await sealTables(trx, auditKey);
      await sealBackups(trx, auditKey);
      // scrubbed even when nothing was left to seal: a secret deleted before (unset, a pruned
      // backup, a restore) may still sit in free space
      await trx.updateTable('audit_chain').set({ secrets_key_id: unscrubbed }).where('id', '=', 1).execute();
      return unscrubbed;
    });
    if (state === id) return undefined;
  }
  const notYet = await scrubFreedSpace(db, dialect);
  if (notYet) return notYet;
  await db.updateTable('audit_chain').set({ secrets_key_id: id }).where('id', '=', 1).where('secrets_key_id', '=', unscrubbed).execute();
  return undefined;
}

const UNSCRUBBED = 'unscrubbed:';

/** Whether sealing or scrubbing is still to be done, whichever key does it. */
export async function secretsUnfinished(db: Db): Promise<boolean> {
  const chain = await db.selectFrom('audit_chain').select('secrets_key_id').where('id', '=', 1).executeTakeFirstOrThrow();
  return chain.secrets_key_id === null || chain.secrets_key_id.startsWith(UNSCRUBBED);
}
const SEALED_TABLES = ['configurations', 'configuration_versions', 'backups'];

/**
 * The values just sealed still sit in the space their rows left: SQLite's free pages and WAL,
 * PostgreSQL's dead row versions. Rewriting the tables drops them: SQLite's VACUUM, then the WAL
 * emptied; PostgreSQL's VACUUM FULL, which only the tables' owner may run. Returns why it could
 * not, if it could not.
 */
async function scrubFreedSpace(db: Db, dialect: Dialect): Promise<string | undefined> {
  const retry = 'it is tried again each time the workspace opens';
  if (dialect === 'sqlite') {
    try {
      await sql`vacuum`.execute(db);
      const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(truncate)`.execute(db);
      if (Number(rows[0]?.busy ?? 0) !== 0) return `configuration secrets were sealed, but the database's write-ahead log is in use and still holds their plain values; ${retry}`;
    } catch (error) {
      return `configuration secrets were sealed, but vacuuming their plain values out of the database file failed (${(error as Error).message}); ${retry}`;
    }
    return undefined;
  }
  const { rows } = await sql<{ owned: number }>`
    select count(*)::int as owned from pg_tables
    where schemaname = current_schema() and tablename in (${sql.join(SEALED_TABLES)}) and pg_has_role(current_user, tableowner, 'MEMBER')`.execute(db);
  const command = `VACUUM FULL ${SEALED_TABLES.join(', ')}`;
  if (Number(rows[0]?.owned ?? 0) < SEALED_TABLES.length) {
    return `configuration secrets were sealed, but their plain values remain in PostgreSQL's dead row versions until \`${command}\` runs as the tables' owner: run \`dotmac db migrate --dir <this workspace> --database-url <the owner's URL>\`, which does it and records that it is done`;
  }
  await sql.raw(command.toLowerCase()).execute(db);
  return undefined;
}

async function sealTables(trx: Kysely<Database>, auditKey: AuditKey): Promise<void> {
  const rows = await trx.selectFrom('configurations').select(['tenant_id', 'key', 'value', 'secret']).where('secret', '=', 1).execute();
  for (const row of rows) {
    const value = sealedValueColumn(auditKey, row);
    if (value === row.value) continue;
    await trx.updateTable('configurations').set({ value }).where('tenant_id', '=', row.tenant_id).where('key', '=', row.key).execute();
  }
  // canonical JSON writes a secret entry as "secret":true; other snapshots hold none to seal
  const versions = await trx.selectFrom('configuration_versions').select(['tenant_id', 'version', 'snapshot']).where('snapshot', 'like', '%"secret":true%').execute();
  for (const row of versions) {
    const snapshot = sealedSnapshotColumn(auditKey, row.tenant_id, row.snapshot);
    if (snapshot !== row.snapshot) {
      await trx.updateTable('configuration_versions').set({ snapshot }).where('tenant_id', '=', row.tenant_id).where('version', '=', row.version).execute();
    }
  }
}

/** One backup at a time: documents can be large, and most hold no secret. */
async function sealBackups(trx: Kysely<Database>, auditKey: AuditKey): Promise<void> {
  const backups = await trx.selectFrom('backups').select(['id', 'tenant_id', 'checksum']).orderBy('id').execute();
  for (const backup of backups) {
    const { content } = await trx.selectFrom('backups').select('content').where('id', '=', backup.id).executeTakeFirstOrThrow();
    const decoded = decodeDocument(content, backup.checksum, backup.tenant_id);
    if (!decoded.ok) continue;
    const { doc } = decoded;
    let changed = false;
    const reseal = (table: string, seal: (row: Row) => Row) => {
      const snapshot = doc.tables[table];
      if (!snapshot) return;
      snapshot.rows = snapshot.rows.map((row) => {
        const sealed = seal(row);
        changed ||= sealed !== row;
        return sealed;
      });
    };
    reseal('configurations', (row) => {
      const value = sealedValueColumn(auditKey, row as { tenant_id: string; key: string; value: string; secret: number });
      return value === row.value ? row : { ...row, value };
    });
    reseal('configuration_versions', (row) => {
      const snapshot = sealedSnapshotColumn(auditKey, String(row.tenant_id), String(row.snapshot));
      return snapshot === row.snapshot ? row : { ...row, snapshot };
    });
    if (!changed) continue;
    const encoded = encodeDocument(doc);
    await trx.updateTable('backups').set({ content: encoded.content, checksum: encoded.checksum, size: encoded.content.length }).where('id', '=', backup.id).execute();
  }
}
