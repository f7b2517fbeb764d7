import { expect } from 'vitest';
import type { AuditEvent, Page, Reseller, Tenant, Token } from '../../../src/client/types.js';
import type { Role } from '../../../src/server/auth/principal.js';
import { startTestApi, type TestApi } from '../harness.js';
import { readAll } from '../pages.js';
import { byId, configsFromDatabase, eventOf, modelFromSystem, tenantScoped, readDeployments, resellerOf, tenantOf, tokenOf, type Model, type Principal } from './model.js';
import type { Real } from './step.js';

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
    for (const [slug, reseller] of [['iso-other', null], ['iso-r1-other', 'iso-r1'], ['iso-r2-other', 'iso-r2']] as const) {
      await admin.tenants.create({ slug, name: slug, reseller });
      await admin.configs.change(slug, { values: { 'billing.currency': 'USD', 'network.radius_secret': `radius-of-${slug}` } });
    }
    for (const slot of SLOTS) world.principals.push(await world.issue(slot));
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
    }
    const issued = await admin.tokens.create({ role: slot.role, tenant, reseller: slot.role === 'reseller' ? (slot.reseller ?? undefined) : undefined });
    this.jwts.set(issued.jti, issued.token);
    return { name: slot.name, role: slot.role, tenantId: issued.tenant_id, resellerId: issued.reseller_id, jti: issued.jti };
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
    return modelFromSystem(this.api.admin, this.api.connection.db, [...this.principals], this.bootstrapJti);
  }

  close(): Promise<void> {
    return this.api.close();
  }
}

/** The system's state equals the model's, read back as master: tenants, resellers, tokens, configurations and the events written since the run began. */
export async function expectSystemMatches(m: Model, real: Real): Promise<void> {
  const admin = real.api.admin;
  const [tenants, resellers, tokens, audit, configs, deployments] = await Promise.all([
    readAll<Tenant>(admin, '/v1/tenants'),
    readAll<Reseller>(admin, '/v1/resellers'),
    readAll<Token>(admin, '/v1/tokens', { include_revoked: 'true' }),
    admin.call<Page<AuditEvent>>('GET', '/v1/audit', { query: { limit: m.events.length + 1 } }),
    configsFromDatabase(real.api.connection.db),
    readDeployments(admin),
  ]);
  expect(configs, 'configurations and their versions').toEqual(m.configs);
  expect(deployments, 'deployments and their jobs').toEqual(byId(m.deployments));
  expect(byId(tenants.map(tenantOf)), 'tenants').toEqual(byId(m.tenants));
  expect(byId(resellers.map(resellerOf)), 'resellers').toEqual(byId(m.resellers));
  const byJti = <T extends { jti: string }>(rows: T[]) => [...rows].sort((a, b) => (a.jti < b.jti ? -1 : 1));
  expect(byJti(tokens.map(tokenOf)), 'tokens').toEqual(byJti(m.tokens));
  const backups: { id: string; tenant_id: string }[] = [];
  for (const tenant of tenants) backups.push(...(await readAll<{ id: string; tenant_id: string }>(admin, `/v1/tenants/${tenant.id}/backups`)));
  expect(byId(backups.map(({ id, tenant_id }) => ({ id, tenant_id }))), 'backups').toEqual(byId(m.backups).map(({ id, tenant_id }) => ({ id, tenant_id })));
  expect(audit.data.filter((e) => e.seq > m.baseSeq).map(eventOf), 'audit events since the run began').toEqual([...m.events].reverse());
}
