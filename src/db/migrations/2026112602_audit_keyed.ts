import type { Kysely } from 'kysely';

// Frozen once shipped: never edit it; add a new migration instead.
// The audit chain becomes keyed (the key lives in the workspace directory, never here: `key_id`
// only names it), each event records the reseller that owned its tenant when it was written, and
// the caller's own request id is kept apart from the one the server makes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('reseller_id', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('client_request_id', 'text').execute();
  await db.schema.alterTable('audit_chain').addColumn('key_id', 'text').execute();
  await db.schema.createIndex('audit_events_reseller').on('audit_events').columns(['reseller_id', 'seq']).execute();
  await backfillOwners(db);
}

/**
 * First every event gets the current owner of what it is about; then the events of tenants that
 * moved between resellers are corrected from the moves the chain itself recorded
 * (`tenant.update` with `reseller_id` in its details), so each keeps the owner of its time.
 */
async function backfillOwners(db: Kysely<any>): Promise<void> {
  await db
    .updateTable('audit_events')
    .set((eb) => ({ reseller_id: eb.selectFrom('tenants').select('tenants.reseller_id').whereRef('tenants.id', '=', 'audit_events.tenant_id') }))
    .where('tenant_id', 'is not', null)
    .execute();
  await db.updateTable('audit_events').set((eb) => ({ reseller_id: eb.ref('target_id') })).where('target_type', '=', 'reseller').execute();
  await db
    .updateTable('audit_events')
    .set((eb) => ({ reseller_id: eb.selectFrom('tokens').select('tokens.reseller_id').whereRef('tokens.jti', '=', 'audit_events.target_id') }))
    .where('target_type', '=', 'token')
    .where('tenant_id', 'is', null)
    .execute();

  const updates = await db
    .selectFrom('audit_events')
    .select(['seq', 'tenant_id', 'details'])
    .where('action', '=', 'tenant.update')
    .where('details', 'like', '%reseller_id%')
    .orderBy('seq')
    .execute();
  const moves = new Map<string, { seq: number; before: string | null; after: string | null }[]>();
  for (const row of updates) {
    const details = JSON.parse(row.details) as { before?: Record<string, string | null>; after?: Record<string, string | null> };
    if (!row.tenant_id || !details.after || !('reseller_id' in details.after)) continue;
    const list = moves.get(row.tenant_id) ?? [];
    list.push({ seq: Number(row.seq), before: details.before?.reseller_id ?? null, after: details.after.reseller_id ?? null });
    moves.set(row.tenant_id, list);
  }
  for (const [tenantId, list] of moves) {
    const owned = (resellerId: string | null) => db.updateTable('audit_events').set({ reseller_id: resellerId }).where('tenant_id', '=', tenantId);
    await owned(list[0]!.before).where('seq', '<', list[0]!.seq).execute();
    for (const [i, move] of list.entries()) {
      const next = list[i + 1];
      await (next ? owned(move.after).where('seq', '>=', move.seq).where('seq', '<', next.seq) : owned(move.after).where('seq', '>=', move.seq)).execute();
    }
  }
}
