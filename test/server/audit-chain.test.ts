import { createSecretKey, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEventRow } from '../../src/db/tables/audit-events.js';
import { hashEvent } from '../../src/server/modules/audit/chain.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { sha256Event } from '../support/unkeyed-chain.js';

/**
 * Someone with write access to the database, but not to the workspace's audit key, deletes an
 * event and re-seals what is left. `audit verify` must notice whatever hash they use, and must
 * notice a gap in seq or a head that no longer matches the last event.
 */

let api: TestApi;

beforeEach(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'chain-partner', name: 'Chain partner' });
  for (const slug of ['one', 'two', 'three']) await api.admin.tenants.create({ slug, name: slug, reseller: 'chain-partner' }, `create ${slug}`);
  await api.admin.tenants.suspend('two', 'unpaid');
});
afterEach(() => api.close());

const db = () => api.connection.db;
const events = async () => (await db().selectFrom('audit_events').selectAll().orderBy('seq').execute()).map((row) => ({ ...row, seq: Number(row.seq) }));

/** Rewrites every link and the head the way a forger would: each event points at the new hash before it. */
async function reseal(hash: (event: Omit<AuditEventRow, 'hash'>) => string, renumber = false) {
  let prev = '0'.repeat(64);
  let seq = 0;
  for (const event of await events()) {
    seq++;
    if (renumber && event.seq !== seq) await db().updateTable('audit_events').set({ seq }).where('seq', '=', event.seq).execute();
    const linked = { ...event, seq: renumber ? seq : event.seq, prev_hash: prev };
    prev = hash(linked);
    await db().updateTable('audit_events').set({ prev_hash: linked.prev_hash, hash: prev }).where('seq', '=', linked.seq).execute();
  }
  const head = db().updateTable('audit_chain').set({ head_hash: prev }).where('id', '=', 1);
  await (renumber ? head.set({ seq }) : head).execute();
}

async function deleteEvent(action: string) {
  const victim = (await events()).find((event) => event.action === action)!;
  await db().deleteFrom('audit_events').where('seq', '=', victim.seq).execute();
  return victim;
}

describe('audit verify', () => {
  it('passes an untouched chain, checking every event up to the head', async () => {
    const all = await events();
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(await api.admin.audit.verify()).toEqual({ ok: true, checked: all.length, broken_at: null, problem: null, head_hash: all.at(-1)!.hash });
  });

  it('fails a chain with an event deleted and the rest re-sealed with plain SHA-256 (the old scheme)', async () => {
    const victim = await deleteEvent('tenant.suspend');
    await reseal(sha256Event);
    const check = await api.admin.audit.verify();
    expect(check.ok).toBe(false);
    expect(check.broken_at).toBe(1);
    expect(check.problem).toMatch(/hash/);
    expect(victim.seq).toBeGreaterThan(1);
  });

  it('fails a chain re-sealed and renumbered with HMAC under a key other than the workspace\'s', async () => {
    await deleteEvent('tenant.create');
    const otherKey = createSecretKey(randomBytes(32));
    await reseal((event) => hashEvent(otherKey, event), true);
    const check = await api.admin.audit.verify();
    expect(check).toMatchObject({ ok: false, broken_at: 1 });
    expect(check.problem).toMatch(/hash/);
  });

  it('fails a gap in seq even when every link is sealed with the right key', async () => {
    const victim = await deleteEvent('tenant.create');
    await reseal((event) => hashEvent(api.auditKey, event));
    const check = await api.admin.audit.verify();
    expect(check).toMatchObject({ ok: false, broken_at: victim.seq + 1 });
    expect(check.problem).toMatch(/seq/);
  });

  it('fails when the last event is deleted and the head hash is pointed at the one before', async () => {
    const all = await events();
    const last = all.at(-1)!;
    await db().deleteFrom('audit_events').where('seq', '=', last.seq).execute();
    await db().updateTable('audit_chain').set({ head_hash: all.at(-2)!.hash }).where('id', '=', 1).execute();
    const check = await api.admin.audit.verify();
    expect(check).toMatchObject({ ok: false, checked: all.length - 1, broken_at: last.seq });
    expect(check.problem).toMatch(/head/);
  });

  it('fails an event planted beyond the chain head', async () => {
    const last = (await events()).at(-1)!;
    await db().insertInto('audit_events').values({ ...last, seq: last.seq + 1, id: 'aud_planted', prev_hash: last.hash, hash: hashEvent(api.auditKey, { ...last, seq: last.seq + 1, id: 'aud_planted', prev_hash: last.hash }) }).execute();
    expect(await api.admin.audit.verify()).toMatchObject({ ok: false, checked: last.seq, broken_at: last.seq + 1, problem: 'an event lies beyond the chain head' });
  });
});
