import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, Dialect } from '../../../db/database.js';
import type { Principal } from '../../auth/principal.js';
import { scopeTo, type ScopeColumns } from '../../auth/scope.js';
import { ownerColumn, type TableShape } from './catalog.js';
import type { CellValue, Row } from './document.js';
import type { TablePlan } from './plan.js';

/**
 * Reading and writing one tenant's rows of a table known only by name. On PostgreSQL rows travel
 * as jsonb (to_jsonb out, jsonb_populate_record in), so every column type round-trips exactly as
 * the database itself spells it; on SQLite as the driver gives them, binary as base64. Every
 * statement is held to the caller's scope through scopeTo, like any query on tenant-owned rows.
 */

// Kysely's types know only the tables of Database; these tables are discovered at run time.
type AnyDb = Kysely<any>;

function scopeOf(table: string): ScopeColumns {
  return table === 'tenants' ? { tenant: 'tenants.id', reseller: 'tenants.reseller_id' } : { tenant: `${table}.${ownerColumn(table)}` };
}

function ownedBy(principal: Principal, table: string, tenantId: string) {
  const columns = scopeOf(table);
  return (eb: Parameters<ReturnType<typeof scopeTo>>[0]): Expression<SqlBool> => eb.and([eb(eb.ref(columns.tenant), '=', tenantId), scopeTo(principal, columns)(eb)]);
}

export async function readTenantRows(db: Kysely<Database>, dialect: Dialect, principal: Principal, table: string, tenantId: string): Promise<Row[]> {
  const query = (db as AnyDb).selectFrom(table).where(ownedBy(principal, table, tenantId));
  if (dialect === 'postgres') {
    const rows = await query.select(sql<Row>`to_jsonb(${sql.table(table)})`.as('row')).execute();
    return rows.map((r: { row: Row }) => r.row);
  }
  const rows = (await query.selectAll().execute()) as Record<string, unknown>[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toCell(v)])));
}

function toCell(value: unknown): CellValue {
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  if (typeof value === 'bigint') return Number(value);
  return value as CellValue;
}

function fromCell(value: CellValue | undefined): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.$base64 === 'string' && Object.keys(value).length === 1) {
    return Buffer.from(value.$base64, 'base64');
  }
  return value ?? null;
}

/** Carries out a table's plan: its deletes (called children first), or its updates and inserts (parents first). */
export async function deletePlanned(trx: Kysely<Database>, principal: Principal, plan: TablePlan, tenantId: string): Promise<void> {
  if (plan.deletes.length === 0) return;
  const base = (trx as AnyDb).deleteFrom(plan.table).where(ownedBy(principal, plan.table, tenantId));
  // Without a primary key the table is replaced whole.
  if (plan.primaryKey.length === 0) return void (await base.execute());
  for (const row of plan.deletes) await base.where(keyMatch(plan, row)).execute();
}

