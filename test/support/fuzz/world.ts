import type { Backup, Commission, Deployment, FeatureFlag, Invoice, Opportunity, Payout, QuoteSummary, Reseller, Subscription, Tenant, Ticket, Token } from '../../../src/client/types.js';
import type { Role } from '../../../src/server/auth/principal.js';
import { PRICE_BOOK_2025_1 } from '../../../src/server/modules/pricebook/book.js';
import type { ApiClient } from '../../../src/client/api-client.js';
import { encodeCursor } from '../../../src/server/pagination.js';
import type { TestApi } from '../harness.js';
import { readAll } from '../pages.js';
import type { Caller, Ownership } from '../scope-oracle.js';
import { forgedAuthorizations } from './forged-credentials.js';
import { deployed, drainJobs, takeBackup } from '../jobs.js';
import { recordPartnerEvent } from '../commissions.js';

/**
 * The objects the fuzz aims at, made through the API: two resellers, tenants direct and owned by
 * each, some suspended, one cancelled, and tokens of every role. A fuzzed request names them
 * symbolically ({"@ref": "tenant", pick, form, own}) and they are looked up when it is sent, so a
 * request still means something after earlier ones created, moved or cancelled things.
 */

export type CallerKind = Role | 'anonymous' | 'forged';
export const CALLER_KINDS: readonly CallerKind[] = ['master_admin', 'tenant_admin', 'reseller', 'instance', 'anonymous', 'forged'];

export type RefKind =
  | 'territory'
  | 'held-region'
  | 'territory-holder'
  | 'opportunity'
  | 'commission'
  | 'payout'
  | 'tenant'
  | 'reseller'
  | 'token'
  | 'user'
  | 'backup'
  | 'restorable-backup'
  | 'deployment'
  | 'deployed-tenant'
  | 'job'
  | 'tenant-cursor'
  | 'seq-cursor'
  | 'subscription'
  | 'unsubscribed-tenant'
  | 'invoice'
  | 'open-invoice'
  | 'paid-invoice'
  | 'quote'
  | 'quote-editable'
  | 'quote-draft'
  | 'quote-pending'
  | 'quote-approved'
  | 'quote-sent'
  | 'live-tenant'
  | 'ticket'
  | 'open-ticket'
  | 'escalatable-ticket'
  | 'resolved-ticket'
  | 'flag'
  | 'deletable-flag'
  | 'newest-plan'
  | 'newest-term'
  | 'quote-refusable'
  | 'users-tenant'
  | 'tenant-user'
  | 'invite-tenant'
  | 'invite-user'
  | 'invite-code';

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
  /** with the first of their regions and their holder's slug */
  territories: { id: string; name: string; reseller_id: string | null; region: string | null; holder: string | null }[];
  opportunities: { id: string; reseller_id: string }[];
  commissions: { id: string; reseller_id: string }[];
  payouts: { id: string; reseller_id: string }[];
  /** with their tenant's reseller (not the reseller of record), for the scope of a pick */
  subscriptions: { id: string; tenant_id: string; reseller_id: string | null; status: string }[];
  invoices: { id: string; tenant_id: string; reseller_id: string | null; status: string; refunded_cents: number; total_cents: number }[];
  /** quotes, with their reseller of record (null: staff's) */
  quotes: { id: string; number: string; reseller_id: string | null; status: string; required_authority_bps: number }[];
  /** with their tenant's reseller, for the scope of a pick */
  tickets: { id: string; tenant_id: string; reseller_id: string | null; status: string; priority: string }[];
  /** feature flag keys (platform-owned: only master_admin sees them) */
  flags: string[];
  /** what the newest price book offers without a quoted fee: plan and term (the fuzz publishes books of its own) */
  offers: { plan: string; term: number }[];
  seq: number;
}

interface Signed {
  token: string;
  caller: Caller;
}

/**
 * The tenants seeded with people, and the emails each of them has (the same in each tenant). The
 * first have no backup from before their people were seeded, which a fuzzed restore would bring
 * back without them: accepts aim at the first invite still there.
 */
