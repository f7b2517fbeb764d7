import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../src/server/auth/principal.js';
import { ROUTES } from '../../../src/server/routes.js';
import type { ApiRoute } from '../../../src/server/routing.js';
import { startTestApi, type TestApi } from '../../support/harness.js';
import { auditCount, expectProblem } from '../problem-response.js';
import { deployed, drainJobs, takeBackup } from '../../support/jobs.js';
import { recordPartnerEvent } from '../../support/commissions.js';
import { PRICE_BOOK_2025_1 } from '../../../src/server/modules/pricebook/book.js';

/**
 * Walks ROUTES (not a hand list): every route × every role. A role outside `route.access` gets
 * 403 `forbidden` and changes nothing; a role inside it, aimed at objects in its own scope,
 * succeeds. Without a token every route is 401.
 */

let api: TestApi;
const tokens = {} as Record<Role, string>;
let serial = 0;
let healthy: Server;
let healthyUrl: string;
const unique = (prefix: string) => `${prefix}-${++serial}`;

/** What one call needs: path params, a body, and optionally a token other than the role's default one. */
interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  token?: string;
}

/** An active tenant in the role's scope, with a token that can reach it (tenant_admin scope is one tenant). */
async function freshTenant(role: Role): Promise<{ ref: string; token: string }> {
  const slug = unique('target');
  await api.admin.tenants.create({ slug, name: 'Target', reseller: role === 'reseller' ? 'matrix-reseller' : null });
  if (role !== 'tenant_admin') return { ref: slug, token: tokens[role] };
  const issued = await api.admin.tokens.create({ role: 'tenant_admin', tenant: slug, email: `${slug}@example.test` });
  return { ref: slug, token: issued.token };
}

/** A queued deployment in a fresh tenant of the role's scope. */
async function queuedDeployment(role: Role) {
  const { ref, token } = await freshTenant(role);
  const deployment = await api.admin.deployments.create({ tenant: ref, version: '1.0.0' });
  return { ref, token, deployment };
}

/** A fresh tenant of the role's scope whose current deployment answers GET /health (on loopback). */
async function probeableTenant(role: Role) {
  const { ref, token } = await freshTenant(role);
  await api.admin.deployments.create({ tenant: ref, version: '1.0.0', endpoint: healthyUrl });
  await drainJobs(api);
  return { ref, token };
}

/** The tenant every role's default token can see. */
const homeTenant = (role: Role) => (role === 'reseller' ? 'reseller-home' : 'matrix-home');

