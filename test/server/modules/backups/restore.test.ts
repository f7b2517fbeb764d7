import { gzipSync } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backup } from '../../../../src/client/types.js';
import { protectTenantTable } from '../../../../src/db/migrations/row-security.js';
import { backupTables, EXCLUDED, TENANT_FIELDS_KEPT, tenantOwnedTables } from '../../../../src/server/modules/backups/catalog.js';
import { canonicalJson, sha256 } from '../../../../src/server/modules/backups/document.js';
import { DIALECT, startTestApi, type TestApi } from '../../../support/harness.js';
import { takeBackup } from '../../../support/jobs.js';
import { expectProblem } from '../../problem-response.js';

/**
 * Must-hold 4 of issue 7: back a tenant up, change it, restore, and its rows equal the snapshot
 * while every other tenant's rows are byte-for-byte what they were (checksums of canonical JSON).
 * Three tables this code has never heard of are made in the test's own database (a parent, a
 * child referencing it, and one without a primary key or a foreign key), to show that what a backup holds is
 * discovered, not listed. Damaged and foreign backups are refused with nothing changed.
 */

let api: TestApi;
let owner: Kysely<any>;
let A: string;
let B: string;
let C: string;

const THROWAWAY = ['gadgets', 'gadget_parts', 'gadget_notes'];

async function makeThrowawayTables(): Promise<void> {
  await owner.schema
    .createTable('gadgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer')
    .addColumn('blob', DIALECT === 'postgres' ? 'bytea' : 'blob')
    .execute();
  await owner.schema
    .createTable('gadget_parts')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('gadget_id', 'text', (c) => c.notNull().references('gadgets.id'))
    .addColumn('note', 'text')
    .execute();
  await owner.schema
    .createTable('gadget_notes')
    // no foreign key: a tenant_id column is all it takes to be backed up
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  for (const table of THROWAWAY) await protectTenantTable(owner, { table, tenant: 'tenant_id', privileges: 'select, insert, update, delete' });
}

async function seedRows(tenantId: string, tag: string, base: number): Promise<void> {
  await owner.insertInto('gadgets').values([
    { id: `${tag}-g1`, tenant_id: tenantId, label: `${tag} router`, qty: 3, blob: Buffer.from([0, 1, 2, 255]) },
    { id: `${tag}-g2`, tenant_id: tenantId, label: `${tag} switch ✓`, qty: null, blob: null },
  ]).execute();
  await owner.insertInto('gadget_parts').values([
    { id: base + 1, tenant_id: tenantId, gadget_id: `${tag}-g1`, note: 'antenna' },
    { id: base + 2, tenant_id: tenantId, gadget_id: `${tag}-g1`, note: null },
    { id: base + 3, tenant_id: tenantId, gadget_id: `${tag}-g2`, note: 'psu' },
  ]).execute();
  await owner.insertInto('gadget_notes').values([{ tenant_id: tenantId, note: `${tag} one` }, { tenant_id: tenantId, note: `${tag} two` }]).execute();
}

/** Every row of every table that does not belong to `tenantId`, per table, as canonical JSON's SHA-256. */
async function othersChecksums(tenantId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [...(await tenantOwnedTables(owner, DIALECT)), 'tenants', 'resellers']) {
    const column = table === 'tenants' ? 'id' : table === 'resellers' ? null : 'tenant_id';
    let query = owner.selectFrom(table).selectAll();
    if (column) query = query.where((eb) => eb.or([eb(column, '!=', tenantId), eb(column, 'is', null)]));
    const rows = (await query.execute()).map((r) => canonicalJson(normalise(r))).sort();
    out[table] = sha256(Buffer.from(canonicalJson(rows)));
  }
  return out;
}

/** The tenant's rows in the tables a backup covers, as canonical JSON, the tenant row less the fields a restore keeps. */
async function rowsOf(tenantId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { name } of await backupTables(owner, DIALECT)) {
    const rows = await owner.selectFrom(name).selectAll().where(name === 'tenants' ? 'id' : 'tenant_id', '=', tenantId).execute();
    out[name] = rows.map((r) => canonicalJson(name === 'tenants' ? withoutKept(normalise(r)) : normalise(r))).sort();
  }
  return out;
}

const normalise = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v]));
const withoutKept = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([k]) => !(TENANT_FIELDS_KEPT as readonly string[]).includes(k)));

