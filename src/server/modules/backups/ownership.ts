import { ownerColumn, type ForeignKey, type TableShape } from './catalog.js';
import { canonicalJson, type BackupDocument, type CellValue, type Row } from './document.js';

/**
 * Whether every row of a backup document is the tenant's, so that restoring it touches no other
 * tenant: its owner column names the tenant; each row it references through a foreign key to a
 * tenant-owned table is the tenant's, in the document or (a table the document does not hold,
 * such as jobs) in the database; and no other tenant's row holds its primary key. The database
 * is asked through a KeyLookup (rows.ts keyOwners); the rest reads only the document.
 */

/** The rows of `table` whose `columns` hold one of `keys`: each one's values of those columns, and its owner. */
export type KeyLookup = (table: string, columns: string[], keys: CellValue[][]) => Promise<{ key: unknown[]; owner: unknown }[]>;

/** The first row that is not the tenant's, said as verify reports it and restore refuses on; null when every row is. */
export async function foreignRow(doc: BackupDocument, shapes: Map<string, TableShape>, lookup: KeyLookup): Promise<string | null> {
  return strayRow(doc, shapes) ?? (await takenKey(doc, shapes, lookup)) ?? (await outsideReference(doc, shapes, lookup));
}

/** What the document itself shows: a row owned by another tenant, or referencing a row the document does not hold. */
export function strayRow(doc: BackupDocument, shapes: Map<string, TableShape>): string | null {
  for (const table of doc.table_order) {
    const { columns, rows } = doc.tables[table]!;
    const owner = ownerColumn(table);
    if (!columns.includes(owner)) return `its ${table} rows do not say which tenant they belong to (no ${owner} column)`;
    const row = rows.find((r) => r[owner] !== doc.tenant_id);
    if (!row) continue;
    // the row's name already shows its owner when its key (or, without one, the whole row) holds it
    const key = keyOf(table, shapes);
    const whose = key.includes(owner) ? '' : ` (${owner} ${cellText(row[owner])})`;
    return `its ${rowName(table, row, rows, shapes)} belongs to another tenant${whose}`;
  }
  for (const table of doc.table_order) {
    for (const key of shapes.get(table)!.foreignKeys) {
      const parent = Object.hasOwn(doc.tables, key.table) ? doc.tables[key.table]! : null;
      if (!key.tenantOwned || !parent) continue;
      const held = new Set(parent.rows.map((r) => keyText(key.referencedColumns.map((c) => r[c]))));
      const row = referencing(doc.tables[table]!.rows, key).find((r) => !held.has(keyText(key.columns.map((c) => r[c]))));
      if (row) return notTheTenants(table, row, doc.tables[table]!.rows, key, shapes);
    }
  }
  return null;
}

/** A row whose primary key another tenant's row holds now (a key holding the owner column is the tenant's alone). */
async function takenKey(doc: BackupDocument, shapes: Map<string, TableShape>, lookup: KeyLookup): Promise<string | null> {
  for (const table of doc.table_order) {
    const { primaryKey } = shapes.get(table)!;
    const rows = doc.tables[table]!.rows;
    if (primaryKey.length === 0 || primaryKey.includes(ownerColumn(table)) || rows.length === 0) continue;
    const held = (await lookup(table, primaryKey, distinct(rows.map((r) => primaryKey.map((c) => r[c] ?? null))))).find((r) => r.owner !== doc.tenant_id);
    if (held) return keyHeldElsewhere(table, held.key);
  }
  return null;
}

/** A row referencing a tenant-owned table the document does not hold, where the referenced row is not the tenant's. */
async function outsideReference(doc: BackupDocument, shapes: Map<string, TableShape>, lookup: KeyLookup): Promise<string | null> {
  for (const table of doc.table_order) {
    for (const key of shapes.get(table)!.foreignKeys) {
      if (!key.tenantOwned || Object.hasOwn(doc.tables, key.table)) continue;
      const rows = referencing(doc.tables[table]!.rows, key);
      if (rows.length === 0) continue;
      const found = await lookup(key.table, key.referencedColumns, distinct(rows.map((r) => key.columns.map((c) => r[c]!))));
      const owned = new Set(found.filter((f) => f.owner === doc.tenant_id).map((f) => keyText(f.key)));
      const row = rows.find((r) => !owned.has(keyText(key.columns.map((c) => r[c]))));
      if (row) return notTheTenants(table, row, doc.tables[table]!.rows, key, shapes);
    }
  }
  return null;
}

/** The problem of a row whose primary key (`values`) another tenant's row holds: also what restore says when an insert meets one it cannot see. */
export function keyHeldElsewhere(table: string, values: unknown[]): string {
  return `its ${table} row ${valuesText(values)} already exists in this database and belongs to another tenant`;
}

function notTheTenants(table: string, row: Row, rows: Row[], key: ForeignKey, shapes: Map<string, TableShape>): string {
  return `its ${rowName(table, row, rows, shapes)} references ${key.table} ${valuesText(key.columns.map((c) => row[c]))}, which is not the tenant's`;
}

/** The rows that reference something through `key`: a key with a null column references nothing. */
const referencing = (rows: Row[], key: ForeignKey) => rows.filter((r) => key.columns.every((c) => r[c] !== null && r[c] !== undefined));

const distinct = (keys: CellValue[][]) => [...new Map(keys.map((k) => [keyText(k), k])).values()];

/**
 * A row as a message names it: its primary key's values, or (a table without one) its place in the
 * document. Never its other values: the message is shown and logged, and a row may hold a secret.
 */
function rowName(table: string, row: Row, rows: Row[], shapes: Map<string, TableShape>): string {
  const primaryKey = keyOf(table, shapes);
  if (primaryKey.length > 0) return `${table} row ${valuesText(primaryKey.map((c) => row[c]))}`;
  return `${table} row ${rows.indexOf(row) + 1} of ${rows.length}`;
}

const keyOf = (table: string, shapes: Map<string, TableShape>) => shapes.get(table)?.primaryKey ?? [];

const valuesText = (values: unknown[]) => (values.length === 1 ? cellText(values[0]) : `(${values.map(cellText).join(', ')})`);

/** One value as a key compares it, whichever side it comes from: a document's cell or a driver's column. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && '$base64' in value) return String(value.$base64);
  return typeof value === 'object' ? canonicalJson(value) : String(value);
}

const keyText = (values: unknown[]) => canonicalJson(values.map(cellText));
