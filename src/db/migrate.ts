import { Migrator, PostgresAdapter, sql, type MigrationResult } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

export interface MigrationReport {
  applied: string[];
  current: string | null;
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
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