async function storedBackup(id: string) {
  return owner.selectFrom('backups').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Replaces a backup's stored bytes (and, unless told not to, its checksum to match). */
async function tamper(id: string, content: Buffer, matchChecksum = true): Promise<void> {
  const set: Record<string, unknown> = { content };
  if (matchChecksum) set.checksum = sha256(content);
  await owner.updateTable('backups').set(set).where('id', '=', id).execute();
}

beforeAll(async () => {
  api = await startTestApi();
  owner = api.connection.db as Kysely<any>;
  await makeThrowawayTables();
  await api.admin.resellers.create({ slug: 'channel', name: 'Channel' });
  A = (await api.admin.tenants.create({ slug: 'alpha', name: 'Alpha Net', contact_email: 'noc@alpha.test' })).id;
  B = (await api.admin.tenants.create({ slug: 'bravo', name: 'Bravo Net', reseller: 'channel' })).id;
  C = (await api.admin.tenants.create({ slug: 'charlie', name: 'Charlie Net', plan: 'enterprise' })).id;
  for (const [id, tag, base] of [[A, 'a', 100], [B, 'b', 200], [C, 'c', 300]] as const) {
    await seedRows(id, tag, base);
    await api.admin.tokens.create({ role: 'tenant_admin', tenant: id, label: `${tag} admin` });
    await api.admin.backups.schedule(id, { every_seconds: 86400, keep: 5 });
    await takeBackup(api, id);
  }
});
afterAll(() => api.close());

describe('what a backup holds', () => {
  it('is every tenant-owned table less the documented exclusions, found in the catalog, parents before children', async () => {
    const covered = (await backupTables(owner, DIALECT)).map((t) => t.name);
    const owned = await tenantOwnedTables(owner, DIALECT);
    expect(covered[0]).toBe('tenants');
    expect([...covered].sort()).toEqual(['tenants', ...owned.filter((t) => !(t in EXCLUDED))].sort());
    expect(covered).toEqual(expect.arrayContaining(THROWAWAY));
    expect(covered.indexOf('gadgets')).toBeLessThan(covered.indexOf('gadget_parts'));
    for (const table of ['audit_events', 'users', 'tokens', 'backups', 'backup_schedules']) expect(covered).not.toContain(table);
    for (const reason of Object.values(EXCLUDED)) expect(reason.length).toBeGreaterThan(20);
  });
});

describe('backup, change, restore (must-hold 4)', () => {
  it('restores the tenant\'s rows exactly and leaves every other tenant\'s rows byte-for-byte unchanged', async () => {
    const snapshot = await rowsOf(A);
    const backup = await takeBackup(api, 'alpha');
    expect(backup).toMatchObject({ tenant_id: A, status: 'completed', kind: 'manual', format_version: 1 });
    expect(backup.rows).toBe(1 + 2 + 3 + 2);
    const others = await othersChecksums(A);
    const [alphaToken] = (await api.admin.tokens.list()).data.filter((t) => t.tenant_id === A);
    await api.admin.tokens.revoke(alphaToken!.jti);
    const eventsBefore = (await api.admin.audit.list({ tenant: 'alpha', limit: 500 })).data;

    // Change A: its fields, and rows updated, deleted and added in every table.
    await api.admin.tenants.update('alpha', { name: 'Alpha Renamed', contact_email: null, plan: 'enterprise' });
    await owner.updateTable('gadgets').set({ qty: 99, blob: Buffer.from('changed') }).where('id', '=', 'a-g1').execute();
    await owner.deleteFrom('gadget_parts').where('id', '=', 103).execute();
    await owner.deleteFrom('gadget_parts').where('id', '=', 102).execute();
    await owner.insertInto('gadgets').values({ id: 'a-g3', tenant_id: A, label: 'new', qty: 1, blob: null }).execute();
    await owner.insertInto('gadget_parts').values({ id: 104, tenant_id: A, gadget_id: 'a-g3', note: 'new part' }).execute();
    await owner.deleteFrom('gadget_parts').where('id', '=', 101).execute();
    await owner.insertInto('gadget_parts').values({ id: 101, tenant_id: A, gadget_id: 'a-g1', note: 'replaced' }).execute();
    await owner.deleteFrom('gadget_notes').where('tenant_id', '=', A).where('note', '=', 'a one').execute();
    const changed = await rowsOf(A);
    expect(changed).not.toEqual(snapshot);

    const dry = await api.admin.backups.restore(backup.id, { dry_run: true });
    expect(dry.changed).toBe(false);
    const counts = Object.fromEntries(dry.value.tables.map(({ table, ...n }) => [table, n]));
    expect(counts.tenants).toEqual({ deleted: 0, inserted: 0, updated: 1, unchanged: 0 });
    expect(counts.gadgets).toEqual({ deleted: 1, inserted: 0, updated: 1, unchanged: 1 });
    expect(counts.gadget_parts).toEqual({ deleted: 1, inserted: 2, updated: 1, unchanged: 0 });
    expect(counts.gadget_notes).toEqual({ deleted: 1, inserted: 2, updated: 0, unchanged: 0 });
    expect(await rowsOf(A)).toEqual(changed);

    const before = await api.admin.tenants.get('alpha');
    const restored = await api.admin.backups.restore(backup.id, {}, 'rolled back a bad import');
    expect(restored.changed).toBe(true);
    expect(restored.value.tables).toEqual(dry.value.tables.map((t) => ({ ...t, dry_run: undefined })).map(({ dry_run: _d, ...t }) => t));
    expect(await rowsOf(A)).toEqual(snapshot);
    expect(await othersChecksums(A)).toEqual(others);

    // The platform's decisions stay as they are now; the row moves forward like any write.
    const after = await api.admin.tenants.get('alpha');
    expect(after).toMatchObject({ name: 'Alpha Net', contact_email: 'noc@alpha.test', plan: 'enterprise', status: 'active', version: before.version + 1 });

    // Never restored: a token revoked after the backup stays revoked, and no audit event is lost.
    const tokenNow = (await api.admin.tokens.list({ include_revoked: true })).data.find((t) => t.jti === alphaToken!.jti);
    expect(tokenNow?.revoked_at).not.toBeNull();
    const eventsAfter = (await api.admin.audit.list({ tenant: 'alpha', limit: 500 })).data;
    expect(eventsAfter.slice(-eventsBefore.length)).toEqual(eventsBefore);

    const events = await api.admin.audit.list({ tenant: 'alpha', action: 'backup.restore' });
    expect(events.data).toHaveLength(1);
    expect(events.data[0]).toMatchObject({ target_id: backup.id, reason: 'rolled back a bad import' });

    // Restoring again finds nothing to do: nothing written, nothing audited.
    const again = await api.admin.backups.restore(backup.id);
    expect(again.changed).toBe(false);
    expect((await api.admin.audit.list({ tenant: 'alpha', action: 'backup.restore' })).data).toHaveLength(1);
  });
});

describe('backups that cannot be restored', () => {
  let victim: Backup;
  let everything: Record<string, string>;

  beforeAll(async () => {
    victim = await takeBackup(api, 'alpha');
    await owner.updateTable('gadgets').set({ label: 'drifted' }).where('id', '=', 'a-g2').execute();
  });

  async function expectRefused(problem: RegExp) {
    everything = { ...(await othersChecksums('nobody')) };
    const before = await api.admin.audit.list({ limit: 1 });
    const res = await api.admin.raw('POST', `/v1/backups/${victim.id}/restore`, { body: {} });
    expect(expectProblem(res, 409, 'conflict').detail).toMatch(/nothing was changed/);
    expect(expectProblem(res, 409, 'conflict').detail).toMatch(problem);
    const check = await api.admin.backups.verify(victim.id);
    expect(check.valid).toBe(false);
    expect(check.problem).toMatch(problem);
    expect(await othersChecksums('nobody')).toEqual(everything);
    expect((await api.admin.audit.list({ limit: 1 })).data[0]!.seq).toBe(before.data[0]!.seq);
  }

  it('verifies a good backup', async () => {
    const check = await api.admin.backups.verify(victim.id);
    expect(check).toMatchObject({ valid: true, problem: null, checksum: victim.checksum });
    expect(check.tables.find((t) => t.table === 'gadgets')?.rows).toBe(2);
  });

  it('refuses a checksum mismatch', async () => {
    const good = Buffer.from((await storedBackup(victim.id)).content);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] = flipped[flipped.length - 10]! ^ 0xff;
    await tamper(victim.id, flipped, false);
    await expectRefused(/checksum does not match/);
    await tamper(victim.id, good);
  });

  it('refuses truncated content, and content that is not gzip', async () => {
    const good = Buffer.from((await storedBackup(victim.id)).content);
    await tamper(victim.id, good.subarray(0, good.length - 20));
    await expectRefused(/not a complete gzip stream/);
    await tamper(victim.id, Buffer.from('{"format":"dotmac-tenant-backup"}'));
    await expectRefused(/not a complete gzip stream/);
    await tamper(victim.id, good);
  });

  it('refuses another format version, and a document from a schema this database does not have', async () => {
    const good = Buffer.from((await storedBackup(victim.id)).content);
    const doc = JSON.parse((await import('node:zlib')).gunzipSync(good).toString('utf8'));
    await tamper(victim.id, gzipSync(JSON.stringify({ ...doc, format_version: 2 })));
    await expectRefused(/format version 2/);
    const extra = { ...doc, table_order: [...doc.table_order, 'gizmos'], tables: { ...doc.tables, gizmos: { columns: ['tenant_id'], primary_key: [], rows: [] } } };
    await tamper(victim.id, gzipSync(JSON.stringify(extra)));
    await expectRefused(/table gizmos/);
    const column = { ...doc, tables: { ...doc.tables, gadgets: { ...doc.tables.gadgets, columns: [...doc.tables.gadgets.columns, 'colour'] } } };
    await tamper(victim.id, gzipSync(JSON.stringify(column)));
    await expectRefused(/column gadgets\.colour/);
    await tamper(victim.id, good);
  });

  it('refuses another tenant\'s backup stored as this one', async () => {
    const good = Buffer.from((await storedBackup(victim.id)).content);
    const [foreign] = (await api.admin.backups.list('bravo')).data;
    await tamper(victim.id, Buffer.from((await storedBackup(foreign!.id)).content));
    await expectRefused(/another tenant/);
    await tamper(victim.id, good);
    expect((await api.admin.backups.verify(victim.id)).valid).toBe(true);
  });

  /** The victim's document with `rows` added to `table`, stored with a matching checksum. */
  async function smuggle(table: string, rows: Record<string, unknown>[]): Promise<Buffer> {
    const good = Buffer.from((await storedBackup(victim.id)).content);
    const doc = JSON.parse((await import('node:zlib')).gunzipSync(good).toString('utf8'));
    doc.tables[table].rows.push(...rows);
    await tamper(victim.id, gzipSync(JSON.stringify(doc)));
    return good;
  }

  it('refuses a row of another tenant smuggled into the document, and leaves that tenant as it was', async () => {
    const bravo = await rowsOf(B);
    const configuration = { tenant_id: B, key: 'smuggled', category: 'general', value: '"x"', secret: 0, version: 1, updated_at: victim.created_at };
    const good = await smuggle('configurations', [configuration]);
    await expectRefused(new RegExp(`its configurations row \\(${B}, smuggled\\) belongs to another tenant`));
    await tamper(victim.id, good);
    await smuggle('gadget_notes', [{ tenant_id: B, note: 'smuggled' }]);
    // named by its place and owner, never its values: a row may hold a secret, and the message is shown and logged
    await expectRefused(/its gadget_notes row \d+ of \d+ belongs to another tenant \(tenant_id ten_\w+\)/);
    expect((await api.admin.backups.verify(victim.id)).problem).not.toContain('smuggled');
    await tamper(victim.id, good);
    expect(await rowsOf(B)).toEqual(bravo);
    expect((await api.admin.backups.verify(victim.id)).valid).toBe(true);
  });

  it('refuses a row of the tenant that references another tenant\'s row, in the document or not', async () => {
    const good = await smuggle('gadget_parts', [{ id: 150, tenant_id: A, gadget_id: 'b-g1', note: 'hijack' }]);
    await expectRefused(/its gadget_parts row 150 references gadgets b-g1, which is not the tenant's/);
    await tamper(victim.id, good);
    // jobs are not backed up: a deployment's job must be the tenant's in the database
    const [bravoJob] = (await api.admin.jobs.list({ tenant: 'bravo' })).data;
    const columns = (await backupTables(owner, DIALECT)).find((t) => t.name === 'deployments')!.columns;
    const deployment = { ...Object.fromEntries(columns.map((c) => [c, null])), id: 'dep_smuggled', tenant_id: A, job_id: bravoJob!.id, kind: 'deploy', version: '1.0.0', region: 'eu-west', size: 'small', replicas: 1, status: 'succeeded', created_by: 'x', created_at: victim.created_at, updated_at: victim.created_at };
    await smuggle('deployments', [deployment]);
    await expectRefused(new RegExp(`its deployments row dep_smuggled references jobs ${bravoJob!.id}, which is not the tenant's`));
    await tamper(victim.id, good);
  });

  it('refuses a row whose key another tenant\'s row holds, naming it, before anything changes', async () => {
    const alphaAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'alpha' })).token);
    for (const [table, row, name] of [
      ['gadgets', { id: 'b-g1', tenant_id: A, label: 'clash', qty: 1, blob: null }, 'gadgets row b-g1'],
      ['gadget_parts', { id: 201, tenant_id: A, gadget_id: 'a-g1', note: 'clash' }, 'gadget_parts row 201'],
    ] as const) {
      const good = await smuggle(table, [row]);
      const problem = new RegExp(`its ${name} already exists in this database and belongs to another tenant`);
      await expectRefused(problem);
      // alpha's own admin too, from whom row-level security hides bravo's row on PostgreSQL
      const res = await alphaAdmin.raw('POST', `/v1/backups/${victim.id}/restore`, { body: {} });
      expect(expectProblem(res, 409, 'conflict').detail).toMatch(problem);
      expect(await othersChecksums('nobody')).toEqual(everything);
      await tamper(victim.id, good);
    }
  });

  it('refuses to restore into a cancelled tenant', async () => {
    const gone = await api.admin.tenants.create({ slug: 'gone', name: 'Gone' });
    const backup = await takeBackup(api, gone.id);
    await api.admin.tenants.delete('gone');
    const res = await api.admin.raw('POST', `/v1/backups/${backup.id}/restore`, { body: { dry_run: true } });
    expect(expectProblem(res, 409, 'conflict').detail).toMatch(/cancelled/);
  });
});

