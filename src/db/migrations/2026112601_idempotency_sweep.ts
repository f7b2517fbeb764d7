import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Expired idempotency keys are swept for every caller by created_at; and answers that held a
// secret are no longer stored, so the ones stored before (minted tokens) are scrubbed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('idempotency_keys_created_at').on('idempotency_keys').column('created_at').execute();

  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // SQLite otherwise leaves the old bytes in the file's free space.
  if (sqlite) await sql`pragma secure_delete = on`.execute(db);
  await db
    .updateTable('idempotency_keys')
    .set({ response: null })
    .where('path', '=', '/v1/tokens')
    .where('status', '>=', 200)
    .where('status', '<', 300)
    .execute();
  if (sqlite) await sql`pragma secure_delete = off`.execute(db);
}
