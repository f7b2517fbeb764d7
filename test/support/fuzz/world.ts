import type { Backup, Deployment, Reseller, Tenant, Token } from '../../../src/client/types.js';
import type { Role } from '../../../src/server/auth/principal.js';
import { encodeCursor } from '../../../src/server/pagination.js';
import type { TestApi } from '../harness.js';
import { readAll } from '../pages.js';
import type { Caller, Ownership } from '../scope-oracle.js';
import { forgedAuthorizations } from './forged-credentials.js';
import { deployed } from '../jobs.js';

/**
 * The objects the fuzz aims at, made through the API: two resellers, tenants direct and owned by
 * each, some suspended, one cancelled, and tokens of every role. A fuzzed request names them
 * symbolically ({"@ref": "tenant", pick, form, own}) and they are looked up when it is sent, so a
 * request still means something after earlier ones created, moved or cancelled things.
 */

export type CallerKind = Role | 'anonymous' | 'forged';
export const CALLER_KINDS: readonly CallerKind[] = ['master_admin', 'tenant_admin', 'reseller', 'instance', 'anonymous', 'forged'];

export type RefKind = 'tenant' | 'reseller' | 'token' | 'user' | 'backup' | 'deployment' | 'deployed-tenant' | 'job' | 'tenant-cursor' | 'seq-cursor';

/** A reference to something that exists when the request is sent: the `pick`th of its kind, by slug or id, in the caller's scope or anywhere. */
export interface SymbolicRef {
  '@ref': RefKind;
  pick: number;
  form: 'slug' | 'id';
  own: boolean;
}

export const isSymbolicRef = (value: unknown): value is SymbolicRef => typeof value === 'object' && value !== null && '@ref' in value;

export interface Snapshot extends Ownership {
  tenants: { id: string; slug: string; reseller_id: string | null; status: string }[];
  resellers: { id: string; slug: string }[];
  tokens: { jti: string; user_id: string; tenant_id: string | null; reseller_id: string | null }[];
  /** backups of the seeded tenants (and the tenant admins' homes), not of every tenant the fuzz creates */
  backups: { id: string; tenant_id: string }[];
  /** with their tenant's reseller, for the scope of a pick */
  deployments: { id: string; job_id: string; tenant_id: string; reseller_id: string | null; status: string }[];
  seq: number;
}

interface Signed {
  token: string;
  caller: Caller;
}

export class FuzzWorld {
  private readonly signed = new Map<Role, Signed>();
  private forgeries: string[] = [];
  private homes = 0;
  /** the harness's own bootstrap token, which keeps the world going */
  private bootstrapJti = '';

  constructor(readonly api: TestApi) {}

