import type { Kysely } from 'kysely';

// Frozen once shipped: never edit it; add a new migration instead.
// `dotmac health` counts a tenant's probes over 7 days by status and reads a day's latencies for
// the p95: with status and latency in the index those are index-only scans, which matters most
// to a cold process (about half the pages read). It starts with (tenant_id, at), so it replaces
// that index for every query that used it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('health_checks_tenant_at_status').on('health_checks').columns(['tenant_id', 'at', 'status', 'latency_ms']).execute();
  await db.schema.dropIndex('health_checks_tenant_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('health_checks_tenant_at').on('health_checks').columns(['tenant_id', 'at']).execute();
  await db.schema.dropIndex('health_checks_tenant_at_status').execute();
}
