import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditKey } from '../../../../src/server/modules/audit/seal.js';
import { sealStoredSecrets } from '../../../../src/server/modules/configs/seal-stored.js';
import { secretsKeyId } from '../../../../src/server/modules/configs/sealing.js';
import { expectProblem } from '../../problem-response.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { takeBackup } from '../../../support/jobs.js';

/** A secret never rests in the database: not in the current values, a version's snapshot or a backup. */

const RADIUS = 'radius-Pl41n-sight-9931';
const SMTP = 'smtp-Pl41n-sight-5127';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'fibernet', name: 'FiberNet' });
  await api.admin.tenants.create({ slug: 'skylink', name: 'SkyLink' });
});
afterEach(() => api.close());

const db = () => api.connection.db;
const tenantId = async (slug: string) => (await api.admin.tenants.get(slug)).id;

/** Every place the database holds a tenant's configuration, as text: rows, snapshots, backup documents. */
async function everythingStored(): Promise<string> {
  const [rows, versions, backups] = await Promise.all([
    db().selectFrom('configurations').selectAll().execute(),
    db().selectFrom('configuration_versions').selectAll().execute(),
    db().selectFrom('backups').select('content').execute(),
  ]);
  return JSON.stringify([rows, versions, backups.map((b) => gunzipSync(b.content).toString('utf8'))]);
}

const revealed = async (key: string, tenant = 'fibernet') => (await api.admin.configs.get(tenant, key, true)).value;