  async seed(): Promise<void> {
    const admin = this.api.admin;
    this.bootstrapJti = (await admin.me()).jti;
    await admin.resellers.create({ slug: 'fz-alpha', name: 'Alpha Channel', territory: 'North' });
    await admin.resellers.create({ slug: 'fz-beta', name: 'Beta Channel' });
    const tenants: [string, string | null, boolean][] = [
      ['fz-direct', null, false],
      ['fz-direct-paused', null, true],
      ['fz-alpha-one', 'fz-alpha', false],
      ['fz-alpha-paused', 'fz-alpha', true],
      ['fz-beta-one', 'fz-beta', false],
      ['fz-beta-paused', 'fz-beta', true],
    ];
    for (const [slug, reseller, paused] of tenants) {
      await admin.tenants.create({ slug, name: slug.replace(/-/g, ' '), reseller, contact_email: `ops@${slug}.test` });
      // two versions of a configuration, with a secret, for the configs routes to read, change and roll back
      await admin.configs.change(slug, { values: { 'billing.currency': 'USD', 'network.radius_secret': `fz-secret-${slug}`, 'branding.motto': { en: 'fast' } } });
      await admin.configs.change(slug, { values: { 'billing.currency': 'EUR', 'security.mfa_required': true } });
      if (paused) await admin.tenants.suspend(slug);
    }
    // Deployments (and so jobs) in tenants of each scope: two that ran (so rollback and scale can
    // succeed), and in one tenant a third still queued (so they meet a conflict too).
    const deployedTenants = ['fz-direct', 'fz-alpha-one', 'fz-beta-one'];
    for (const n of ['two', 'three', 'four']) {
      for (const [slug, reseller] of [[`fz-direct-${n}`, null], [`fz-alpha-${n}`, 'fz-alpha'], [`fz-beta-${n}`, 'fz-beta']] as const) {
        await admin.tenants.create({ slug, name: slug.replace(/-/g, ' '), reseller });
        deployedTenants.push(slug);
      }
    }
    for (const slug of deployedTenants) {
      await deployed(this.api, slug, '1.0.0');
      await deployed(this.api, slug, '1.1.0');
    }
    await admin.tenants.create({ slug: 'fz-gone', name: 'Gone' });
    // backups first: none can be taken while a deployment is in progress
    for (const slug of ['fz-direct', 'fz-alpha-one', 'fz-alpha-paused', 'fz-beta-one', 'fz-gone']) await admin.backups.create(slug);
    await admin.deployments.create({ tenant: 'fz-beta-one', version: '1.2.0' });
    // Real tokens that must be refused as firmly as forged ones: a cancelled tenant's, a revoked one.
    const orphaned = await admin.tokens.create({ role: 'tenant_admin', tenant: 'fz-gone' });
    await admin.tenants.delete('fz-gone');
    const revoked = await admin.tokens.create({ role: 'reseller', reseller: 'fz-alpha', label: 'revoked' });
    await admin.tokens.revoke(revoked.jti);
    // Tokens only the fuzz's revokes aim at, of every scope.
    await admin.tokens.create({ role: 'tenant_admin', tenant: 'fz-beta-one', label: 'victim' });
    await admin.tokens.create({ role: 'reseller', reseller: 'fz-beta', label: 'victim' });
    await admin.tokens.create({ role: 'master_admin', email: 'victim@fz.test', label: 'victim' });

    const master = await admin.tokens.create({ role: 'master_admin', email: 'fuzz@fz.test' });
    this.signed.set('master_admin', { token: master.token, caller: { role: 'master_admin', tenantId: null, resellerId: null } });
    const reseller = await admin.tokens.create({ role: 'reseller', reseller: 'fz-alpha' });
    this.signed.set('reseller', { token: reseller.token, caller: { role: 'reseller', tenantId: null, resellerId: reseller.reseller_id } });
    await this.newHome('fz-alpha-one');
    const forged = await forgedAuthorizations(this.api.keys, { sub: master.user_id, jti: master.jti }, master.token, this.api.clock.now());
    this.forgeries = [...forged, `Bearer ${orphaned.token}`, `Bearer ${revoked.token}`];
  }

  /**
   * The tenant admin's token and its instance agent's, of one home tenant; the tenant may have
   * been cancelled by an earlier request, and then both get a new one.
   */
  private async newHome(slug?: string): Promise<void> {
    const admin = this.api.admin;
    if (!slug) {
      slug = `fz-home-${++this.homes}`;
      await admin.tenants.create({ slug, name: 'Home', reseller: 'fz-alpha' });
    }
    for (const role of ['tenant_admin', 'instance'] as const) {
      const issued = await admin.tokens.create({ role, tenant: slug });
      this.signed.set(role, { token: issued.token, caller: { role, tenantId: issued.tenant_id, resellerId: null } });
    }
    this.changed();
  }

  /** The Authorization header and the principal of one kind of caller, as of now ("forged": any credential that must be refused). */
  async credentials(kind: CallerKind, forgery: number): Promise<{ authorization?: string; caller?: Caller }> {
    if (kind === 'anonymous') return {};
    if (kind === 'forged') return { authorization: this.forgeries[forgery % this.forgeries.length] };
    if (kind === 'tenant_admin' || kind === 'instance') {
      const tenantId = this.signed.get(kind)!.caller.tenantId;
      const home = (await this.snapshot()).tenants.find((t) => t.id === tenantId);
      if (home?.status === 'cancelled') await this.newHome();
    }
    const signed = this.signed.get(kind)!;
    return { authorization: `Bearer ${signed.token}`, caller: signed.caller };
  }

  /** The callers' own tokens and the bootstrap one: a fuzzed revoke never aims at them, or the rest of the run would be 401s. */
  private ownJtis(): Set<string> {
    const jtis = [...this.signed.values()].map((s) => JSON.parse(Buffer.from(s.token.split('.')[1]!, 'base64url').toString()).jti as string);
    return new Set([...jtis, this.bootstrapJti]);
  }

  private cached: Promise<Snapshot> | undefined;

  /** The world as of the last change; `changed()` after anything that may have written. */
  snapshot(): Promise<Snapshot> {
    return (this.cached ??= this.read());
  }

  changed(): void {
    this.cached = undefined;
  }

