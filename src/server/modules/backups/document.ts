import { createHash } from 'node:crypto';
import type { Dialect } from '../../../db/database.js';

/**
 * The backup document: versioned, canonical JSON (keys sorted at every depth, rows sorted by
 * primary key), gzip-compressed. The same rows always make the same bytes, so the SHA-256 of the
 * compressed bytes identifies the snapshot. Pure: no I/O.
 */

export const BACKUP_FORMAT = 'dotmac-tenant-backup';
export const FORMAT_VERSION = 1;
/** a decompressed document larger than this is refused rather than read into memory */
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/** A column's value as JSON: binary as { "$base64": ... }, everything else as the driver gave it. */
export type CellValue = string | number | boolean | null | { $base64: string } | CellValue[] | { [key: string]: CellValue };
export type Row = Record<string, CellValue>;

export interface TableSnapshot {
  columns: string[];
  primary_key: string[];
  rows: Row[];
}

export interface BackupDocument {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  tenant_id: string;
  dialect: Dialect;
  schema_migration: string;
  created_at: string;
  /** parents before children, the order a restore inserts in */
  table_order: string[];
  tables: Record<string, TableSnapshot>;
}

/** JSON with every object's keys sorted: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
  });
}

/** The identity of a row: its primary key's values, or the whole row for a table without one. */
export function rowKey(row: Row, primaryKey: string[]): string {
  return primaryKey.length === 0 ? canonicalJson(row) : canonicalJson(primaryKey.map((c) => row[c] ?? null));
}

/** Rows by primary key: numbers numerically, text by code unit, so both dialects sort alike. */
export function sortRows(rows: Row[], primaryKey: string[]): Row[] {
  const compare = (a: CellValue, b: CellValue): number => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const x = typeof a === 'string' ? a : canonicalJson(a);
    const y = typeof b === 'string' ? b : canonicalJson(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const columns = primaryKey.length > 0 ? primaryKey : null;
  return [...rows].sort((a, b) => {
    if (!columns) return compare(canonicalJson(a), canonicalJson(b));
    for (const c of columns) {
      const order = compare(a[c] ?? null, b[c] ?? null);
      if (order !== 0) return order;
    }
    return 0;
  });
}

export function encodeDocument(doc: BackupDocument): { content: Buffer; checksum: string } {
  const { gzipSync } = zlib();
  const content = gzipSync(Buffer.from(canonicalJson(doc), 'utf8'), { level: 9 });
  return { content, checksum: sha256(content) };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Why stored bytes are not a usable backup of the tenant, or the document they hold. */
export type Decoded = { ok: true; doc: BackupDocument } | { ok: false; problem: string };

/**
 * Checks the bytes against their recorded checksum, decompresses and parses them, and checks
 * the document's format, version and tenant. Every way a backup can be damaged or foreign ends
 * here, before anything reads its rows.
 */
export function decodeDocument(content: Uint8Array, checksum: string, tenantId: string): Decoded {
  if (sha256(content) !== checksum) return { ok: false, problem: 'its checksum does not match its content (the backup is corrupted)' };
  let text: string;
  try {
    text = zlib().gunzipSync(content, { maxOutputLength: MAX_DOCUMENT_BYTES }).toString('utf8');
  } catch {
    return { ok: false, problem: 'its content is not a complete gzip stream (truncated or not a backup)' };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'its content is not a JSON document' };
  }
  const d = doc as Partial<BackupDocument> | null;
  if (!d || typeof d !== 'object' || d.format !== BACKUP_FORMAT) return { ok: false, problem: 'its content is not a dotmac tenant backup' };
  if (d.format_version !== FORMAT_VERSION) return { ok: false, problem: `it has format version ${String(d.format_version)}; this release reads version ${FORMAT_VERSION}` };
  if (d.tenant_id !== tenantId) return { ok: false, problem: 'it is a backup of another tenant' };
  if (!isShaped(d)) return { ok: false, problem: 'its document is malformed (tables, columns or rows missing)' };
  const own = d.tables.tenants?.rows;
  if (own?.length !== 1 || own[0]!.id !== tenantId) return { ok: false, problem: 'its document does not hold the tenant\'s own row' };
  return { ok: true, doc: d };
}

function isShaped(d: Partial<BackupDocument>): d is BackupDocument {
  if (typeof d.schema_migration !== 'string' || typeof d.created_at !== 'string' || (d.dialect !== 'sqlite' && d.dialect !== 'postgres')) return false;
  if (!Array.isArray(d.table_order) || !d.tables || typeof d.tables !== 'object') return false;
  if (d.table_order.length !== Object.keys(d.tables).length || !d.table_order.every((t) => typeof t === 'string' && Object.hasOwn(d.tables!, t))) return false;
  return Object.values(d.tables).every(
    (t) =>
      !!t &&
      Array.isArray(t.columns) &&
      t.columns.every((c) => typeof c === 'string') &&
      Array.isArray(t.primary_key) &&
      Array.isArray(t.rows) &&
      t.rows.every((r) => !!r && typeof r === 'object' && !Array.isArray(r)),
  );
}

/** zlib loads when a backup is made or read, not with the API every local command starts. */
function zlib() {
  return process.getBuiltinModule('node:zlib');
}
