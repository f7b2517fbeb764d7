import { sql, type Kysely } from 'kysely';
import type { ApiClient } from '../../../src/client/api-client.js';
import type { Database } from '../../../src/db/database.js';
import type { Principal } from '../../../src/server/auth/principal.js';
import type { TestApi } from '../../support/harness.js';
import { recordPartnerEvent } from '../../support/commissions.js';
import { drainJobs, takeBackup } from '../../support/jobs.js';

/** A table row-level security must hold: every one with a tenant_id or a reseller_id column, and tenants itself. */
export interface TenantOwnedTable {
  name: string;
  /** its rows belong to a reseller directly, as scopeTo's `reseller` column says */
  hasResellerId: boolean;
  /** held by protectResellerTable (scopeToReseller): a reseller's own rows, no tenant admin's */
  resellerOnly: boolean;
}

/** Read from the catalog, so a table a later migration adds is covered without a change here. */
export async function tenantOwnedTables(db: Kysely<Database>): Promise<TenantOwnedTable[]> {
  const { rows } = await sql<{ name: string; has_reseller_id: boolean; reseller_only: boolean }>`
    select c.relname as name,
           exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'reseller_id' and not a.attisdropped) as has_reseller_id,
           exists (select from pg_policy p where p.polrelid = c.oid) and not exists (
             select from pg_policy p where p.polrelid = c.oid and pg_get_expr(p.polqual, p.polrelid) like '%dotmac.tenant_id%') as reseller_only
    from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
      and (c.relname = 'tenants' or exists (select from pg_attribute a where a.attrelid = c.oid and a.attname in ('tenant_id', 'reseller_id') and not a.attisdropped))
    order by c.relname`.execute(db);
  return rows.map((row) => ({ name: row.name, hasResellerId: row.has_reseller_id, resellerOnly: row.reseller_only }));
}

/**
 * Two resellers and four tenants, a tenant admin and a reseller token each, and the audit events
 * all that wrote: every tenant-owned table has rows inside and outside each caller's scope.
 */