export const USER_TENANTS = ['fz-direct-two', 'fz-alpha-two', 'fz-direct', 'fz-alpha-one', 'fz-beta-one'] as const;
export const SEEDED_USER_EMAILS = ['fz-admin-1@fz.test', 'fz-admin-2@fz.test', 'fz-admin-3@fz.test', 'fz-operator@fz.test', 'fz-viewer@fz.test', 'fz-disabled@fz.test', 'fz-invited@fz.test'] as const;

export class FuzzWorld {
  private readonly signed = new Map<Role, Signed>();
  /** the seeded people's ids, for references by id (an id names one tenant's user; elsewhere it is 404) */
  private userIds: string[] = [];
  /** the tenants seeded with people (USER_TENANTS, then restocked ones), for the users routes */
  private userTenants: string[] = [];
  /** open invites whose codes the world kept, for accepts to get through: emails no fuzzed request names */
  private invites: { tenant_id: string; reseller_id: string | null; email: string; code: string }[] = [];
  private forgeries: string[] = [];
  private homes = 0;
  /** the harness's own bootstrap token, which keeps the world going */
  private bootstrapJti = '';
  /** the clients that made the seeded quotes, kept to make them again */
  private restocks = 0;
  private sellers: { alpha: ApiClient; beta: ApiClient; approver: ApiClient } | undefined;

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
      // two versions of a branding (a support email needs no white-label), for the branding routes to read and roll back
      await admin.branding.change(slug, { support_email: `help@${slug}.test` });
      await admin.branding.change(slug, { support_email: `care@${slug}.test` });
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
    for (const slug of ['fz-direct', 'fz-alpha-one', 'fz-alpha-paused', 'fz-beta-one', 'fz-gone']) await takeBackup(this.api, slug);
    await admin.deployments.create({ tenant: 'fz-beta-one', version: '1.2.0' });
    // territories (fz-shared overlaps) and a few opportunities in each reseller's pipeline
    for (const [name, regions, reseller] of [['Fuzz North', ['fz-north', 'fz-shared'], 'fz-alpha'], ['Fuzz South', ['fz-south', 'fz-shared'], 'fz-beta'], ['Fuzz Unheld', ['fz-east'], null]] as const) {
      await admin.territories.create({ name, regions: [...regions] });
      if (reseller) await admin.territories.assign(name, { reseller });
    }
    for (const [reseller, region] of [['fz-alpha', 'fz-north'], ['fz-beta', 'fz-south']] as const) {
      for (const stage of ['lead', 'proposal', 'negotiation'] as const) await admin.opportunities.create({ prospect_name: `${reseller} ${stage}`, region, value_cents: 12_345, stage, reseller });
    }
    // Each reseller's commissions: one paid long ago (so there is a payout), two of this month
    // (still open to dispute), one of them disputed (so a resolve can succeed). They name no
    // tenant: the fuzz moves tenants between resellers, and an event stays with who earned it.
    const thisMonth = this.api.clock.now().toISOString().slice(0, 7);
    for (const reseller of ['fz-alpha', 'fz-beta']) {
      await recordPartnerEvent(this.api, { reseller, key: `${reseller}-paid`, period: '2019-01', eligible_on: '2019-02-01', amount_cents: 20_000 });
      await recordPartnerEvent(this.api, { reseller, key: `${reseller}-open`, period: thisMonth });
      await admin.commissions.dispute(await recordPartnerEvent(this.api, { reseller, key: `${reseller}-disputed`, period: thisMonth }), { reason: 'seeded dispute' });
    }
    await admin.payouts.run({ on: '2019-03-15' });
    // Subscriptions in tenants of each scope, each with its open first invoice; some paid, for refunds.
    for (const slug of ['fz-direct', 'fz-alpha-one', 'fz-beta-one', 'fz-direct-two', 'fz-alpha-two', 'fz-beta-two']) {
      // the tenant admin's first home holds white-label, so its branding's white-label fields can be set
      const created = await admin.subscriptions.create({ tenant: slug, plan: 'starter', addons: slug === 'fz-alpha-one' ? ['sandbox', 'white-label'] : ['sandbox'] });
      if (slug.endsWith('-two')) await admin.invoices.pay(created.first_invoice!.id, { on: created.started_on });
    }
    // Real tokens that must be refused as firmly as forged ones: a cancelled tenant's, a revoked one.
    const orphaned = await admin.tokens.create({ role: 'tenant_admin', tenant: 'fz-gone' });
    await admin.tenants.delete('fz-gone');
    const revoked = await admin.tokens.create({ role: 'reseller', reseller: 'fz-alpha', label: 'revoked' });
    await admin.tokens.revoke(revoked.jti);
    // Tokens only the fuzz's revokes aim at, of every scope.
    await admin.tokens.create({ role: 'tenant_admin', tenant: 'fz-beta-one', label: 'victim' });
    await admin.tokens.create({ role: 'reseller', reseller: 'fz-beta', label: 'victim' });
    await admin.tokens.create({ role: 'master_admin', email: 'victim@fz.test', label: 'victim' });