/** One entry per operationId in ROUTES: a route missing here fails the suite. */
const CALLS: Record<string, (role: Role) => Promise<Call>> = {
  listTenants: async () => ({}),
  getTenant: async (role) => ({ params: { ref: homeTenant(role) } }),
  createTenant: async () => ({ body: { slug: unique('created'), name: 'Created' } }),
  updateTenant: async (role) => ({ params: { ref: homeTenant(role) }, body: { name: unique('Renamed') } }),
  suspendTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { params: { ref }, token };
  },
  resumeTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    await api.admin.tenants.suspend(ref);
    return { params: { ref }, token };
  },
  deleteTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { params: { ref }, token };
  },
  listResellers: async () => ({}),
  getReseller: async () => ({ params: { ref: 'matrix-reseller' } }),
  createReseller: async () => ({ body: { slug: unique('partner'), name: 'Partner' } }),
  getMe: async () => ({}),
  createToken: async () => ({ body: { role: 'tenant_admin', tenant: 'matrix-home', label: 'matrix' } }),
  listTokens: async () => ({}),
  revokeToken: async () => {
    const victim = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'matrix-home', label: 'to revoke' });
    return { params: { jti: victim.jti } };
  },
  listAuditEvents: async () => ({}),
  verifyAuditChain: async () => ({}),
  getOverview: async () => ({}),
  getSubscribersByPlan: async () => ({}),
  getUptimeByRegion: async () => ({}),
  getTicketsByRegion: async () => ({}),
  listConfigs: async (role) => ({ params: { ref: homeTenant(role) } }),
  getConfig: async (role) => ({ params: { ref: homeTenant(role), key: 'billing.currency' } }),
  listConfigVersions: async (role) => ({ params: { ref: homeTenant(role) } }),
  changeConfigs: async (role) => ({ params: { ref: homeTenant(role) }, body: { values: { 'branding.motto': unique('motto') } } }),
  applyConfigs: async (role) => ({ params: { ref: homeTenant(role) }, body: { values: { 'branding.motto': unique('motto') } } }),
  diffConfigs: async (role) => ({ params: { ref: homeTenant(role) }, body: { values: { 'branding.motto': unique('motto') } } }),
  rollbackConfigs: async (role) => {
    const { ref, token } = await freshTenant(role);
    await api.admin.configs.change(ref, { values: { 'billing.currency': 'USD' } });
    await api.admin.configs.change(ref, { values: { 'billing.currency': 'EUR' } });
    return { params: { ref, version: '1' }, token };
  },
  listBackups: async (role) => ({ params: { ref: homeTenant(role) } }),
  createBackup: async (role) => ({ params: { ref: homeTenant(role) } }),
  setBackupSchedule: async (role) => ({ params: { ref: homeTenant(role) }, body: { every_seconds: 86400, keep: 7 } }),
  getBackupSchedule: async (role) => {
    await api.admin.backups.schedule(homeTenant(role), { every_seconds: 86400, keep: 7 });
    return { params: { ref: homeTenant(role) } };
  },
  getBackup: async (role) => ({ params: { backup: await homeBackup(role) } }),
  verifyBackup: async (role) => ({ params: { backup: await homeBackup(role) } }),
  downloadBackup: async (role) => ({ params: { backup: await homeBackup(role) } }),
  restoreBackup: async (role) => ({ params: { backup: await homeBackup(role) }, body: { dry_run: true } }),
  listDeployments: async () => ({}),
  getDeployment: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.id }, token };
  },
  listDeploymentEvents: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.id }, token };
  },
  createDeployment: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { body: { tenant: ref, version: '2.0.0' }, token };
  },
  rollbackDeployment: async (role) => {
    const { ref, token } = await freshTenant(role);
    await deployed(api, ref, '1.0.0');
    await deployed(api, ref, '1.1.0');
    return { body: { tenant: ref }, token };
  },
  scaleTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    await deployed(api, ref, '1.0.0');
    return { params: { ref }, body: { replicas: 2 }, token };
  },
  listJobs: async () => ({}),
  getJob: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.job_id }, token };
  },
  retryJob: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    await api.admin.jobs.cancel(deployment.job_id);
    return { params: { id: deployment.job_id }, token };
  },
  cancelJob: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.job_id }, token };
  },
  // an instance token pushes for its own tenant (matrix-home); master_admin for any
  pushMetrics: async () => ({ params: { tenant: 'matrix-home' }, body: { points: [{ metric: 'cpu', value: 12.5 }, { metric: 'subscribers', value: 40 }] } }),
  listHealth: async () => ({}),
  getTenantHealth: async (role) => ({ params: { ref: homeTenant(role) } }),
  probeHealth: async (role) => {
    const { ref, token } = await probeableTenant(role);
    return { body: { tenant: ref }, token };
  },
  listTerritories: async () => ({}),
  createTerritory: async () => ({ body: { name: unique('Territory'), regions: ['eu-west', 'eu-north'] } }),
  assignTerritory: async () => {
    const name = unique('Assignable');
    await api.admin.territories.create({ name, regions: ['eu-west'] });
    return { params: { ref: name }, body: { reseller: 'matrix-reseller' } };
  },
  listOpportunities: async () => ({}),
  // the matrix reseller holds a territory over eu-west (beforeAll); staff name the reseller
  createOpportunity: async (role) => ({ body: { prospect_name: unique('Prospect'), region: 'eu-west', value_cents: 10_000, ...(role === 'reseller' ? {} : { reseller: 'matrix-reseller' }) } }),
  getOpportunity: async () => ({ params: { id: await matrixOpportunity() } }),
  moveOpportunity: async () => ({ params: { id: await matrixOpportunity() }, body: { stage: 'qualified' } }),
  listCustomerHealth: async () => ({}),
  recordNps: async (role) => ({ params: { ref: homeTenant(role) }, body: { score: 9 } }),
  updateReseller: async () => ({ params: { ref: 'matrix-reseller' }, body: { quota_cents: ++serial * 1_000 } }),
  listResellerTraining: async () => ({ params: { ref: 'matrix-reseller' } }),
  listResellerKpis: async () => ({}),
  getResellerKpis: async () => ({ params: { ref: 'matrix-reseller' } }),
  completeResellerTraining: async () => ({ params: { ref: 'matrix-reseller' }, body: { module: 'platform-basics' } }),
  listCommissionRules: async () => ({}),
  createCommissionRule: async () => ({ body: { bps: 1_000, reseller: 'matrix-reseller', description: unique('rule') } }),
  listCommissions: async () => ({}),
  explainCommission: async () => ({ params: { id: await partnerEvent() } }),
  disputeCommission: async () => ({ params: { id: await partnerEvent() }, body: { reason: 'wrong rate' } }),
  resolveCommission: async () => {
    const id = await partnerEvent();
    await api.admin.commissions.dispute(id, { reason: 'wrong rate' });
    return { params: { id }, body: {} };
  },
  runCommissions: async () => ({ body: { period: '2019-03' } }),
  runPayouts: async () => ({ body: { on: new Date(Date.UTC(2021, 0, ++serial)).toISOString().slice(0, 10) } }),
  listPayouts: async () => ({}),
  getPayout: async () => ({ params: { id: await partnerPayout() } }),
  getCommissionStatement: async () => ({ params: { ref: 'matrix-reseller', period: '2026-01' } }),
  getPriceBook: async () => ({}),
  publishPriceBook: async () => ({ body: { ...PRICE_BOOK_2025_1, version: unique('matrix') } }),
  listPlans: async () => ({}),
  createSubscription: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { body: { tenant: ref, plan: 'starter' }, token };
  },
  listSubscriptions: async () => ({}),
  getSubscription: async (role) => {
    const { token, subscription } = await subscribedTenant(role);
    return { params: { id: subscription.id }, token };
  },
  changeSubscriptionPlan: async (role) => {
    const { token, subscription } = await subscribedTenant(role);
    return { params: { id: subscription.id }, body: { add_addons: ['sandbox'] }, token };
  },
  cancelSubscription: async (role) => {
    const { token, subscription } = await subscribedTenant(role);
    return { params: { id: subscription.id }, body: {}, token };
  },
  // an instance token records for its own tenant (matrix-home); master_admin for any
  recordUsage: async () => ({ params: { tenant: 'matrix-home' }, body: { subscribers: 40, users: 3 } }),
  showUsage: async () => ({}),
  runBilling: async () => ({ body: { period: new Date().toISOString().slice(0, 7) } }),
  listInvoices: async () => ({}),
  getInvoice: async (role) => {
    const { token, subscription } = await subscribedTenant(role);
    return { params: { id: subscription.first_invoice!.id }, token };
  },
  payInvoice: async (role) => {
    const { token, subscription } = await subscribedTenant(role);
    return { params: { id: subscription.first_invoice!.id }, body: { on: subscription.started_on }, token };
  },
  refundInvoice: async (role) => {
    const { token, subscription } = await subscribedTenant(role);
    await api.admin.invoices.pay(subscription.first_invoice!.id, { on: subscription.started_on });
    return { params: { id: subscription.first_invoice!.id }, body: { on: subscription.started_on }, token };
  },
  voidInvoice: async (role) => {
    const { token, subscription } = await subscribedTenant(role);
    return { params: { id: subscription.first_invoice!.id }, body: {}, token };
  },
  onboardTenant: async () => ({ body: { name: 'Onboarded', slug: unique('onboarded'), ...quoteTerms } }),
  listQuotes: async () => ({}),
  createQuote: async () => ({ body: { prospect_name: 'Prospect', prospect_email: 'p@prospect.example', ...quoteTerms } }),
  previewQuote: async () => ({ body: quoteTerms }),
  getQuote: (role) => quoteIn(role),
  updateQuote: async (role) => ({ ...(await quoteIn(role)), body: { subscribers: 60 } }),
  submitQuote: (role) => quoteIn(role),
  // a reseller's quote over its 500 bps, which matrix-admin (1,000 bps, not its author) can approve
  approveQuote: () => quoteIn('reseller', ['submit'], 800),
  refuseQuote: async () => ({ ...(await quoteIn('reseller', ['submit'], 800)), body: { reason: 'too deep' } }),
  sendQuote: async () => {
    const call = await quoteIn('reseller', ['submit'], 800);
    await api.admin.quotes.approve(call.params.ref);
    return call;
  },
  viewQuote: (role) => quoteIn(role, ['submit']),
  acceptQuote: async (role) => ({ ...(await quoteIn(role, ['submit'])), body: {} }),
  rejectQuote: async (role) => ({ ...(await quoteIn(role, ['submit'])), body: { reason: 'price' } }),
  reviseQuote: (role) => quoteIn(role, ['submit', 'reject']),
  cancelQuote: (role) => quoteIn(role),
  listTickets: async () => ({}),
  createTicket: async (role) => ({ body: { ...(role === 'tenant_admin' ? {} : { tenant: homeTenant(role) }), subject: unique('Ticket'), priority: 'p3' } }),
  getTicket: async (role) => ({ params: { id: await ticketIn(role) } }),
  commentTicket: async (role) => ({ params: { id: await ticketIn(role) }, body: { body: 'a comment' } }),
  assignTicket: async (role) => ({ params: { id: await ticketIn(role) }, body: { to: 'matrix-admin@example.test' } }),
  escalateTicket: async (role) => ({ params: { id: await ticketIn(role) }, body: { reason: 'urgent' } }),
  resolveTicket: async (role) => ({ params: { id: await ticketIn(role) }, body: {} }),
  reopenTicket: async (role) => ({ params: { id: await ticketIn(role, true) }, body: {} }),
  closeTicket: async (role) => ({ params: { id: await ticketIn(role) }, body: { csat: 5 } }),
  checkTicketSla: async () => ({ body: { at: api.clock.now().toISOString() } }),
  getBranding: async (role) => ({ params: { ref: homeTenant(role) } }),
  listBrandingVersions: async (role) => ({ params: { ref: homeTenant(role) } }),
  // a support email needs no white-label, so it succeeds on the starter home tenants
  changeBranding: async (role) => ({ params: { ref: homeTenant(role) }, body: { support_email: `${unique('help')}@example.test` } }),
  rollbackBranding: async (role) => {
    const { ref, token } = await freshTenant(role);
    await api.admin.branding.change(ref, { support_email: 'one@example.test' });
    await api.admin.branding.change(ref, { support_email: 'two@example.test' });
    return { params: { ref, version: '1' }, token };
  },
  // a tenant admin or an instance agent evaluates its own tenant (matrix-home); master_admin names one
  evaluateFlags: async (role) => (role === 'master_admin' ? { query: { tenant: 'matrix-home' } } : {}),
  listFlags: async () => ({}),
  getFlag: async () => ({ params: { key: await freshFlag() } }),
  createFlag: async () => ({ body: { key: unique('matrix-flag'), description: 'matrix' } }),
  setFlag: async () => ({ params: { key: await freshFlag() }, body: { rollout: 25, tenants: ['matrix-home'] } }),
  enableFlag: async () => ({ params: { key: await freshFlag() } }),
  disableFlag: async () => {
    const key = await freshFlag();
    await api.admin.flags.enable(key);
    return { params: { key } };
  },
  deleteFlag: async () => ({ params: { key: await freshFlag() } }),
  listTenantUsers: async (role) => ({ params: { ref: homeTenant(role) } }),
  getTenantUser: (role) => tenantUserIn(role),
  inviteTenantUser: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { params: { ref }, token, body: { email: `${unique('invitee')}@example.test`, role: 'operator' } };
  },
  acceptTenantUserInvite: async (role) => {
    const call = await tenantUserIn(role, 'invited');
    return { ...call, body: { code: call.code } };
  },
  changeTenantUserRole: async (role) => ({ ...(await tenantUserIn(role)), body: { role: 'viewer' } }),
  disableTenantUser: (role) => tenantUserIn(role),
  enableTenantUser: (role) => tenantUserIn(role, 'disabled'),
  removeTenantUser: (role) => tenantUserIn(role),
};

