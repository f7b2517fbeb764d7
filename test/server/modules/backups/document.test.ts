import { describe, expect, it } from 'vitest';
import { parentsFirst, type TableShape } from '../../../../src/server/modules/backups/catalog.js';
import { canonicalJson, decodeDocument, encodeDocument, sortRows, type BackupDocument } from '../../../../src/server/modules/backups/document.js';
import { strayRow } from '../../../../src/server/modules/backups/ownership.js';
import { planTable } from '../../../../src/server/modules/backups/plan.js';

const doc = (rows: Record<string, unknown>[] = []): BackupDocument => ({
  format: 'dotmac-tenant-backup',
  format_version: 1,
  tenant_id: 'ten_a',
  dialect: 'sqlite',
  schema_migration: '2026120203_backups',
  created_at: '2026-12-02T00:00:00.000Z',
  table_order: ['tenants', 'things'],
  tables: {
    tenants: { columns: ['id', 'name'], primary_key: ['id'], rows: [{ id: 'ten_a', name: 'A' }] },
    things: { columns: ['id', 'tenant_id'], primary_key: ['id'], rows: rows as never },
  },
});

describe('the backup document', () => {
  it('is the same bytes for the same rows, whatever the order of keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    const one = encodeDocument(doc([{ tenant_id: 'ten_a', id: 1 }]));
    const two = encodeDocument(doc([{ id: 1, tenant_id: 'ten_a' }]));
    expect(one.checksum).toBe(two.checksum);
    expect(Buffer.compare(one.content, two.content)).toBe(0);
  });

  it('sorts rows by primary key: numbers as numbers, text by code unit, compound keys column by column', () => {
    expect(sortRows([{ id: 10 }, { id: 9 }, { id: 100 }], ['id']).map((r) => r.id)).toEqual([9, 10, 100]);
    expect(sortRows([{ id: 'b' }, { id: 'B' }, { id: 'a' }], ['id']).map((r) => r.id)).toEqual(['B', 'a', 'b']);
    expect(sortRows([{ a: 2, b: 1 }, { a: 1, b: 2 }, { a: 1, b: 1 }], ['a', 'b'])).toEqual([{ a: 1, b: 1 }, { a: 1, b: 2 }, { a: 2, b: 1 }]);
  });

  it('decodes what it encoded, and says what is wrong with anything else', () => {
    const { content, checksum } = encodeDocument(doc());
    expect(decodeDocument(content, checksum, 'ten_a')).toMatchObject({ ok: true });
    expect(decodeDocument(content, checksum, 'ten_b')).toEqual({ ok: false, problem: 'it is a backup of another tenant' });
    expect(decodeDocument(content, '0'.repeat(64), 'ten_a')).toMatchObject({ ok: false, problem: expect.stringMatching(/checksum/) });
    const bad = { ...doc(), table_order: ['tenants'] };
    const encoded = encodeDocument(bad);
    expect(decodeDocument(encoded.content, encoded.checksum, 'ten_a')).toMatchObject({ ok: false, problem: expect.stringMatching(/malformed/) });
  });
});

describe('whose rows a document holds', () => {
  const shapes = new Map<string, TableShape>([
    ['tenants', { name: 'tenants', columns: ['id', 'name'], primaryKey: ['id'], references: [], foreignKeys: [] }],
    ['things', { name: 'things', columns: ['id', 'tenant_id', 'parent_id'], primaryKey: ['id'], references: ['things'], foreignKeys: [{ table: 'things', columns: ['parent_id'], referencedColumns: ['id'], tenantOwned: true }] }],
  ]);
  const withThings = (rows: Record<string, unknown>[]) => ({ ...doc(rows), tables: { ...doc().tables, things: { columns: ['id', 'tenant_id', 'parent_id'], primary_key: ['id'], rows: rows as never } } });

  it('passes rows that are all the tenant\'s, and names the first that is not', () => {
    expect(strayRow(withThings([{ id: 1, tenant_id: 'ten_a', parent_id: null }, { id: 2, tenant_id: 'ten_a', parent_id: 1 }]), shapes)).toBeNull();
    expect(strayRow(withThings([{ id: 1, tenant_id: 'ten_a', parent_id: null }, { id: 7, tenant_id: 'ten_b', parent_id: null }]), shapes)).toBe('its things row 7 belongs to another tenant (tenant_id ten_b)');
    expect(strayRow(withThings([{ id: 2, tenant_id: 'ten_a', parent_id: 9 }]), shapes)).toBe('its things row 2 references things 9, which is not the tenant\'s');
    expect(strayRow(doc([{ id: 1 }]), shapes)).toMatch(/its things row 1 belongs to another tenant/);
  });
});

describe('restore plans', () => {
  it('matches rows by key: deletes, inserts, updates in place, leaves equal rows alone', () => {
    const plan = planTable('t', ['id'], ['id', 'v'], [{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c', added_later: 1 }], [{ id: 2, v: 'B' }, { id: 3, v: 'c' }, { id: 4, v: 'd' }]);
    expect(plan.deletes).toEqual([{ id: 1, v: 'a' }]);
    expect(plan.updates).toEqual([{ id: 2, v: 'B' }]);
    expect(plan.inserts).toEqual([{ id: 4, v: 'd' }]);
    expect(plan.unchanged).toBe(1);
  });

  it('replaces a table without a primary key whole, only when its rows differ', () => {
    expect(planTable('n', [], ['x'], [{ x: 1 }, { x: 1 }], [{ x: 1 }, { x: 1 }]).unchanged).toBe(2);
    const plan = planTable('n', [], ['x'], [{ x: 1 }, { x: 1 }], [{ x: 1 }]);
    expect([plan.deletes.length, plan.inserts.length]).toEqual([2, 1]);
  });
});

describe('table order', () => {
  const shape = (name: string, references: string[] = []): TableShape => ({ name, columns: ['tenant_id'], primaryKey: [], references, foreignKeys: [] });
  it('puts parents before children, and still orders every table when references form a cycle', () => {
    expect(parentsFirst([shape('c', ['b']), shape('b', ['a', 'resellers']), shape('a')]).map((t) => t.name)).toEqual(['a', 'b', 'c']);
    expect(parentsFirst([shape('y', ['x']), shape('x', ['y']), shape('z')]).map((t) => t.name).sort()).toEqual(['x', 'y', 'z']);
  });
});
