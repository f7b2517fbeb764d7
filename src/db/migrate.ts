import { Migrator, PostgresAdapter, SqliteAdapter, sql, type MigrationResult } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

export interface MigrationReport {
  applied: string[];
  current: string | null;
}

/**
 * What a SQLite database's user_version says once every migration of this release ran: minus
 * their count. Negative, because a release from before sealed secrets took any user_version at or
 * above its own count as current and opened the database without its migrator; to it this mark is
 * behind, so it runs its migrator, which refuses migrations it does not know.
 */
export function sqliteMigrationMark(): number {
  return -Object.keys(migrations).length;
}

/**
 * Runs every migration not yet run. On SQLite, kysely runs them without a transaction or a lock:
 * here they run in one BEGIN IMMEDIATE transaction with the mark, so processes opening a database
 * at once take turns (the later ones find nothing to do) and one killed midway leaves nothing half
 * done. PostgreSQL's migrator takes its own lock and transaction.
 */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return migrate(db);
  await sql`begin immediate`.execute(db);
  try {
    const report = await migrate(db);
    await sql.raw(`pragma user_version = ${sqliteMigrationMark()}`).execute(db);
    await sql`commit`.execute(db);
    return report;
  } catch (error) {
    await sql`rollback`.execute(db).catch(() => undefined);
    throw error;
  }
}

async function migrate(db: Db): Promise<MigrationReport> {
  const migrationTableSchema = await ownSchema(db);
  // Migrations are written on branches and merged: a workspace made between two merges may have
  // run a later-named migration before an earlier-named one lands. Each migration touches only
  // its own tables, so the missing ones run in name order on the next start instead of the
  // workspace being refused.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
  const all = await migrator.getMigrations();
  const done = all.filter((m) => m.executedAt);
  return { applied, current: done.at(-1)?.name ?? null };
}

/**
 * On PostgreSQL, the schema the connection works in (its search_path). Without it kysely looks
 * for its bookkeeping tables in every schema, takes another schema's for this one's and fails.
 */
async function ownSchema(db: Db): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}