/** A fresh p3 ticket of the role's home tenant, opened by the bootstrap admin (resolved when asked). */
async function ticketIn(role: Role, resolved = false): Promise<string> {
  const ticket = await api.admin.tickets.create({ tenant: homeTenant(role), subject: unique('Ticket'), priority: 'p3' });
  if (resolved) await api.admin.tickets.resolve(ticket.id);
  return ticket.id;
}

/** A new flag, off, made by the bootstrap admin. */
async function freshFlag(): Promise<string> {
  return (await api.admin.flags.create({ key: unique('matrix-flag') })).key;
}

/**
 * An admin of a fresh tenant of the role's scope, in `state`, beside another accepted admin (so
 * the last-admin rule never decides the answer here).
 */
async function tenantUserIn(role: Role, state: 'invited' | 'active' | 'disabled' = 'active') {
  const { ref, token } = await freshTenant(role);
  const users = api.admin.tenantUsers;
  const keeper = await users.invite(ref, { email: 'keeper@example.test', role: 'admin' });
  await users.accept(ref, keeper.user.id, keeper.invite_code);
  const invited = await users.invite(ref, { email: `${unique('person')}@example.test`, role: 'admin' });
  if (state !== 'invited') await users.accept(ref, invited.user.id, invited.invite_code);
  if (state === 'disabled') await users.disable(ref, invited.user.id);
  return { params: { ref, user: invited.user.email }, token, code: invited.invite_code };
}

