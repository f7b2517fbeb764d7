import { expect } from 'vitest';
import type { AuditEvent, Page, Reseller, Tenant, Token } from '../../../src/client/types.js';
import type { Role } from '../../../src/server/auth/principal.js';
import { startTestApi, type TestApi } from '../harness.js';
import { readAll } from '../pages.js';
import { brandingFromDatabase, byId, configsFromDatabase, readFlags, eventOf, modelFromSystem, tenantScoped, readBackupJobs, readBilling, readDeployments, readPipeline, readQuotes, resellerOf, tenantUsersFromDatabase, tenantOf, tokenOf, type Model, type Principal } from './model.js';
import type { Real } from './step.js';
import { expectPartnersMatch, seedPartners } from './partner-model.js';
import { readTickets } from './ticket-model.js';

/**
 * A database the model runs share: two resellers, tenants direct and owned by each, and the six
 * principals (master, a tenant admin of a direct tenant and one of each reseller's, both
 * resellers). A run starts from whatever the runs before it left: a principal whose token was
 * revoked or whose tenant was cancelled is issued a new one, and the model is read back as master.
 */

interface Slot {
  name: string;
  role: Role;
  /** a tenant admin's tenant's reseller, or the reseller itself (slug); null for direct */
  reseller: string | null;
}

export const SLOTS: readonly Slot[] = [
  { name: 'master', role: 'master_admin', reseller: null },
  { name: 'admin-direct', role: 'tenant_admin', reseller: null },
  { name: 'admin-of-r1', role: 'tenant_admin', reseller: 'iso-r1' },
  { name: 'admin-of-r2', role: 'tenant_admin', reseller: 'iso-r2' },
  { name: 'reseller-r1', role: 'reseller', reseller: 'iso-r1' },
  { name: 'reseller-r2', role: 'reseller', reseller: 'iso-r2' },
  { name: 'agent-of-r1', role: 'instance', reseller: 'iso-r1' },
];

export class IsolationWorld {
  private principals: Principal[] = [];
  private readonly jwts = new Map<string, string>();
  private readonly serial = { next: 1 };
  private bootstrapJti = '';

  private constructor(readonly api: TestApi) {}

  static async open(): Promise<IsolationWorld> {
    const world = new IsolationWorld(await startTestApi());
    const admin = world.api.admin;
    world.bootstrapJti = (await admin.me()).jti;
    for (const slug of ['iso-r1', 'iso-r2']) await admin.resellers.create({ slug, name: slug.toUpperCase() });
    // territories: r1 holds iso-a and iso-b, r2 iso-b (overlapping), iso-c is nobody's
    for (const [name, regions, reseller] of [['Iso R1', ['iso-a', 'iso-b'], 'iso-r1'], ['Iso R2', ['iso-b'], 'iso-r2'], ['Iso free', ['iso-c'], null]] as const) {
      await admin.territories.create({ name, regions: [...regions] });
      if (reseller) await admin.territories.assign(name, { reseller });
    }
    for (const [slug, reseller] of [['iso-other', null], ['iso-r1-other', 'iso-r1'], ['iso-r2-other', 'iso-r2']] as const) {
      await admin.tenants.create({ slug, name: slug, reseller });
      await admin.configs.change(slug, { values: { 'billing.currency': 'USD', 'network.radius_secret': `radius-of-${slug}` } });
      await admin.tickets.create({ tenant: slug, subject: `Trouble at ${slug}`, priority: 'p3' });
      await seedPeople(admin, slug);
    }
    for (const slot of SLOTS) world.principals.push(await world.issue(slot));
    await seedPartners(world.api, ['iso-r1', 'iso-r2']);
    return world;
  }

  /** A token for the slot; a tenant admin or an instance agent first gets a tenant of its own. */
  private async issue(slot: Slot): Promise<Principal> {
    const admin = this.api.admin;
    let tenant: string | undefined;
    if (slot.role === 'tenant_admin' || slot.role === 'instance') {
      tenant = `iso-home-${this.serial.next++}`;
      await admin.tenants.create({ slug: tenant, name: `Home of ${slot.name}`, reseller: slot.reseller });
      await admin.configs.change(tenant, { values: { 'network.radius_secret': `radius-of-${tenant}`, 'network.max_subscribers': 100 } });
      await seedPeople(admin, tenant);
    }
    const issued = await admin.tokens.create({ role: slot.role, tenant, reseller: slot.role === 'reseller' ? (slot.reseller ?? undefined) : undefined });
    this.jwts.set(issued.jti, issued.token);
    return { name: slot.name, role: slot.role, tenantId: issued.tenant_id, resellerId: issued.reseller_id, jti: issued.jti, userId: issued.user_id };
  }

