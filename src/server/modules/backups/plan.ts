import { canonicalJson, rowKey, type Row } from './document.js';

/**
 * What a restore does to one table, worked out from its rows now and in the snapshot, before
 * anything is written. Pure: the dry run prints it, the restore carries it out.
 */
export interface TablePlan {
  table: string;
  primaryKey: string[];
  /** the columns the snapshot gives, which a restore writes */
  columns: string[];
  deletes: Row[];
  inserts: Row[];
  updates: Row[];
  unchanged: number;
}

export interface TableCounts {
  table: string;
  deleted: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Rows are matched by primary key: a key only now is deleted, a key only in the snapshot is
 * inserted, a key in both whose columns differ is updated in place (so rows of excluded tables that
 * reference it stay valid). A table without a primary key is replaced whole when it differs.
 * Only the snapshot's columns are compared: a column added since is left as it is.
 */
export function planTable(table: string, primaryKey: string[], columns: string[], current: Row[], snapshot: Row[]): TablePlan {
  const project = (row: Row): Row => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
  const now = current.map(project);
  snapshot = snapshot.map(project);
  const plan: TablePlan = { table, primaryKey, columns, deletes: [], inserts: [], updates: [], unchanged: 0 };
  if (primaryKey.length === 0) {
    const sameRows = canonicalJson(now.map((r) => canonicalJson(r)).sort()) === canonicalJson(snapshot.map((r) => canonicalJson(r)).sort());
    if (sameRows) plan.unchanged = now.length;
    else Object.assign(plan, { deletes: now, inserts: snapshot });
    return plan;
  }
  const wanted = new Map(snapshot.map((row) => [rowKey(row, primaryKey), row]));
  const present = new Set<string>();
  for (const row of now) {
    const key = rowKey(row, primaryKey);
    present.add(key);
    const target = wanted.get(key);
    if (!target) plan.deletes.push(row);
    else if (canonicalJson(target) !== canonicalJson(row)) plan.updates.push(target);
    else plan.unchanged++;
  }
  for (const [key, row] of wanted) if (!present.has(key)) plan.inserts.push(row);
  return plan;
}

export const countsOf = (plan: TablePlan): TableCounts => ({
  table: plan.table,
  deleted: plan.deletes.length,
  inserted: plan.inserts.length,
  updated: plan.updates.length,
  unchanged: plan.unchanged,
});

export const changesAnything = (plan: TablePlan) => plan.deletes.length + plan.inserts.length + plan.updates.length > 0;