/** A fresh lead of the matrix reseller, opened by the bootstrap admin. */
async function matrixOpportunity(): Promise<string> {
  return (await api.admin.opportunities.create({ prospect_name: unique('Lead'), region: 'eu-west', value_cents: 5_000, reseller: 'matrix-reseller' })).id;
}

/** A commission event of the matrix's reseller, earned this month (so it may still be disputed). */
async function partnerEvent(): Promise<string> {
  return recordPartnerEvent(api, { reseller: 'matrix-reseller', key: unique('matrix'), period: api.clock.now().toISOString().slice(0, 7) });
}

let payoutId: string | undefined;
/** One payout of the matrix's reseller, made once. */
async function partnerPayout(): Promise<string> {
  if (!payoutId) {
    await recordPartnerEvent(api, { reseller: 'matrix-reseller', key: unique('matrix-paid'), period: '2019-01', eligible_on: '2019-02-01', amount_cents: 25_000 });
    const run = await api.admin.payouts.run({ on: '2019-03-15' });
    payoutId = run.payouts.find((p) => p.status === 'paid')!.id;
  }
  return payoutId;
}

/** A fresh tenant of the role's scope with a starter subscription (and its open first invoice). */
async function subscribedTenant(role: Role) {
  const { ref, token } = await freshTenant(role);
  const subscription = await api.admin.subscriptions.create({ tenant: ref, plan: 'starter' });
  return { ref, token, subscription };
}

