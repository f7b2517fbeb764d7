import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from '../../../db/database.js';

/**
 * What a tenant backup holds is discovered from the database's own catalog, not listed: every
 * table with a `tenant_id` column, plus the tenant's own row, less the exclusions below. A table a
 * later migration adds is backed up and restored without a change here; leaving one out takes an
 * entry in EXCLUDED, with its reason (docs/api.md "Backups" repeats them).
 */
export const EXCLUDED: Readonly<Record<string, string>> = {
  audit_events: 'append-only and hash-chained: a restore never deletes or rewrites history (the restore itself is audited)',
  users: 'identities, not tenant data: a restore must not bring back a removed user',
  tokens: 'credentials: a restore must not bring back a revoked or expired token',
  backups: 'the snapshots themselves: restoring must not delete the backup being restored, or newer ones',
  backup_schedules: 'how backups are taken, not tenant data: restoring an old snapshot must not change retention',
  jobs: 'the work queue: restoring must neither re-run finished work nor lose running work',
  job_steps: 'the work queue\'s progress records, with jobs',
  health_checks: 'what probes observed: a restore must not erase what was seen since the backup',
  metric_points: 'what the instance\'s agent reported: monitoring history, not tenant data (and a week of it per metric)',
  metric_rollups: 'hourly roll-ups of metric_points, with them',
  commission_rules: 'the partner programme\'s terms (an account override names the customer but is the platform\'s decision), not tenant data',
  commission_events: 'the reseller\'s money, not the customer\'s data: a restore must not undo earned, paid or clawed-back commissions',
  subscriptions: 'the platform\'s billing ledger, not the instance\'s data: a restore must not undo a plan change, a cancellation or a renewal',
  subscription_changes: 'the billing ledger\'s record of MRR changes, with subscriptions: a restore must not undo an upgrade, a downgrade or a churn that commissions and KPIs were computed on',
  invoices: 'money owed and paid: a restore must never delete, reopen or un-refund an invoice',
  invoice_lines: 'the lines of invoices, with them',
  usage_readings: 'what was metered for billing: a restore must not lower a month\'s peak that an invoice was or will be billed on',
  tickets: 'the support record between the customer and platform staff, not the instance\'s data: a restore must not delete a ticket opened since, nor rewind its SLA breaches, escalations or CSAT',
  ticket_comments: 'the comments of tickets, with them',
  ticket_events: 'the history of tickets, with them',
};

/**
 * The fields of the tenant's own row a restore leaves as they are: its identity, and the
 * platform's decisions (lifecycle, plan, region, owning reseller), which only master_admin changes
 * through their own verbs; a tenant admin restoring must not undo a downgrade or a suspension.
 * `updated_at` and `version` move forward when the row changes, as on any other write.
 */
export const TENANT_FIELDS_KEPT = ['id', 'slug', 'status', 'plan', 'region', 'reseller_id', 'created_at', 'updated_at', 'version'] as const;

export interface TableShape {
  name: string;
  /** every column, in the table's own order */
  columns: string[];
  /** the primary key's columns, in key order; empty when the table has none */
  primaryKey: string[];
  /** on PostgreSQL, the primary key constraint's name (a unique violation names it) */
  primaryKeyName?: string;
  /** the other tables it references through foreign keys */
  references: string[];
  foreignKeys: ForeignKey[];
}

export interface ForeignKey {
  /** the referencing columns, in key order */
  columns: string[];
  table: string;
  /** the referenced columns, in the same order */
  referencedColumns: string[];
  /** whether the referenced table's rows belong to tenants (see ownerColumn), so a tenant's row may reference only its own */
  tenantOwned: boolean;
}

/** The column naming the tenant a row belongs to: the tenant's own row's id, or tenant_id. */
export const ownerColumn = (table: string) => (table === 'tenants' ? 'id' : 'tenant_id');

const isTenantOwned = (t: Pick<TableShape, 'name' | 'columns'>) => t.name === 'tenants' || t.columns.includes('tenant_id');

/** The tenants table, then every tenant-owned table a backup covers, parents before children. */
export async function backupTables(db: Kysely<Database>, dialect: Dialect): Promise<TableShape[]> {
  const shapes = dialect === 'postgres' ? await postgresShapes(db) : await sqliteShapes(db);
  const covered = shapes.filter((t) => t.columns.includes('tenant_id') && !(t.name in EXCLUDED) && t.name !== 'tenants');
  // The tenant's own row is the root of all it owns, whether or not a table declares the reference.
  return [shapes.find((t) => t.name === 'tenants')!, ...parentsFirst(covered)];
}

/** Every tenant-owned table, covered or excluded: for the test that keeps EXCLUDED honest. */
export async function tenantOwnedTables(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const shapes = dialect === 'postgres' ? await postgresShapes(db) : await sqliteShapes(db);
  return shapes.filter((t) => t.columns.includes('tenant_id')).map((t) => t.name).sort();
}