export async function buildWorld(api: TestApi) {
  await api.admin.resellers.create({ slug: 'north', name: 'North' });
  await api.admin.resellers.create({ slug: 'south', name: 'South' });
  const tenants: Record<string, string> = {};
  for (const [slug, reseller] of [['direct', null], ['n1', 'north'], ['n2', 'north'], ['s1', 'south']] as const) {
    tenants[slug] = (await api.admin.tenants.create({ slug, name: slug.toUpperCase(), reseller })).id;
    await takeBackup(api, slug);
    await api.admin.backups.schedule(slug, { every_seconds: 86400, keep: 7 });
  }
  const principal = async (role: 'tenant_admin' | 'reseller', ref: string): Promise<{ client: ApiClient; principal: Principal }> => {
    const issued = await api.admin.tokens.create(role === 'tenant_admin' ? { role, tenant: ref } : { role, reseller: ref });
    const principal = { userId: issued.user_id, role, tenantId: issued.tenant_id, resellerId: issued.reseller_id, jti: issued.jti };
    return { client: api.as(issued.token), principal };
  };
  const n1Admin = await principal('tenant_admin', 'n1');
  const directAdmin = await principal('tenant_admin', 'direct');
  const north = await principal('reseller', 'north');
  const south = await principal('reseller', 'south');
  await n1Admin.client.tenants.update('n1', { name: 'N1 renamed by its admin' });
  await north.client.tenants.update('n2', { name: 'N2 renamed by north' });
  await directAdmin.client.tenants.update('direct', { name: 'Direct renamed by its admin' });
  for (const slug of Object.keys(tenants)) await api.admin.configs.change(slug, { values: { 'billing.currency': 'USD', 'network.radius_secret': `secret-of-${slug}` } });
  await n1Admin.client.configs.change('n1', { values: { 'branding.company_name': 'N1' } });
  // a branding version in every tenant (a support email needs no white-label), one written by a tenant admin
  for (const slug of Object.keys(tenants)) await api.admin.branding.change(slug, { support_email: `help@${slug}.test` });
  await n1Admin.client.branding.change('n1', { support_email: 'care@n1.test' });
  // people of every tenant's instance, one invited by its own admin
  for (const slug of Object.keys(tenants)) await api.admin.tenantUsers.invite(slug, { email: `noc@${slug}.example`, role: 'admin' });
  await n1Admin.client.tenantUsers.invite('n1', { email: 'ops@n1.example', role: 'operator' });
  // a deployment run by a worker in every tenant: rows in jobs, job_steps, deployments, deployment_events
  for (const slug of Object.keys(tenants)) await api.admin.deployments.create({ tenant: slug, version: '1.0.0' });
  await drainJobs(api);
  // health in every tenant: its instance agent's points, a probe of its current deployment (the
  // simulated endpoints do not resolve: down), and an hour already rolled up
  const instances: Record<string, { client: ApiClient; principal: Principal }> = {};
  for (const [slug, id] of Object.entries(tenants)) {
    const issued = await api.admin.tokens.create({ role: 'instance', tenant: slug });
    instances[slug] = { client: api.as(issued.token), principal: { userId: issued.user_id, role: 'instance', tenantId: id, resellerId: null, jti: issued.jti } };
    await instances[slug].client.instances.pushMetrics(slug, { points: [{ metric: 'cpu', value: 10 }, { metric: 'subscribers', value: 100 }] });
    await api.connection.db.insertInto('metric_rollups').values({ tenant_id: id, metric: 'cpu', hour: '2026-01-01T00:00:00.000Z', count: 2, sum: 30, min: 10, max: 20 }).execute();
  }
  await api.admin.health.probe({});
  // reseller-owned rows without a tenant: a territory and an opportunity (with its stage history) each
  for (const [reseller, region] of [['north', 'eu-north'], ['south', 'eu-south']] as const) {
    await api.admin.territories.create({ name: `${reseller} territory`, regions: [region] });
    await api.admin.territories.assign(`${reseller} territory`, { reseller });
    const opportunity = await api.admin.opportunities.create({ prospect_name: `${reseller} prospect`, region, value_cents: 10_000, reseller });
    await api.admin.opportunities.move(opportunity.id, { stage: 'qualified' });
  }
  await api.admin.territories.create({ name: 'unheld territory', regions: ['eu-west'] });
  // an NPS answer in every tenant
  for (const slug of Object.keys(tenants)) await api.admin.customers.recordNps(slug, { score: 8 });
  // a support ticket in every tenant, with a comment and history beyond its creation
  for (const slug of Object.keys(tenants)) {
    const ticket = await api.admin.tickets.create({ tenant: slug, subject: `${slug} ticket`, priority: 'p3' });
    await api.admin.tickets.comment(ticket.id, { body: `answer to ${slug}` });
    await api.admin.tickets.escalate(ticket.id, { reason: 'world' });
  }
  // the partner programme: each reseller's rules, training, commission events (on its customers)
  // and a payout with its lines
  for (const [reseller, tenant] of [['north', 'n1'], ['south', 's1']] as const) {
    await api.admin.commissions.createRule({ bps: 2_000, reseller, tenant, description: `${reseller} override` });
    await api.admin.resellers.completeTraining(reseller, { module: 'platform-basics' });
    await recordPartnerEvent(api, { reseller, key: `${reseller}-jan`, period: '2019-01', eligible_on: '2019-02-01', amount_cents: 20_000, tenant_id: tenants[tenant]! });
  }
  await api.admin.payouts.run({ on: '2019-03-15' });
  // billing in every tenant: a subscription, its first invoice and lines, and a usage reading from its agent
  for (const slug of Object.keys(tenants)) {
    await api.admin.subscriptions.create({ tenant: slug, plan: 'starter', price_book_version: '2025.1' });
    await instances[slug]!.client.instances.recordUsage(slug, { subscribers: 120, users: 4 });
  }
  // quotes: each reseller's own, in its territory (one for a prospect, one for its tenant), and a staff quote to a prospect
  const terms = { plan: 'starter', term_months: 12, subscribers: 50 } as const;
  await north.client.quotes.create({ prospect_name: 'North prospect', prospect_email: 'p@north.example', region: 'eu-north', ...terms });
  await north.client.quotes.create({ tenant: 'n1', region: 'eu-north', ...terms });
  await south.client.quotes.create({ prospect_name: 'South prospect', prospect_email: 'p@south.example', region: 'eu-south', ...terms });
  await api.admin.quotes.create({ prospect_name: 'Direct prospect', prospect_email: 'p@direct.example', ...terms });
  return { tenants, n1Admin, directAdmin, north, south, n1Instance: instances.n1! };
}

/**
 * The rows of a table a principal may see, worked out from the whole table as its owner sees it
 * (the rule of scopeTo, restated apart from the policies under test).
 */
export async function rowsInScope(owner: Kysely<Database>, table: TenantOwnedTable, principal: Pick<Principal, 'role' | 'tenantId' | 'resellerId'>) {
  const all = (await owner.selectFrom(table.name as 'tenants').selectAll().execute()) as Record<string, unknown>[];
  const tenants = await owner.selectFrom('tenants').select(['id', 'reseller_id']).execute();
  const tenantOf = (row: Record<string, unknown>) => (table.name === 'tenants' ? row.id : row.tenant_id);
  const visible = all.filter((row) => {
    if (principal.role === 'master_admin') return true;
    if (table.resellerOnly) return principal.role === 'reseller' && row.reseller_id === principal.resellerId;
    // an instance agent is scoped as its tenant's admin is
    if (principal.role === 'tenant_admin' || principal.role === 'instance') return tenantOf(row) === principal.tenantId;
    if (table.hasResellerId) return row.reseller_id === principal.resellerId;
    return tenants.some((t) => t.id === tenantOf(row) && t.reseller_id === principal.resellerId);
  });
  return { all, visible };
}

/** Rows in a stable order, to compare sets of them. */
export function sorted(rows: Record<string, unknown>[]): string[] {
  return rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
}