/** A quote in the role's scope (a reseller's own; staff see all), moved on by `steps`; others get one they cannot touch. */
async function quoteIn(role: Role, steps: ('submit' | 'view' | 'reject')[] = [], discount = 0) {
  const author = role === 'reseller' || discount > 0 ? api.as(tokens.reseller) : api.admin;
  const quote = await author.quotes.create({
    prospect_name: unique('Prospect'),
    prospect_email: 'buyer@prospect.example',
    plan: 'starter',
    term_months: 12,
    subscribers: 50,
    discount_bps: discount,
  });
  for (const step of steps) {
    if (step === 'submit') await author.quotes.submit(quote.id);
    if (step === 'view') await author.quotes.view(quote.id);
    if (step === 'reject') await author.quotes.reject(quote.id, 'not now');
  }
  return { params: { ref: quote.id } };
}

const quoteTerms = { plan: 'starter', term_months: 12, subscribers: 50 };

/** A backup of the role's home tenant, taken by the bootstrap admin. */
async function homeBackup(role: Role): Promise<string> {
  return (await takeBackup(api, homeTenant(role))).id;
}

const operationId = (route: ApiRoute) => String(route.config.operationId);
const label = (route: ApiRoute) => `${route.config.method.toUpperCase()} ${route.config.path} (${operationId(route)})`;