describe('who may see and restore which backups', () => {
  it('keeps a tenant admin to its own tenant, and a reseller to listing its customers\' backups', async () => {
    const bravoAdmin = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'bravo' })).token);
    const reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'channel' })).token);
    const [alphaBackup] = (await api.admin.backups.list('alpha')).data;
    const [bravoBackup] = (await api.admin.backups.list('bravo')).data;
    expectProblem(await bravoAdmin.raw('GET', `/v1/backups/${alphaBackup!.id}`), 404, 'not_found');
    expectProblem(await bravoAdmin.raw('POST', `/v1/backups/${alphaBackup!.id}/restore`, { body: { dry_run: true } }), 404, 'not_found');
    expectProblem(await bravoAdmin.raw('GET', '/v1/tenants/alpha/backups'), 404, 'not_found');
    expect((await bravoAdmin.backups.list('bravo')).data.map((b) => b.id)).toContain(bravoBackup!.id);
    expect((await bravoAdmin.backups.restore(bravoBackup!.id, { dry_run: true })).value.tenant_id).toBe(B);
    expect((await reseller.backups.get(bravoBackup!.id)).tenant_id).toBe(B);
    expectProblem(await reseller.raw('GET', `/v1/backups/${alphaBackup!.id}`), 404, 'not_found');
    expectProblem(await reseller.raw('GET', `/v1/backups/${bravoBackup!.id}/content`), 403, 'forbidden');
  });
});

describe('retention', () => {
  it('deletes the oldest backups beyond the schedule\'s keep each time one is made, and audits each', async () => {
    await api.admin.backups.schedule('charlie', { every_seconds: 3600, keep: 2 });
    const unchanged = await api.admin.backups.schedule('charlie', { every_seconds: 3600, keep: 2 });
    expect(unchanged.changed).toBe(false);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await takeBackup(api, 'charlie')).id);
    expect((await api.admin.backups.list('charlie')).data.map((b) => b.id)).toEqual([made[2], made[1]]);
    const expired = await api.admin.audit.list({ tenant: 'charlie', action: 'backup.expire' });
    expect(expired.data.map((e) => e.target_id)).toHaveLength(2);
    expect(expired.data.map((e) => e.target_id)).toContain(made[0]);
    const rows = await sql<{ n: number }>`select count(*) as n from backups where tenant_id = ${C}`.execute(owner);
    expect(Number(rows.rows[0]!.n)).toBe(2);
  });
});
