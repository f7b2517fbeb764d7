import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen once shipped: never edit it; add a new migration instead.
// Configuration secrets rest sealed under a key derived from the workspace's audit key
// (src/server/modules/configs/sealing.ts). A migration cannot seal them, having no key: the
// workspace does, once, when it next opens (seal-stored.ts), and records here which key it used.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_chain').addColumn('secrets_key_id', 'text').execute();
  // a server connecting as a member of dotmac_app seals the backups' documents too (their rows stay under row-level security)
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql`grant update (content, checksum, size) on backups to dotmac_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql`revoke update (content, checksum, size) on backups from dotmac_app`.execute(db);
  await db.schema.alterTable('audit_chain').dropColumn('secrets_key_id').execute();
}