    this.sellers = {
      alpha: this.api.as((await admin.tokens.create({ role: 'reseller', reseller: 'fz-alpha', label: 'quotes' })).token),
      beta: this.api.as((await admin.tokens.create({ role: 'reseller', reseller: 'fz-beta', label: 'quotes' })).token),
      approver: this.api.as((await admin.tokens.create({ role: 'master_admin', email: 'approver@fz.test', discount_authority_bps: 4000 })).token),
    };
    await this.seedQuotes();

    // Support tickets in tenants of each scope (the tenant admin's home among them): open ones of
    // every priority but p1, so escalations get through for a while, and resolved ones to reopen.
    for (const slug of ['fz-direct', 'fz-alpha-one', 'fz-beta-one', 'fz-direct-two', 'fz-alpha-two', 'fz-beta-two']) {
      for (const priority of ['p4', 'p4', 'p3', 'p2', 'p4', 'p3'] as const) {
        const ticket = await admin.tickets.create({ tenant: slug, subject: `${slug} ${priority} trouble`, priority, body: 'seeded\nticket' });
        if (priority === 'p3') await admin.tickets.resolve(ticket.id);
      }
    }

    // feature flags in every state, for the flag verbs to find (the fuzz deletes them, and creates more)
    for (let n = 0; n < 12; n++) {
      const key = n < 6 ? `fz-keep-${n}` : `fz-flag-${n}`;
      await admin.flags.create({ key, description: `fuzz flag ${n}` });
      if (n % 3 === 1) await admin.flags.enable(key);
      if (n % 3 === 2) await admin.flags.set(key, { rollout: 12.5, tenants: ['fz-direct'], except: ['fz-alpha-one'] });
    }

    // People in some tenants of each scope: three accepted admins (the fuzz demotes and removes
    // them until the last-admin rule refuses), an operator, a viewer and an operator disabled, an
    // open invite; and an invite whose code the world keeps, for an accept to get through.
    for (const slug of USER_TENANTS) await this.seedPeople(slug);