  /** The start of a run: dead principals replaced, then the model as the system has it. */
  async setup(): Promise<{ model: Model; real: Real }> {
    let model = await this.read();
    const dead = this.principals.map((p) => {
      const revoked = model.tokens.find((t) => t.jti === p.jti)?.revoked ?? true;
      const cancelled = tenantScoped(p) && model.tenants.find((t) => t.id === p.tenantId)?.status === 'cancelled';
      return revoked || cancelled;
    });
    if (dead.some(Boolean)) {
      for (const [i, slot] of SLOTS.entries()) if (dead[i]) this.principals[i] = await this.issue(slot);
      model = await this.read();
    }
    return { model, real: { api: this.api, jwts: this.jwts, serial: this.serial } };
  }

  private read(): Promise<Model> {
    return modelFromSystem(this.api.admin, this.api.connection.db, this.api.auditKey, [...this.principals], this.bootstrapJti);
  }

  close(): Promise<void> {
    return this.api.close();
  }
}

/** A tenant's people: one accepted admin (the last one), an accepted operator, an open invite. */
async function seedPeople(admin: TestApi['admin'], tenant: string): Promise<void> {
  for (const [email, role, accept] of [['ana@iso.test', 'admin', true], ['bob@iso.test', 'operator', true], ['carol@iso.test', 'admin', false]] as const) {
    const invited = await admin.tenantUsers.invite(tenant, { email, role });
    if (accept) await admin.tenantUsers.accept(tenant, invited.user.id, invited.invite_code);
  }
}

/** The system's state equals the model's, read back as master: tenants, resellers, tokens, configurations and the events written since the run began. */
export async function expectSystemMatches(m: Model, real: Real): Promise<void> {
  const admin = real.api.admin;
  const [tenants, resellers, tokens, audit, configs, branding, deployments, backupJobs, quotes] = await Promise.all([
    readAll<Tenant>(admin, '/v1/tenants'),
    readAll<Reseller>(admin, '/v1/resellers'),
    readAll<Token>(admin, '/v1/tokens', { include_revoked: 'true' }),
    admin.call<Page<AuditEvent>>('GET', '/v1/audit', { query: { limit: m.events.length + 1 } }),
    configsFromDatabase(real.api.connection.db, real.api.auditKey),
    brandingFromDatabase(real.api.connection.db),
    readDeployments(admin),
    readBackupJobs(admin),
    readQuotes(admin),
  ]);
  expect(quotes, 'quotes').toEqual(byId(m.quotes));
  expect(await tenantUsersFromDatabase(real.api.connection.db), 'tenant users').toEqual(byId(m.tenantUsers));
  expect(configs, 'configurations and their versions').toEqual(m.configs);
  expect(branding, 'branding versions').toEqual(m.branding);
  expect(deployments, 'deployments and their jobs').toEqual(byId(m.deployments));
  expect(backupJobs, 'backup jobs').toEqual(byId(m.backupJobs));
  const pipeline = await readPipeline(admin);
  expect(pipeline.territories, 'territories').toEqual(byId(m.territories));
  expect(pipeline.opportunities, 'opportunities').toEqual(byId(m.opportunities));
  expect(byId(tenants.map(tenantOf)), 'tenants').toEqual(byId(m.tenants));
  expect(byId(resellers.map(resellerOf)), 'resellers').toEqual(byId(m.resellers));
  const byJti = <T extends { jti: string }>(rows: T[]) => [...rows].sort((a, b) => (a.jti < b.jti ? -1 : 1));
  expect(byJti(tokens.map(tokenOf)), 'tokens').toEqual(byJti(m.tokens));
  const backups: { id: string; tenant_id: string }[] = [];
  for (const tenant of tenants) backups.push(...(await readAll<{ id: string; tenant_id: string }>(admin, `/v1/tenants/${tenant.id}/backups`)));
  expect(byId(backups.map(({ id, tenant_id }) => ({ id, tenant_id }))), 'backups').toEqual(byId(m.backups).map(({ id, tenant_id }) => ({ id, tenant_id })));
  const billing = await readBilling(admin);
  expect(billing.subscriptions, 'subscriptions').toEqual(byId(m.subscriptions));
  expect(billing.invoices, 'invoices').toEqual(byId(m.invoices));
  expect(await readTickets(admin), 'tickets').toEqual(byId(m.tickets));
  expect(await readFlags(admin), 'feature flags').toEqual(byId(m.flags));
  expect(audit.data.filter((e) => e.seq > m.baseSeq).map(eventOf), 'audit events since the run began').toEqual([...m.events].reverse());
  await expectPartnersMatch(m, admin);
}