function pathOf(route: ApiRoute, params: Record<string, string> = {}): string {
  const path = route.config.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${label(route)}: no value for path parameter {${name}}`);
    return encodeURIComponent(value);
  });
  return path;
}

async function prepare(route: ApiRoute, role: Role): Promise<Call> {
  const build = CALLS[operationId(route)];
  if (!build) throw new Error(`${label(route)} has no entry in the role-matrix CALLS map; add one`);
  return build(role);
}

/** The same call made invalid: an unknown body field, and every query parameter out of range. */
function invalidCall(call: Call): Call & { query: Record<string, string> } {
  return { ...call, body: call.body === undefined ? undefined : { ...(call.body as object), unknown_field: true }, query: { limit: '0', tenant: '' } };
}

function send(route: ApiRoute, call: Call, token: string | undefined) {
  return api.as(token).raw(route.config.method.toUpperCase(), pathOf(route, call.params), { body: call.body, query: call.query });
}

beforeAll(async () => {
  healthy = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => healthy.listen(0, '127.0.0.1', resolve));
  healthyUrl = `http://127.0.0.1:${(healthy.address() as AddressInfo).port}`;
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'matrix-reseller', name: 'Matrix Reseller' });
  await api.admin.territories.create({ name: 'Matrix Territory', regions: ['eu-west'] });
  await api.admin.territories.assign('Matrix Territory', { reseller: 'matrix-reseller' });
  await api.admin.tenants.create({ slug: 'matrix-home', name: 'Home' });
  await api.admin.tenants.create({ slug: 'reseller-home', name: 'Reseller Home', reseller: 'matrix-reseller' });
  for (const slug of ['matrix-home', 'reseller-home']) await api.admin.configs.change(slug, { values: { 'billing.currency': 'USD' } });
  tokens.master_admin = (await api.admin.tokens.create({ role: 'master_admin', email: 'matrix-admin@example.test' })).token;
  tokens.tenant_admin = (await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'matrix-home' })).token;
  tokens.reseller = (await api.admin.tokens.create({ role: 'reseller', reseller: 'matrix-reseller' })).token;
  tokens.instance = (await api.admin.tokens.create({ role: 'instance', tenant: 'matrix-home' })).token;
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => healthy.close(resolve));
});