/** Kahn's order over the references among the covered tables; a cycle (none today) falls back to names. */
export function parentsFirst<T extends Pick<TableShape, 'name' | 'references'>>(tables: T[]): T[] {
  const names = new Set(tables.map((t) => t.name));
  const pending = new Map(tables.map((t) => [t.name, new Set(t.references.filter((r) => r !== t.name && names.has(r)))]));
  const ordered: T[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, refs]) => refs.size === 0).map(([name]) => name).sort();
    const next = ready.length > 0 ? ready : [[...pending.keys()].sort()[0]!];
    for (const name of next) {
      pending.delete(name);
      for (const refs of pending.values()) refs.delete(name);
      ordered.push(tables.find((t) => t.name === name)!);
    }
  }
  return ordered;
}

async function sqliteShapes(db: Kysely<Database>): Promise<TableShape[]> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
  const shapes: TableShape[] = [];
  for (const { name } of tables.rows) {
    const columns = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${name}) order by cid`.execute(db);
    const references = await sql<{ id: number; table: string; from: string; to: string | null }>`
      select id, "table", "from", "to" from pragma_foreign_key_list(${name}) order by id, seq`.execute(db);
    const foreignKeys = new Map<number, ForeignKey>();
    for (const r of references.rows) {
      const key = foreignKeys.get(r.id) ?? { table: r.table, columns: [], referencedColumns: [], tenantOwned: false };
      key.columns.push(r.from);
      if (r.to !== null) key.referencedColumns.push(r.to);
      foreignKeys.set(r.id, key);
    }
    shapes.push({
      name,
      columns: columns.rows.map((c) => c.name),
      primaryKey: columns.rows.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => c.name),
      references: [...new Set(references.rows.map((r) => r.table))],
      foreignKeys: [...foreignKeys.values()],
    });
  }
  return withParents(shapes);
}

/** pg_catalog, not information_schema: the latter hides columns from a role without privileges on them. */
async function postgresShapes(db: Kysely<Database>): Promise<TableShape[]> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select c.relname as table_name, a.attname as column_name
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`.execute(db);
  const keys = await sql<{ table_name: string; key_name: string; column_name: string }>`
    select c.relname as table_name, ic.relname as key_name, a.attname as column_name
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_class ic on ic.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
    where i.indisprimary and n.nspname = current_schema()
    order by c.relname, array_position(i.indkey::int2[], a.attnum)`.execute(db);
  const references = await sql<{ table_name: string; key_name: string; referenced: string; column_name: string; referenced_column: string }>`
    select c.relname as table_name, k.conname as key_name, r.relname as referenced, a.attname as column_name, ra.attname as referenced_column
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class r on r.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral unnest(k.conkey, k.confkey) with ordinality as u(attnum, referenced_attnum, position)
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
    join pg_attribute ra on ra.attrelid = k.confrelid and ra.attnum = u.referenced_attnum
    where k.contype = 'f' and n.nspname = current_schema()
    order by c.relname, k.conname, u.position`.execute(db);
  const shapes = new Map<string, TableShape>();
  for (const row of columns.rows) {
    const shape = shapes.get(row.table_name) ?? { name: row.table_name, columns: [], primaryKey: [], references: [], foreignKeys: [] };
    shape.columns.push(row.column_name);
    shapes.set(row.table_name, shape);
  }
  for (const row of keys.rows) {
    const shape = shapes.get(row.table_name);
    if (!shape) continue;
    shape.primaryKey.push(row.column_name);
    shape.primaryKeyName = row.key_name;
  }
  const foreignKeys = new Map<string, ForeignKey>();
  for (const row of references.rows) {
    const shape = shapes.get(row.table_name);
    if (!shape) continue;
    let key = foreignKeys.get(`${row.table_name}.${row.key_name}`);
    if (!key) {
      key = { table: row.referenced, columns: [], referencedColumns: [], tenantOwned: false };
      foreignKeys.set(`${row.table_name}.${row.key_name}`, key);
      shape.foreignKeys.push(key);
      if (!shape.references.includes(row.referenced)) shape.references.push(row.referenced);
    }
    key.columns.push(row.column_name);
    key.referencedColumns.push(row.referenced_column);
  }
  return withParents([...shapes.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
}

/**
 * Completes the foreign keys once every table is read: whether each references tenant-owned rows,
 * and (SQLite) the columns of a key that names none, which are the parent's primary key.
 */
function withParents(shapes: TableShape[]): TableShape[] {
  for (const key of shapes.flatMap((t) => t.foreignKeys)) {
    const parent = shapes.find((t) => t.name === key.table);
    key.tenantOwned = !!parent && isTenantOwned(parent);
    if (key.referencedColumns.length === 0) key.referencedColumns = parent?.primaryKey ?? [];
  }
  return shapes;
}
