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
 */
export async function sealStoredSecrets(db: Db, dialect: Dialect, auditKey: AuditKey): Promise<void> {
  const id = secretsKeyId(auditKey);
  const chain = await db.selectFrom('audit_chain').select('secrets_key_id').where('id', '=', 1).executeTakeFirstOrThrow();
  if (chain.secrets_key_id === id) return;
  const sealed = await writeTransaction(db, dialect, async (trx) => {
    // read again under the chain head's lock: another server may have sealed them while this one waited
    const head = await trx
      .updateTable('audit_chain')
      .set((eb) => ({ secrets_key_id: eb.ref('secrets_key_id') }))
      .where('id', '=', 1)
      .returning('secrets_key_id')
      .executeTakeFirstOrThrow();
    if (head.secrets_key_id === id) return 0;
    if (head.secrets_key_id !== null) {
      throw new AppError('unavailable', "this database's configuration secrets are sealed with another audit key than this workspace's", {
        hint: 'put back the audit-key file of the workspace that sealed them (servers sharing one database share the same --dir files)',
      });
    }
    const count = (await sealTables(trx, auditKey)) + (await sealBackups(trx, auditKey));
    await trx.updateTable('audit_chain').set({ secrets_key_id: id }).where('id', '=', 1).execute();
    return count;
  });
  if (sealed > 0) await scrubFreedSpace(db, dialect);
}

/**
 * The values just sealed still sit in the space their rows left: SQLite's free pages and WAL,
 * PostgreSQL's dead row versions. Rewriting the tables drops them. On PostgreSQL only the
 * tables' owner may (anyone else gets a warning, and docs/api.md says to run it as the owner).
 */
async function scrubFreedSpace(db: Db, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`vacuum`.execute(db);
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
  } else {
    await sql`vacuum full configurations, configuration_versions, backups`.execute(db);
  }
}

/** How many rows it sealed. */
async function sealTables(trx: Kysely<Database>, auditKey: AuditKey): Promise<number> {
  let count = 0;
  const rows = await trx.selectFrom('configurations').select(['tenant_id', 'key', 'value', 'secret']).where('secret', '=', 1).execute();
  for (const row of rows) {
    const value = sealedValueColumn(auditKey, row);
    if (value === row.value) continue;
    await trx.updateTable('configurations').set({ value }).where('tenant_id', '=', row.tenant_id).where('key', '=', row.key).execute();
    count += 1;
  }
  // canonical JSON writes a secret entry as "secret":true; other snapshots hold none to seal
  const versions = await trx.selectFrom('configuration_versions').select(['tenant_id', 'version', 'snapshot']).where('snapshot', 'like', '%"secret":true%').execute();
  for (const row of versions) {
    const snapshot = sealedSnapshotColumn(auditKey, row.tenant_id, row.snapshot);
    if (snapshot !== row.snapshot) {
      await trx.updateTable('configuration_versions').set({ snapshot }).where('tenant_id', '=', row.tenant_id).where('version', '=', row.version).execute();
      count += 1;
    }
  }
  return count;
}

/** One backup at a time: documents can be large, and most hold no secret. How many it sealed. */
async function sealBackups(trx: Kysely<Database>, auditKey: AuditKey): Promise<number> {
  let count = 0;
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
    count += 1;
  }
  return count;
}