    // authority over staff's seeded quotes (1,600 bps) too, so a refuse or an approve of them can get through
    const master = await admin.tokens.create({ role: 'master_admin', email: 'fuzz@fz.test', discount_authority_bps: 2000 });
    this.signed.set('master_admin', { token: master.token, caller: { role: 'master_admin', tenantId: null, resellerId: null } });
    const reseller = await admin.tokens.create({ role: 'reseller', reseller: 'fz-alpha' });
    this.signed.set('reseller', { token: reseller.token, caller: { role: 'reseller', tenantId: null, resellerId: reseller.reseller_id } });
    await this.newHome('fz-alpha-one');
    const forged = await forgedAuthorizations(this.api.keys, { sub: master.user_id, jti: master.jti }, master.token, this.api.clock.now());
    this.forgeries = [...forged, `Bearer ${orphaned.token}`, `Bearer ${revoked.token}`];
  }

  /**
   * Quotes of each owner in every open state, several of each, for the quote verbs to find (the
   * fuzz cancels and moves them as it goes): drafts, pending approval (over a reseller's 500 bps,
   * or staff's 1,000), approved, sent, viewed, rejected.
   */
  private async seedQuotes(): Promise<void> {
    const admin = this.api.admin;
    const { alpha, beta, approver } = this.sellers!;
    type Steps = readonly ('submit' | 'approve' | 'send' | 'view' | 'reject')[];
    const plan: [number, Steps][] = [
      [0, []], [0, []],
      [1, ['submit']], [1, ['submit']], [1, ['submit']], [1, ['submit']], [1, ['submit']], [1, ['submit']],
      [1, ['submit', 'approve']], [1, ['submit', 'approve']], [1, ['submit', 'approve']],
      [0, ['submit']], [0, ['submit']], [0, ['submit']], [0, ['submit', 'view']], [0, ['submit', 'view']],
      [0, ['submit', 'reject']],
    ];
    // each reseller quotes in its own territory (a reseller's quotes are limited to it); staff's, without a reseller, anywhere
    for (const [seller, region] of [[alpha, 'fz-north'], [beta, 'fz-south'], [admin, undefined]] as const) {
      for (const [over, steps] of plan) {
        const discount = over ? (seller === admin ? 1600 : 800) : 0;
        const quote = await seller.quotes.create({ prospect_name: 'Fuzz Prospect', prospect_email: 'buyer@fz.test', plan: 'starter', term_months: 12, subscribers: 120, discount_bps: discount, region });
        for (const step of steps) {
          if (step === 'submit') await seller.quotes.submit(quote.id);
          if (step === 'approve') await approver.quotes.approve(quote.id);
          if (step === 'send') await seller.quotes.send(quote.id);
          if (step === 'view') await seller.quotes.view(quote.id);
          if (step === 'reject') await seller.quotes.reject(quote.id, 'fuzz');
        }
      }
    }
  }

  /**
   * Time passes and the shop is restocked: a worker runs every queued job (the fuzz sends requests
   * with no worker running, so deployments it queues stay in progress and block what refuses a
   * tenant mid-deployment), the seeded territories go back to their holders, and a fresh set of
   * quotes in every state is made. For an operation that never succeeded because the runs used up
   * every object it can act on.
   */
  async replenish(): Promise<void> {
    const admin = this.api.admin;
    await drainJobs(this.api);
    for (const [name, reseller] of [['Fuzz North', 'fz-alpha'], ['Fuzz South', 'fz-beta']] as const) await admin.territories.assign(name, { reseller });
    // the newest price book may be one the fuzz published without the plans quotes use
    this.api.clock.advance(1_000);
    await admin.pricebooks.publish({ ...PRICE_BOOK_2025_1, version: `fz-restock-${++this.restocks}` });
    // a live tenant with a backup, in case the fuzz cancelled every tenant that had one
    const slug = `fz-restock-${this.restocks}`;
    await admin.tenants.create({ slug, name: 'Restocked', reseller: 'fz-alpha' });
    await takeBackup(this.api, slug);
    // and people in it, in case the fuzz cancelled every tenant that had them (or spent their invites)
    await this.seedPeople(slug);
    // best effort: a seeded reseller the fuzz suspended makes no quotes
    await this.seedQuotes().catch(() => undefined);
    this.changed();
  }

  /** The people of one tenant as seed() describes them, and the invite whose code the world keeps. */
  private async seedPeople(slug: string): Promise<void> {
    const admin = this.api.admin;
    const tenant = await admin.tenants.get(slug);
    for (const email of SEEDED_USER_EMAILS) {
      const role = email.includes('admin') ? 'admin' : email.includes('viewer') ? 'viewer' : 'operator';
      const invited = await admin.tenantUsers.invite(slug, { email, role });
      this.userIds.push(invited.user.id);
      if (email.includes('invited')) continue;
      await admin.tenantUsers.accept(slug, invited.user.id, invited.invite_code);
      if (email.includes('viewer') || email.includes('disabled')) await admin.tenantUsers.disable(slug, invited.user.id);
    }
    const known = await admin.tenantUsers.invite(slug, { email: 'fz-known@fz.test', role: 'operator' });
    this.invites.push({ tenant_id: tenant.id, reseller_id: tenant.reseller_id, email: known.user.email, code: known.invite_code });
    this.userTenants.push(slug);
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
    const [tenants, resellers, tokens, audit, deployments, territories, opportunities, commissions, payouts, subscriptions, invoices, quotes, tickets, flags, book] = await Promise.all([
      readAll<Tenant>(admin, '/v1/tenants'),
      readAll<Reseller>(admin, '/v1/resellers'),
      readAll<Token>(admin, '/v1/tokens', { include_revoked: 'true' }),
      admin.audit.list({ limit: 1 }),
      readAll<Deployment>(admin, '/v1/deployments'),
      admin.territories.list(),
      readAll<Opportunity>(admin, '/v1/opportunities'),
      readAll<Commission>(admin, '/v1/commissions'),
      readAll<Payout>(admin, '/v1/payouts'),
      readAll<Subscription>(admin, '/v1/subscriptions'),
      readAll<Invoice>(admin, '/v1/invoices'),
      readAll<QuoteSummary>(admin, '/v1/quotes'),
      readAll<Ticket>(admin, '/v1/tickets'),
      admin.call<{ data: FeatureFlag[] }>('GET', '/v1/flags'),
      admin.pricebooks.get(),
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
      territories: territories.data.map(({ id, name, reseller_id, reseller_slug, regions }) => ({ id, name, reseller_id, region: regions[0] ?? null, holder: reseller_slug })),
      // open ones first, so that a pick mostly finds one that can still move
      opportunities: [...opportunities.filter((o) => o.stage !== 'won' && o.stage !== 'lost'), ...opportunities.filter((o) => o.stage === 'won' || o.stage === 'lost')].map(({ id, reseller_id }) => ({ id, reseller_id })),
      commissions: commissions.map(({ id, reseller_id }) => ({ id, reseller_id })),
      payouts: payouts.map(({ id, reseller_id }) => ({ id, reseller_id })),
      subscriptions: subscriptions.map(({ id, tenant_id, status }) => ({ id, tenant_id, status, reseller_id: ownerOf(tenant_id) })),
      invoices: invoices.map(({ id, tenant_id, status, refunded_cents, total_cents }) => ({ id, tenant_id, status, refunded_cents, total_cents, reseller_id: ownerOf(tenant_id) })),
      quotes: quotes.map(({ id, number, reseller_id, status, required_authority_bps }) => ({ id, number, reseller_id, status, required_authority_bps })),
      tickets: tickets.map(({ id, tenant_id, status, priority }) => ({ id, tenant_id, status, priority, reseller_id: ownerOf(tenant_id) })),
      flags: flags.data.map((f) => f.key),
      offers: book.plans.filter((p) => !p.quoted).flatMap((p) => book.terms.map((t) => ({ plan: p.code, term: t.months }))),
      seq: audit.data[0]?.seq ?? 0,
    };
  }

  /** The value a symbolic reference stands for, now. */
  resolve(ref: SymbolicRef, caller: Caller | undefined, snapshot: Snapshot): string | number {
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
      case 'restorable-backup': {
        // a backup whose tenant can take a restore now: not cancelled, no deployment queued or running
        const busy = new Set(snapshot.deployments.filter((d) => d.status === 'queued' || d.status === 'running').map((d) => d.tenant_id));
        const open = new Set(snapshot.tenants.filter((t) => t.status !== 'cancelled' && !busy.has(t.id)).map((t) => t.id));
        const ready = snapshot.backups.filter((b) => open.has(b.tenant_id));
        return pick(ready.length ? ready : snapshot.backups, (b) => sees({ tenant_id: b.tenant_id, reseller_id: snapshot.tenants.find((t) => t.id === b.tenant_id)?.reseller_id ?? null }))?.id ?? 'no-backup';
      }
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
      case 'territory': {
        const territory = pick(snapshot.territories, sees);
        return !territory ? 'no-territory' : ref.form === 'slug' ? territory.name : territory.id;
      }
      case 'held-region':
      case 'territory-holder': {
        // a region and the reseller holding it, from one held territory (the same pick gives both),
        // whoever holds territories now that the fuzz has reassigned them
        const held = snapshot.territories.filter((t) => t.holder !== null && t.region !== null);
        const territory = pick(held, sees);
        if (!territory) return ref['@ref'] === 'held-region' ? 'fz-nowhere' : 'no-reseller';
        return (ref['@ref'] === 'held-region' ? territory.region : territory.holder) as string;
      }
      case 'opportunity':
        return pick(snapshot.opportunities, sees)?.id ?? 'no-opportunity';
      case 'commission':
        return pick(snapshot.commissions, (c) => caller?.role === 'master_admin' || (caller?.role === 'reseller' && c.reseller_id === caller.resellerId))?.id ?? 'no-commission';
      case 'payout':
        return pick(snapshot.payouts, (p) => caller?.role === 'master_admin' || (caller?.role === 'reseller' && p.reseller_id === caller.resellerId))?.id ?? 'no-payout';
      case 'subscription':
        return pick(snapshot.subscriptions, sees)?.id ?? 'no-subscription';
      case 'unsubscribed-tenant': {
        const taken = new Set(snapshot.subscriptions.filter((x) => x.status !== 'cancelled').map((x) => x.tenant_id));
        const free = snapshot.tenants.filter((t) => t.status !== 'cancelled' && !taken.has(t.id));
        const tenant = pick(free.length ? free : snapshot.tenants, sees);
        return !tenant ? 'no-tenant' : ref.form === 'slug' ? tenant.slug : tenant.id;
      }
      case 'invoice':
        return pick(snapshot.invoices, sees)?.id ?? 'no-invoice';
      case 'open-invoice':
      case 'paid-invoice': {
        const wanted = snapshot.invoices.filter((i) => (ref['@ref'] === 'open-invoice' ? i.status === 'open' : i.status === 'paid' && i.refunded_cents < i.total_cents));
        return pick(wanted.length ? wanted : snapshot.invoices, sees)?.id ?? 'no-invoice';
      }
      case 'quote':
      case 'quote-editable':
      case 'quote-draft':
      case 'quote-pending':
      case 'quote-approved':
      case 'quote-sent':
      case 'quote-draft':
      case 'quote-refusable': {
        // a reseller sees its own quotes, staff every one; a staff quote (no reseller) is nobody else's.
        // The verbs that need a state aim at quotes in it while there are any.
        const wanted = { quote: null, 'quote-editable': ['draft', 'pending_approval', 'approved'], 'quote-draft': ['draft'], 'quote-pending': ['pending_approval'], 'quote-approved': ['approved'], 'quote-sent': ['sent', 'viewed'], 'quote-refusable': ['pending_approval'] }[ref['@ref']];
        let inState = wanted ? snapshot.quotes.filter((q) => wanted.includes(q.status)) : [];
        // pending ones the fuzz's staff caller (2,000 bps) may decide, while there are any; a reseller's first for a refuse
        const decidable = inState.filter((q) => q.status === 'pending_approval' && q.required_authority_bps <= 2_000);
        if ((ref['@ref'] === 'quote-pending' || ref['@ref'] === 'quote-refusable') && decidable.length) inState = decidable;
        const resellers = inState.filter((q) => q.reseller_id !== null);
        if (ref['@ref'] === 'quote-refusable' && resellers.length) inState = resellers;
        const quote = pick(inState.length ? inState : snapshot.quotes, (q) => !caller || caller.role === 'master_admin' || (caller.role === 'reseller' && q.reseller_id === caller.resellerId));
        // a number names its latest revision
        const latest = quote && !snapshot.quotes.some((q) => q.number === quote.number && q.id > quote.id);
        return !quote ? 'no-quote' : ref.form === 'slug' && latest ? quote.number : quote.id;
      }
      case 'live-tenant': {
        const live = snapshot.tenants.filter((t) => t.status !== 'cancelled');
        const tenant = pick(live.length ? live : snapshot.tenants, sees);
        return !tenant ? 'no-tenant' : ref.form === 'slug' ? tenant.slug : tenant.id;
      }
      case 'ticket':
      case 'open-ticket':
      case 'escalatable-ticket':
      case 'resolved-ticket': {
        // the verbs that need a state aim at tickets in it while there are any (the fuzz moves them on)
        const wanted = {
          ticket: () => true,
          'open-ticket': (t: Snapshot['tickets'][number]) => t.status === 'open' || t.status === 'in_progress',
          'escalatable-ticket': (t: Snapshot['tickets'][number]) => (t.status === 'open' || t.status === 'in_progress') && t.priority !== 'p1',
          'resolved-ticket': (t: Snapshot['tickets'][number]) => t.status === 'resolved',
        }[ref['@ref']];
        const inState = snapshot.tickets.filter(wanted);
        return pick(inState.length ? inState : snapshot.tickets, (t) => sees({ tenant_id: t.tenant_id, reseller_id: t.reseller_id }))?.id ?? 'no-ticket';
      }
      case 'flag':
      case 'deletable-flag': {
        const spare = ref['@ref'] === 'deletable-flag' ? snapshot.flags.filter((key) => !key.startsWith('fz-keep-')) : [];
        const pool = spare.length ? spare : snapshot.flags;
        return pool.length ? pool[ref.pick % pool.length]! : 'no-flag';
      }
      case 'newest-plan':
      case 'newest-term': {
        // onboarding prices from the newest book, which need not offer 2025.1's plans and terms (a
        // quoted plan needs a fee it cannot take); the same pick gives a plan and a term it offers
        const offer = snapshot.offers[ref.pick % Math.max(snapshot.offers.length, 1)];
        return ref['@ref'] === 'newest-plan' ? (offer?.plan ?? 'starter') : (offer?.term ?? 12);
      }
      case 'users-tenant': {
        const seeded = snapshot.tenants.filter((t) => this.userTenants.includes(t.slug));
        const live = seeded.filter((t) => t.status !== 'cancelled');
        const tenant = pick(live.length ? live : seeded, sees);
        return !tenant ? 'no-tenant' : ref.form === 'slug' ? tenant.slug : tenant.id;
      }
      case 'tenant-user':
        return ref.form === 'id' ? (this.userIds[ref.pick % this.userIds.length] ?? 'no-user') : SEEDED_USER_EMAILS[ref.pick % SEEDED_USER_EMAILS.length]!;
      case 'invite-tenant':
      case 'invite-user':
      case 'invite-code': {
        // the same invite for all three parts of one request: the first the caller may reach
        const statusOf = (i: { tenant_id: string }) => snapshot.tenants.find((t) => t.id === i.tenant_id)?.status;
        const seen = (i: { tenant_id: string }) => sees({ id: i.tenant_id, reseller_id: snapshot.tenants.find((t) => t.id === i.tenant_id)?.reseller_id ?? null });
        // an active tenant's first, then a suspended one's (a restock adds one when the fuzz has stopped the others)
        const invite = this.invites.find((i) => statusOf(i) === 'active' && seen(i)) ?? this.invites.find((i) => statusOf(i) !== 'cancelled' && seen(i));
        if (!invite) return 'no-invite';
        return ref['@ref'] === 'invite-tenant' ? invite.tenant_id : ref['@ref'] === 'invite-user' ? invite.email : invite.code;
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