describe('configuration secrets at rest', () => {
  it('are sealed in the rows, every snapshot and every backup, and open for a reveal, a rollback and a restore', async () => {
    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': RADIUS, 'billing.currency': 'KES' } });
    await api.admin.configs.change('fibernet', { values: { 'notifications.smtp_password': SMTP, 'notifications.smtp_host': 'mail.fibernet.example' }, secret: [] });
    const backup = await takeBackup(api, 'fibernet');
    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': 'rotated-value' } });

    const stored = await everythingStored();
    for (const secret of [RADIUS, SMTP, 'rotated-value']) expect(stored).not.toContain(secret);
    expect(stored).toContain('mail.fibernet.example'); // plain values stay readable JSON
    const row = await db().selectFrom('configurations').select('value').where('key', '=', 'network.radius_secret').executeTakeFirstOrThrow();
    expect(row.value).toMatch(/^sealed:v1:/);

    expect(await revealed('network.radius_secret')).toBe('rotated-value');
    expect(await revealed('notifications.smtp_password')).toBe(SMTP);
    expect((await api.admin.configs.diff('fibernet', { values: { 'network.radius_secret': 'rotated-value' }, prune: false })).in_sync).toBe(true);

    await api.admin.configs.rollback('fibernet', 2);
    expect(await revealed('network.radius_secret')).toBe(RADIUS);

    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': 'after-backup' } });
    expect((await api.admin.backups.verify(backup.id)).valid).toBe(true);
    await api.admin.backups.restore(backup.id);
    expect(await revealed('network.radius_secret')).toBe(RADIUS);
    expect(await revealed('notifications.smtp_password')).toBe(SMTP);
    expect(await everythingStored()).not.toContain(RADIUS);
  });

  it('do not open under another key or tenant: a sealed value moved there is refused with a 503 naming the key', async () => {
    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': RADIUS } });
    await api.admin.configs.change('skylink', { values: { 'notifications.smtp_password': SMTP }, secret: ['notifications.smtp_password'] });
    const [fibernet, skylink] = [await tenantId('fibernet'), await tenantId('skylink')];
    const sealed = await db().selectFrom('configurations').select('value').where('tenant_id', '=', fibernet).where('key', '=', 'network.radius_secret').executeTakeFirstOrThrow();
    // the same tenant, another key: the key name is bound into the seal
    await db().updateTable('configurations').set({ value: sealed.value }).where('tenant_id', '=', skylink).where('key', '=', 'notifications.smtp_password').execute();
    const problem = expectProblem(await api.admin.raw('GET', '/v1/tenants/skylink/configs/keys/notifications.smtp_password?reveal=true'), 503, 'unavailable');
    expect(problem.detail).toContain('notifications.smtp_password');
    expect(problem.detail).not.toContain(RADIUS);
    // a flipped byte
    const flipped = sealed.value.slice(0, -2) + (sealed.value.endsWith('A') ? 'B' : 'A') + sealed.value.slice(-1);
    await db().updateTable('configurations').set({ value: flipped }).where('tenant_id', '=', fibernet).where('key', '=', 'network.radius_secret').execute();
    expectProblem(await api.admin.raw('GET', '/v1/tenants/fibernet/configs/keys/network.radius_secret?reveal=true'), 503, 'unavailable');
    // masked answers never open a secret, so they still work
    expect((await api.admin.configs.get('fibernet', 'network.radius_secret')).value).toBe('********');
  });

  it('written before sealing are sealed when the workspace next opens: rows, snapshots and backups, which still verify and restore', async () => {
    const fibernet = await tenantId('fibernet');
    const now = new Date().toISOString();
    // what a database from before sealing holds: the value as JSON text, the snapshot with it
    await db()
      .insertInto('configurations')
      .values([
        { tenant_id: fibernet, key: 'network.radius_secret', category: 'network', value: JSON.stringify(RADIUS), secret: 1, version: 1, updated_at: now },
        { tenant_id: fibernet, key: 'billing.currency', category: 'billing', value: '"KES"', secret: 0, version: 1, updated_at: now },
      ])
      .execute();
    const snapshot = JSON.stringify({ 'billing.currency': { secret: false, value: 'KES' }, 'network.radius_secret': { secret: true, value: RADIUS } });
    await db().insertInto('configuration_versions').values({ tenant_id: fibernet, version: 1, action: 'set', snapshot, changes: '[]', restored_from: null, actor: 'usr_old', created_at: now }).execute();
    const backup = await takeBackup(api, 'fibernet');
    await db().updateTable('audit_chain').set({ secrets_key_id: null }).where('id', '=', 1).execute();
    expect(await everythingStored()).toContain(RADIUS);

    await sealStoredSecrets(db(), api.connection.dialect, api.auditKey);
    expect(await everythingStored()).not.toContain(RADIUS);
    if (api.connection.dialect === 'sqlite') {
      // nor in the pages the plain rows left behind
      const { rows } = await sql<{ file: string }>`pragma database_list`.execute(db());
      for (const path of [rows[0]!.file, `${rows[0]!.file}-wal`]) if (existsSync(path)) expect(readFileSync(path).includes(RADIUS), path).toBe(false);
    }
    expect(await revealed('network.radius_secret')).toBe(RADIUS);
    expect((await api.admin.backups.verify(backup.id)).valid).toBe(true);

    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': 'changed-value' } });
    await api.admin.configs.rollback('fibernet', 1);
    expect(await revealed('network.radius_secret')).toBe(RADIUS);
    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': 'changed-value' } });
    await api.admin.backups.restore(backup.id);
    expect(await revealed('network.radius_secret')).toBe(RADIUS);

    // once sealed, opening again changes nothing
    const before = await everythingStored();
    await sealStoredSecrets(db(), api.connection.dialect, api.auditKey);
    expect(await everythingStored()).toBe(before);
  });

  it('keep the workspace from taking a new audit key while they are sealed with the one that went missing', async () => {
    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': RADIUS } });
    // what an older release's workspace looks like to openAuditKey (no key file, chain unkeyed), but with sealed secrets
    await db().updateTable('audit_chain').set({ key_id: null }).where('id', '=', 1).execute();
    const dir = await mkdtemp(join(tmpdir(), 'dotmac-missing-key-'));
    try {
      await expect(openAuditKey(db(), api.connection.dialect, join(dir, 'audit-key'))).rejects.toThrow(/configuration secrets are sealed with an audit key, but there is no audit key at/);
      expect(existsSync(join(dir, 'audit-key'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('that do not open block nothing else: the key can be set again or unset, other keys change, diff and rollback work', async () => {
    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': RADIUS, 'billing.currency': 'KES' } });
    await api.admin.configs.change('fibernet', { values: { 'integrations.modules_in_use': ['billing', 'radius'] }, secret: ['integrations.modules_in_use'] });
    const fibernet = await tenantId('fibernet');
    const broken = (key: string) => db().updateTable('configurations').set({ value: 'sealed:v1:AAAA:AAAA' }).where('tenant_id', '=', fibernet).where('key', '=', key).execute();
    await broken('network.radius_secret');
    await broken('integrations.modules_in_use');

    // what needs the value says why, in the message itself
    const problem = expectProblem(await api.admin.raw('GET', '/v1/tenants/fibernet/configs/keys/network.radius_secret?reveal=true'), 503, 'unavailable');
    expect(problem.detail).toMatch(/network\.radius_secret .* cannot be opened .*audit-key file.*set it again/);
    expectProblem(await api.admin.raw('POST', '/v1/tenants/fibernet/configs/apply', { body: { values: { 'network.radius_secret': '********' }, prune: false } }), 503, 'unavailable');

    // the rest of the configuration goes on
    expect((await api.admin.configs.change('fibernet', { values: { 'billing.currency': 'EUR' } })).value.version).toBe(3);
    expect((await api.admin.configs.diff('fibernet', { values: { 'billing.currency': 'EUR' }, prune: false })).in_sync).toBe(true);
    await api.admin.configs.rollback('fibernet', 2);
    expect((await api.admin.configs.get('fibernet', 'billing.currency')).value).toBe('KES');
    // the broken value is replaced, or removed
    await api.admin.configs.change('fibernet', { values: { 'network.radius_secret': 'replaced-secret' } });
    expect(await revealed('network.radius_secret')).toBe('replaced-secret');
    await api.admin.configs.change('fibernet', { unset: ['integrations.modules_in_use'] });
    await broken('network.radius_secret');
    await api.admin.configs.change('fibernet', { unset: ['network.radius_secret'] });
    expect((await api.admin.configs.list('fibernet')).entries.map((e) => e.key)).toEqual(['billing.currency']);
  });

  it('that do not open leave the other tenants\' health scores alone', async () => {
    await api.admin.configs.change('fibernet', { values: { 'integrations.modules_in_use': ['billing', 'radius'] }, secret: ['integrations.modules_in_use'] });
    await api.admin.configs.change('skylink', { values: { 'integrations.modules_in_use': ['billing'] } });
    await db().updateTable('configurations').set({ value: 'sealed:v1:AAAA:AAAA' }).where('tenant_id', '=', await tenantId('fibernet')).where('key', '=', 'integrations.modules_in_use').execute();
    const scores = (await api.admin.customers.health()).data;
    const adoption = (slug: string) => scores.find((h) => h.tenant_slug === slug)!.components.find((c) => c.component === 'module_adoption');
    expect(adoption('skylink')).toMatchObject({ no_data: false, input: { modules_in_use: 1 } });
    expect(adoption('fibernet')).toMatchObject({ no_data: true });
  });

  it('leave no plain value in the space their rows left: a scrub that did not finish is done at the next open', async () => {
    // a plain value in freed space, and the state an open interrupted after sealing leaves
    const id = secretsKeyId(api.auditKey);
    if (api.connection.dialect === 'sqlite') {
      // a first open that finds nothing left to seal scrubs all the same (a secret unset before the
      // upgrade sits in free space), and so does an open after one that stopped before its scrub
      for (const state of [null, `unscrubbed:${id}`]) {
        await db().updateTable('audit_chain').set({ secrets_key_id: state }).where('id', '=', 1).execute();
        await sql`create table leftover (v text)`.execute(db());
        await sql`insert into leftover values (${RADIUS.repeat(50)})`.execute(db());
        await sql`drop table leftover`.execute(db());
        await sql`pragma wal_checkpoint(truncate)`.execute(db());
        const file = (await sql<{ file: string }>`pragma database_list`.execute(db())).rows[0]!.file;
        expect(readFileSync(file).includes(RADIUS)).toBe(true);
        expect(await sealStoredSecrets(db(), 'sqlite', api.auditKey)).toBeUndefined();
        expect(readFileSync(file).includes(RADIUS), String(state)).toBe(false);
      }
    } else {
      // a server connecting as a member of dotmac_app seals, but may not rewrite the tables: it says what to run, and leaves it to the owner
      const fibernet = await tenantId('fibernet');
      const now = new Date().toISOString();
      await db().insertInto('configurations').values({ tenant_id: fibernet, key: 'network.radius_secret', category: 'network', value: JSON.stringify(RADIUS), secret: 1, version: 1, updated_at: now }).execute();
      await takeBackup(api, 'fibernet'); // its document holds the plain value too: sealing rewrites it, which dotmac_app may
      await db().updateTable('audit_chain').set({ secrets_key_id: null }).where('id', '=', 1).execute();
      const notice = await api.apiConnection.db.transaction().execute(async (trx) => {
        await sql`select set_config('dotmac.role', 'master_admin', true)`.execute(trx);
        return sealStoredSecrets(trx, 'postgres', api.auditKey);
      });
      expect(notice).toMatch(/VACUUM FULL configurations, configuration_versions, backups` runs as the tables' owner/);
      expect(await everythingStored()).not.toContain(RADIUS);
      expect(await sealStoredSecrets(db(), 'postgres', api.auditKey)).toBeUndefined();
    }
    const chain = await db().selectFrom('audit_chain').select('secrets_key_id').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(chain.secrets_key_id).toBe(id);
  });
});