/** `insertFailed` gives what to throw instead when inserting `row` fails with `error` (or the error itself). */
export async function writePlanned(
  trx: Kysely<Database>,
  dialect: Dialect,
  principal: Principal,
  plan: TablePlan,
  tenantId: string,
  insertFailed: (error: unknown, row: Row) => unknown = (error) => error,
  columns = plan.columns,
): Promise<void> {
  for (const row of plan.updates) {
    const set = columns.filter((c) => !plan.primaryKey.includes(c));
    if (set.length === 0) continue;
    if (dialect === 'postgres') {
      const x = sql.table(plan.table);
      await sql`update ${x} set ${sql.join(set.map((c) => sql`${sql.ref(c)} = r.${sql.ref(c)}`))}
        from jsonb_populate_record(null::${x}, ${jsonOf(row)}::jsonb) as r
        where ${sql.join(plan.primaryKey.map((c) => sql`${x}.${sql.ref(c)} = r.${sql.ref(c)}`), sql` and `)}
        and ${x}.${sql.ref(ownerColumn(plan.table))} = ${tenantId}`.execute(trx);
    } else {
      await (trx as AnyDb)
        .updateTable(plan.table)
        .set(Object.fromEntries(set.map((c) => [c, fromCell(row[c])])))
        .where(ownedBy(principal, plan.table, tenantId))
        .where(keyMatch(plan, row))
        .execute();
    }
  }
  for (const row of plan.inserts) {
    try {
      if (dialect === 'postgres') {
        const x = sql.table(plan.table);
        await sql`insert into ${x} (${sql.join(columns.map((c) => sql.ref(c)))})
          select ${sql.join(columns.map((c) => sql`r.${sql.ref(c)}`))} from jsonb_populate_record(null::${x}, ${jsonOf(row)}::jsonb) as r`.execute(trx);
      } else {
        await (trx as AnyDb).insertInto(plan.table).values(Object.fromEntries(columns.map((c) => [c, fromCell(row[c])]))).execute();
      }
    } catch (error) {
      throw insertFailed(error, row);
    }
  }
}

/** Whether `error` is a unique violation of the table's primary key (not of another unique constraint). */
export function primaryKeyViolated(error: unknown, shape: TableShape): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (code === '23505' && constraint !== undefined && constraint === shape.primaryKeyName);
}

/** how many keys one lookup asks for: well under either dialect's limit on bound values */
const KEYS_PER_LOOKUP = 200;

/**
 * The rows of `table` whose `columns` hold one of `keys`, with the tenant each belongs to: what a
 * restore refuses on when another tenant holds a key or a referenced row. The one read here not
 * held to the caller's scope, so it reads keys and owners only; on PostgreSQL row-level security
 * still hides other tenants' rows from a tenant admin (the insert's primaryKeyViolated catches a
 * key one of them holds).
 */
export async function keyOwners(db: Kysely<Database>, table: string, columns: string[], keys: CellValue[][]): Promise<{ key: unknown[]; owner: unknown }[]> {
  const found: { key: unknown[]; owner: unknown }[] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_LOOKUP) {
    const some = keys.slice(start, start + KEYS_PER_LOOKUP);
    const rows = (await (db as AnyDb)
      .selectFrom(table)
      .select([...columns.map((c, i) => sql.ref(c).as(`k${i}`)), sql.ref(ownerColumn(table)).as('owner')])
      .where((eb) => eb.or(some.map((key) => eb.and(columns.map((c, i) => eb(eb.ref(c), '=', fromCell(key[i])))))))
      .execute()) as Record<string, unknown>[];
    found.push(...rows.map((row) => ({ key: columns.map((_, i) => row[`k${i}`]), owner: row.owner })));
  }
  return found;
}

function keyMatch(plan: TablePlan, row: Row) {
  return (eb: Parameters<ReturnType<typeof scopeTo>>[0]): Expression<SqlBool> =>
    eb.and(plan.primaryKey.map((c) => eb(eb.ref(`${plan.table}.${c}`), '=', fromCell(row[c]))));
}

const jsonOf = (row: Row) => JSON.stringify(row);

/**
 * On PostgreSQL, the tables among `tables` the API's role lacks one of `privileges` on (a
 * migration that did not grant what a restore needs), so a restore refuses before it starts.
 */
export async function lackingPrivileges(db: Kysely<Database>, dialect: Dialect, tables: string[], privileges: string[]): Promise<string[]> {
  if (dialect !== 'postgres' || tables.length === 0) return [];
  const lacking: string[] = [];
  for (const table of tables) {
    for (const privilege of privileges) {
      const { rows } = await sql<{ ok: boolean }>`select has_table_privilege(current_user, quote_ident(${table}), ${privilege}) as ok`.execute(db);
      if (!rows[0]?.ok) lacking.push(`${table} (${privilege.toLowerCase()})`);
    }
  }
  return lacking;
}