  /** Read through the API as the bootstrap master, like any client, not from the tables. */
  private async read(): Promise<Snapshot> {
    const admin = this.api.admin;
    const [tenants, resellers, tokens, audit, deployments] = await Promise.all([
      readAll<Tenant>(admin, '/v1/tenants'),
      readAll<Reseller>(admin, '/v1/resellers'),
      readAll<Token>(admin, '/v1/tokens', { include_revoked: 'true' }),
      admin.audit.list({ limit: 1 }),
      readAll<Deployment>(admin, '/v1/deployments'),
    ]);
    const mine = this.ownJtis();
    const backups: Backup[] = [];
    for (const tenant of tenants.filter((t) => t.slug.startsWith('fz-'))) backups.push(...(await readAll<Backup>(admin, `/v1/tenants/${tenant.id}/backups`)));
    const ownerOf = (tenantId: string) => tenants.find((t) => t.id === tenantId)?.reseller_id ?? null;
    return {
      tenants: tenants.map(({ id, slug, reseller_id, status }) => ({ id, slug, reseller_id, status })),
      resellers: resellers.map(({ id, slug }) => ({ id, slug })),
      tokens: tokens.filter((t) => !mine.has(t.jti)).map(({ jti, user_id, tenant_id, reseller_id }) => ({ jti, user_id, tenant_id, reseller_id })),
      backups: backups.map(({ id, tenant_id }) => ({ id, tenant_id })),
      deployments: deployments.map(({ id, job_id, tenant_id, status }) => ({ id, job_id, tenant_id, status, reseller_id: ownerOf(tenant_id) })),
      seq: audit.data[0]?.seq ?? 0,
    };
  }

  /** The value a symbolic reference stands for, now. */
  resolve(ref: SymbolicRef, caller: Caller | undefined, snapshot: Snapshot): string {
    const sees = (row: { id?: string; tenant_id?: string | null; reseller_id?: string | null }) => {
      if (!caller || caller.role === 'master_admin') return true;
      if (caller.role === 'tenant_admin' || caller.role === 'instance') return (row.id ?? row.tenant_id) === caller.tenantId;
      return row.reseller_id === caller.resellerId || row.id === caller.resellerId;
    };
    const pick = <T>(rows: T[], visible: (row: T) => boolean): T | undefined => {
      const pool = ref.own && rows.some(visible) ? rows.filter(visible) : rows;
      return pool[ref.pick % Math.max(pool.length, 1)];
    };
    switch (ref['@ref']) {
      case 'tenant':
      case 'tenant-cursor': {
        const tenant = pick(snapshot.tenants, sees);
        if (!tenant) return 'no-tenant';
        if (ref['@ref'] === 'tenant-cursor') return encodeCursor(tenant.id);
        return ref.form === 'slug' ? tenant.slug : tenant.id;
      }
      case 'reseller': {
        const reseller = pick(snapshot.resellers, sees);
        return !reseller ? 'no-reseller' : ref.form === 'slug' ? reseller.slug : reseller.id;
      }
      case 'token':
        return pick(snapshot.tokens, sees)?.jti ?? 'no-token';
      case 'user':
        return pick(snapshot.tokens, sees)?.user_id ?? 'no-user';
      case 'backup':
        return pick(snapshot.backups, (b) => sees({ tenant_id: b.tenant_id, reseller_id: snapshot.tenants.find((t) => t.id === b.tenant_id)?.reseller_id ?? null }))?.id ?? 'no-backup';
      case 'deployment':
        return pick(snapshot.deployments, sees)?.id ?? 'no-deployment';
      case 'job':
        return pick(snapshot.deployments, sees)?.job_id ?? 'no-job';
      case 'deployed-tenant': {
        // a tenant that can be deployed again: one succeeded, none in progress (else any that deployed)
        const busy = new Set(snapshot.deployments.filter((d) => d.status === 'queued' || d.status === 'running').map((d) => d.tenant_id));
        const free = snapshot.deployments.filter((d) => d.status === 'succeeded' && !busy.has(d.tenant_id));
        return pick(free.length ? free : snapshot.deployments, sees)?.tenant_id ?? 'no-tenant';
      }
      case 'seq-cursor':
        return encodeCursor(String(Math.max(1, snapshot.seq - (ref.pick % Math.max(snapshot.seq, 1)))));
    }
  }

  /** A body or query with every symbolic reference in it replaced by its value. */
  resolveDeep(value: unknown, caller: Caller | undefined, snapshot: Snapshot): unknown {
    if (isSymbolicRef(value)) return this.resolve(value, caller, snapshot);
    if (Array.isArray(value)) return value.map((item) => this.resolveDeep(item, caller, snapshot));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: this.resolveDeep(item, caller, snapshot), enumerable: true, configurable: true, writable: true });
    }
    return out;
  }
}