describe('the role matrix covers the route table', () => {
  it('has a call for every route, and no call for a route that no longer exists', () => {
    const ids = ROUTES.map(operationId);
    expect(ids.filter((id) => !(id in CALLS))).toEqual([]);
    expect(Object.keys(CALLS).filter((id) => !ids.includes(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('pins who may call what, so a widened route shows up in review', () => {
    // people: every role but an instance agent's, which may only push metrics
    const everyone = ['master_admin', 'reseller', 'tenant_admin'];
    const staffAndResellers = ['master_admin', 'reseller'];
    const staff = ['master_admin'];
    const admins = ['master_admin', 'tenant_admin'];
    expect(Object.fromEntries(ROUTES.map((route) => [operationId(route), [...route.access].sort()]))).toEqual({
      listTenants: everyone,
      getTenant: everyone,
      createTenant: staffAndResellers,
      updateTenant: everyone,
      suspendTenant: staff,
      resumeTenant: staff,
      deleteTenant: staff,
      listResellers: staffAndResellers,
      getReseller: staffAndResellers,
      createReseller: staff,
      getMe: everyone,
      createToken: staff,
      listTokens: staff,
      revokeToken: staff,
      listAuditEvents: everyone,
      verifyAuditChain: staff,
      getOverview: everyone,
      getSubscribersByPlan: everyone,
      getUptimeByRegion: everyone,
      getTicketsByRegion: everyone,
      listConfigs: everyone,
      getConfig: everyone,
      listConfigVersions: everyone,
      diffConfigs: everyone,
      changeConfigs: ['master_admin', 'tenant_admin'],
      applyConfigs: ['master_admin', 'tenant_admin'],
      rollbackConfigs: ['master_admin', 'tenant_admin'],
      listBackups: everyone,
      createBackup: admins,
      setBackupSchedule: admins,
      getBackupSchedule: admins,
      getBackup: everyone,
      verifyBackup: admins,
      downloadBackup: admins,
      restoreBackup: admins,
      listDeployments: everyone,
      getDeployment: everyone,
      listDeploymentEvents: everyone,
      createDeployment: admins,
      rollbackDeployment: admins,
      scaleTenant: admins,
      listJobs: everyone,
      getJob: everyone,
      retryJob: admins,
      cancelJob: admins,
      pushMetrics: ['instance', 'master_admin'],
      listHealth: everyone,
      getTenantHealth: everyone,
      probeHealth: admins,
      listTerritories: staffAndResellers,
      createTerritory: staff,
      assignTerritory: staff,
      listOpportunities: staffAndResellers,
      createOpportunity: staffAndResellers,
      getOpportunity: staffAndResellers,
      moveOpportunity: staffAndResellers,
      listCustomerHealth: everyone,
      recordNps: everyone,
      updateReseller: staff,
      listResellerTraining: staffAndResellers,
      listResellerKpis: staffAndResellers,
      getResellerKpis: staffAndResellers,
      completeResellerTraining: staff,
      listCommissionRules: staffAndResellers,
      createCommissionRule: staff,
      listCommissions: staffAndResellers,
      explainCommission: staffAndResellers,
      disputeCommission: staffAndResellers,
      resolveCommission: staff,
      runCommissions: staff,
      runPayouts: staff,
      listPayouts: staffAndResellers,
      getPayout: staffAndResellers,
      getCommissionStatement: staffAndResellers,
      getPriceBook: everyone,
      publishPriceBook: staff,
      listPlans: everyone,
      createSubscription: staff,
      listSubscriptions: everyone,
      getSubscription: everyone,
      changeSubscriptionPlan: staff,
      cancelSubscription: staff,
      recordUsage: ['instance', 'master_admin'],
      showUsage: everyone,
      runBilling: staff,
      listInvoices: everyone,
      getInvoice: everyone,
      payInvoice: staff,
      refundInvoice: staff,
      voidInvoice: staff,
      onboardTenant: staff,
      listQuotes: staffAndResellers,
      createQuote: staffAndResellers,
      previewQuote: staffAndResellers,
      getQuote: staffAndResellers,
      updateQuote: staffAndResellers,
      submitQuote: staffAndResellers,
      approveQuote: staff,
      refuseQuote: staff,
      sendQuote: staffAndResellers,
      viewQuote: staffAndResellers,
      acceptQuote: staffAndResellers,
      rejectQuote: staffAndResellers,
      reviseQuote: staffAndResellers,
      cancelQuote: staffAndResellers,
      listTickets: everyone,
      createTicket: admins,
      getTicket: everyone,
      commentTicket: admins,
      assignTicket: staff,
      escalateTicket: admins,
      resolveTicket: admins,
      reopenTicket: admins,
      closeTicket: admins,
      checkTicketSla: staff,
      getBranding: everyone,
      listBrandingVersions: everyone,
      changeBranding: admins,
      rollbackBranding: admins,
      evaluateFlags: ['instance', 'master_admin', 'tenant_admin'],
      listFlags: staff,
      getFlag: staff,
      createFlag: staff,
      setFlag: staff,
      enableFlag: staff,
      disableFlag: staff,
      deleteFlag: staff,
      listTenantUsers: ['master_admin', 'reseller', 'tenant_admin'],
      getTenantUser: ['master_admin', 'reseller', 'tenant_admin'],
      inviteTenantUser: admins,
      acceptTenantUserInvite: admins,
      changeTenantUserRole: admins,
      disableTenantUser: admins,
      enableTenantUser: admins,
      removeTenantUser: admins,
    });
  });

  it('knows all four roles', () => {
    expect([...ROLES].sort()).toEqual(['instance', 'master_admin', 'reseller', 'tenant_admin']);
  });

  it('lets an instance token call nothing but its tenant\'s metrics, usage and flags', () => {
    expect(ROUTES.filter((route) => route.access.includes('instance')).map(operationId)).toEqual(['pushMetrics', 'recordUsage', 'evaluateFlags']);
  });
});

for (const route of ROUTES) {
  describe(label(route), () => {
    for (const role of ROLES) {
      if (route.access.includes(role)) {
        it(`lets ${role} through`, async () => {
          const call = await prepare(route, role);
          const res = await send(route, call, call.token ?? tokens[role]);
          expect(res.status, `${role} → ${res.status} ${res.body}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `${role} → ${res.status} ${res.body}`).toBeLessThan(300);
        });
      } else {
        it(`refuses ${role} with 403 and changes nothing`, async () => {
          const call = await prepare(route, role);
          const before = await auditCount(api);
          const res = await send(route, call, call.token ?? tokens[role]);
          expectProblem(res, 403, 'forbidden');
          expect(await auditCount(api)).toBe(before);
        });

        it(`refuses ${role} with 403 before looking at the request`, async () => {
          const call = await prepare(route, role);
          expectProblem(await send(route, invalidCall(call), call.token ?? tokens[role]), 403, 'forbidden');
        });
      }
    }

    it('refuses a caller without a token with 401', async () => {
      const call = await prepare(route, 'master_admin');
      const before = await auditCount(api);
      const res = await send(route, call, undefined);
      expectProblem(res, 401, 'unauthorized');
      expect(await auditCount(api)).toBe(before);
    });

    it('refuses a caller without a token with 401 before looking at the request', async () => {
      const call = await prepare(route, 'master_admin');
      expectProblem(await send(route, invalidCall(call), undefined), 401, 'unauthorized');
    });
  });
}
