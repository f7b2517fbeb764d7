import fc from 'fast-check';
import { PRICE_BOOK_2025_1 } from '../../../src/server/modules/pricebook/book.js';
import { SEEDED_USER_EMAILS, type RefKind, type SymbolicRef } from './world.js';

const pick = (body: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(body).filter(([key]) => keys.includes(key)));

function monthsAgo(back: number): string {
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return month.toISOString().slice(0, 7);
}

/**
 * What the fuzz puts where a request names an object. Path parameters are keyed by the
 * collection they address and their name ("tenants.ref" in /v1/tenants/{ref}/suspend): a route
 * whose path parameter has no recipe here fails the fuzz, since pure schema strings would only
 * ever find "not found". Body and query fields that name objects have recipes too, optional:
 * without one a field gets only what its schema generates.
 */

export type PathValue = SymbolicRef | { literal: string; raw: boolean };

const ref = (kind: RefKind, form?: 'slug' | 'id'): fc.Arbitrary<SymbolicRef> =>
  fc.record({ '@ref': fc.constant(kind), pick: fc.nat({ max: 40 }), form: form ? fc.constant(form) : fc.constantFrom('slug' as const, 'id' as const), own: fc.boolean() });

const GARBAGE_TEXT = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ minLength: 101, maxLength: 300 }),
  fc.constantFrom(
    ...['', ' ', '.', '..', '%', '%2F', '%zz', '%00', '\u0000', 'a/b', '?', '#', '\u202e', '😀', 'null', '0', '-1'],
    ...['ten_', 'res_', 'tok_', 'usr_', 'bak_', 'bak_00000000000000000000000000', 'ten_00000000000000000000000000', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz', "x' or '1'='1", 'FZ-DIRECT', 'fz-direct '],
  ),
);

/** Garbage in a path segment, percent-encoded or (sometimes) exactly as written. */
const garbageSegment: fc.Arbitrary<PathValue> = fc.record({ literal: GARBAGE_TEXT, raw: fc.boolean() });

const aimed = (...ways: [number, fc.Arbitrary<PathValue>][]) => fc.oneof(...ways.map(([weight, arbitrary]) => ({ weight, arbitrary })));

export const PATH_RECIPES: Record<string, fc.Arbitrary<PathValue>> = {
  'tenants.ref': aimed([6, ref('tenant')], [1, ref('reseller')], [3, garbageSegment]),
  'resellers.ref': aimed([6, ref('reseller')], [1, ref('tenant')], [3, garbageSegment]),
  'tokens.jti': aimed([6, ref('token')], [1, ref('user')], [3, garbageSegment]),
  // keys the fuzz world sets on every tenant, known and free, and ones no tenant has
  'keys.key': aimed(
    [6, fc.constantFrom('billing.currency', 'network.radius_secret', 'branding.motto', 'security.mfa_required').map((literal) => ({ literal, raw: false }))],
    [1, fc.constantFrom('billing.unset_key', 'versions', 'apply', 'network.max_subscribers').map((literal) => ({ literal, raw: false }))],
    [3, garbageSegment],
  ),
  'versions.version': aimed([6, fc.integer({ min: 1, max: 4 }).map((n) => ({ literal: String(n), raw: false }))], [3, garbageSegment]),
  'backups.backup': aimed([7, ref('backup')], [1, ref('tenant')], [2, garbageSegment]),
  'deployments.id': aimed([6, ref('deployment')], [1, ref('job')], [3, garbageSegment]),
  'jobs.id': aimed([6, ref('job')], [1, ref('deployment')], [3, garbageSegment]),
  'instances.tenant': aimed([6, ref('tenant')], [1, ref('reseller')], [3, garbageSegment]),
  'territories.ref': aimed([6, ref('territory')], [1, ref('reseller')], [3, garbageSegment]),
  'opportunities.id': aimed([6, ref('opportunity')], [1, ref('tenant')], [3, garbageSegment]),
  'commissions.id': aimed([6, ref('commission')], [1, ref('payout')], [3, garbageSegment]),
  'payouts.id': aimed([6, ref('payout')], [1, ref('commission')], [3, garbageSegment]),
  'statements.period': aimed(
    [6, fc.constantFrom('2019-01', '2019-03', '2026-01', '2026-12', '2030-06').map((literal) => ({ literal, raw: false }))],
    [1, fc.constantFrom('2026-13', '2026-1', '26-01', 'Q1').map((literal) => ({ literal, raw: false }))],
    [3, garbageSegment],
  ),
  'subscriptions.id': aimed([6, ref('subscription')], [1, ref('invoice')], [3, garbageSegment]),
  'invoices.id': aimed([6, ref('invoice')], [1, ref('subscription')], [3, garbageSegment]),
  'quotes.ref': aimed([6, ref('quote')], [1, ref('tenant')], [3, garbageSegment]),
  'tickets.id': aimed([6, ref('ticket')], [1, ref('tenant')], [3, garbageSegment]),
  // keys the world holds (and "evaluate", which no flag may have), and ones nobody has
  'flags.key': aimed(
    [6, ref('flag')],
    [1, fc.constantFrom('evaluate', 'no-such-flag', 'FZ-KEEP-0', 'fz-keep-0.').map((literal) => ({ literal, raw: false }))],
    [3, garbageSegment],
  ),
  'users.user': aimed([6, ref('tenant-user')], [1, ref('tenant')], [3, garbageSegment]),
};

/** The tenant users' verbs aim mostly at the tenants seeded with people. */
const usersTenant = { ref: aimed([6, ref('users-tenant')], [2, ref('tenant')], [2, garbageSegment]) };

/** A real calendar day from 2019 to 2026, as the partner routes take them. */
const pastDay = fc.integer({ min: 0, max: 2_850 }).map((n) => new Date(Date.UTC(2019, 0, 1 + n)).toISOString().slice(0, 10));

/** Where one operation's path parameter wants other objects than its collection's recipe aims at. */
export const PATH_RECIPES_BY_OPERATION: Record<string, Record<string, fc.Arbitrary<PathValue>>> = {
  // scaling needs a tenant that has deployed and has nothing in progress
  scaleTenant: { ref: aimed([6, ref('deployed-tenant', 'id')], [3, ref('tenant')], [2, garbageSegment]) },
  // an invoice in the state the verb takes (an open one to pay or void, a paid one to refund), else any
  payInvoice: { id: aimed([6, ref('open-invoice')], [2, ref('invoice')], [2, garbageSegment]) },
  // deletes spare the seeded fz-keep flags while others remain, so the other flag verbs always find one
  deleteFlag: { key: aimed([6, ref('deletable-flag')], [1, ref('flag')], [3, garbageSegment]) },
  voidInvoice: { id: aimed([6, ref('open-invoice')], [2, ref('invoice')], [2, garbageSegment]) },
  refundInvoice: { id: aimed([6, ref('paid-invoice')], [2, ref('invoice')], [2, garbageSegment]) },
  // the quote verbs that need a state aim mostly at quotes in it
  updateQuote: { ref: aimed([6, ref('quote-editable')], [2, ref('quote')], [2, garbageSegment]) },
  submitQuote: { ref: aimed([6, ref('quote-draft')], [2, ref('quote')], [2, garbageSegment]) },
  // a restore needs a tenant that is not cancelled and has no deployment in progress
  restoreBackup: { backup: aimed([6, ref('restorable-backup')], [2, ref('backup')], [2, garbageSegment]) },
  approveQuote: { ref: aimed([6, ref('quote-pending')], [2, ref('quote')], [2, garbageSegment]) },
  refuseQuote: { ref: aimed([6, ref('quote-refusable')], [2, ref('quote-pending')], [2, garbageSegment]) },
  sendQuote: { ref: aimed([6, ref('quote-approved')], [2, ref('quote')], [2, garbageSegment]) },
  viewQuote: { ref: aimed([6, ref('quote-sent')], [2, ref('quote')], [2, garbageSegment]) },
  acceptQuote: { ref: aimed([6, ref('quote-sent')], [2, ref('quote')], [2, garbageSegment]) },
  rejectQuote: { ref: aimed([6, ref('quote-sent')], [2, ref('quote')], [2, garbageSegment]) },
  // the ticket verbs aim mostly at tickets in the state they take
  commentTicket: { id: aimed([6, ref('open-ticket')], [2, ref('ticket')], [2, garbageSegment]) },
  assignTicket: { id: aimed([6, ref('open-ticket')], [2, ref('ticket')], [2, garbageSegment]) },
  escalateTicket: { id: aimed([6, ref('escalatable-ticket')], [2, ref('ticket')], [2, garbageSegment]) },
  resolveTicket: { id: aimed([6, ref('open-ticket')], [2, ref('ticket')], [2, garbageSegment]) },
  closeTicket: { id: aimed([6, ref('open-ticket')], [2, ref('ticket')], [2, garbageSegment]) },
  reopenTicket: { id: aimed([6, ref('resolved-ticket')], [2, ref('ticket')], [2, garbageSegment]) },
  listTenantUsers: usersTenant,
  getTenantUser: usersTenant,
  inviteTenantUser: usersTenant,
  changeTenantUserRole: usersTenant,
  disableTenantUser: usersTenant,
  enableTenantUser: usersTenant,
  removeTenantUser: usersTenant,
  // an invite whose code the world kept: its tenant, its email (the code is in the body)
  acceptTenantUserInvite: {
    ref: aimed([6, ref('invite-tenant')], [1, ref('tenant')], [1, garbageSegment]),
    user: aimed([6, ref('invite-user')], [1, ref('tenant-user')], [1, garbageSegment]),
  },
};

/** The recipe key of a path parameter: the collection segment before it, and its name. */
export function pathRecipeKey(path: string, param: string): string {
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return `${segments[at - 1] ?? ''}.${param}`;
}

type FieldRecipe = (schemaValues: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>;
/** One part values from the schema, three parts real references. */
const mixed =
  (...refs: fc.Arbitrary<unknown>[]): FieldRecipe =>
  (schemaValues) =>
    fc.oneof({ weight: 1, arbitrary: schemaValues }, { weight: 3, arbitrary: fc.oneof(...refs) });

/** Body and query fields, by name, that name an object: schema values mixed with real ones. */
export const FIELD_RECIPES: Record<string, FieldRecipe> = {
  reseller: mixed(ref('reseller')),
  tenant: mixed(ref('tenant')),
  to: mixed(ref('deployment')),
  target: mixed(ref('tenant'), ref('reseller'), ref('token'), ref('user')),
  cursor: mixed(ref('tenant-cursor'), ref('seq-cursor')),
  // configuration values: known keys with good and bad values, free keys, near-misses of known keys
  values: (schemaValues) =>
    fc.oneof(
      { weight: 1, arbitrary: schemaValues },
      {
        weight: 3,
        arbitrary: fc.dictionary(
          fc.constantFrom('billing.currency', 'network.radius_secret', 'security.session_timeout_minutes', 'security.mfa_required', 'branding.motto', 'network.max_subscribers', 'network.radius_secet', 'nope.key'),
          fc.oneof(fc.constantFrom('USD', 'usd', 30, 2, true, 'a-long-enough-secret', { en: 'x' }, null, 1000), fc.jsonValue({ maxDepth: 2 })),
          { maxKeys: 4 },
        ),
      },
    ),
  unset: (schemaValues) => fc.oneof(schemaValues, fc.array(fc.constantFrom('billing.currency', 'branding.motto', 'network.max_subscribers', 'billing.nothing'), { maxLength: 3 })),
  // the seeded territories' regions (fz-alpha holds fz-north, fz-beta fz-south), and one nobody holds
  region: (schemaValues) => fc.oneof({ weight: 1, arbitrary: schemaValues }, { weight: 3, arbitrary: fc.constantFrom('fz-north', 'fz-south', 'fz-shared', 'fz-nowhere') }),
  // a flag's rollout (a percentage to 0.01: the schema's own numbers are mostly finer) and its tenant lists
  rollout: (schemaValues) => fc.oneof({ weight: 1, arbitrary: schemaValues }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 10_000 }).map((bps) => bps / 100) }),
  tenants: (schemaValues) => fc.oneof({ weight: 1, arbitrary: schemaValues }, { weight: 3, arbitrary: fc.array(ref('tenant'), { maxLength: 3 }) }),
  except: (schemaValues) => fc.oneof({ weight: 1, arbitrary: schemaValues }, { weight: 3, arbitrary: fc.array(ref('tenant'), { maxLength: 2 }) }),
  slug: (schemaValues) => fc.oneof({ weight: 4, arbitrary: schemaValues }, { weight: 1, arbitrary: ref('tenant', 'slug') }, { weight: 1, arbitrary: ref('reseller', 'slug') }),
};

/**
 * Operations that make what another needs (a draft for an edit): when an operation never
 * succeeded in the runs, its extra tries take turns with these, in case the runs used up every
 * object it can act on.
 */
export const FEEDERS: Record<string, string[]> = {
  updateQuote: ['createQuote'],
  submitQuote: ['createQuote'],
  approveQuote: ['createQuote', 'submitQuote'],
  refuseQuote: ['createQuote', 'submitQuote'],
  sendQuote: ['createQuote', 'submitQuote', 'approveQuote'],
  viewQuote: ['createQuote', 'submitQuote'],
  acceptQuote: ['createQuote', 'submitQuote'],
  rejectQuote: ['createQuote', 'submitQuote'],
  reviseQuote: ['createQuote', 'submitQuote', 'rejectQuote'],
  cancelQuote: ['createQuote'],
  moveOpportunity: ['createOpportunity'],
  restoreBackup: ['createBackup'],
  // a price book published from the schema's own values may offer none of the plans the recipes
  // quote: a later whole book makes them offered again
  createQuote: ['publishPriceBook'],
  previewQuote: ['publishPriceBook'],
  onboardTenant: ['publishPriceBook'],
};

/**
 * Bodies whose fields only work together (a token's role and its scope), by operationId: mixed
 * with the schema's own values, so that the fuzz also reaches the operation's success.
 */
export const BODY_RECIPES: Record<string, (valid: fc.Arbitrary<Record<string, unknown>>) => fc.Arbitrary<unknown>> = {
  // a shape that mostly fits the limits, so that scaling gets through
  scaleTenant: (valid) =>
    fc
      .tuple(valid, fc.integer({ min: 1, max: 3 }), fc.constantFrom(undefined, 'small', 'medium'))
      .map(([body, replicas, size]) => ({ ...body, replicas, ...(size ? { size } : {}) })),
  // a shape within the limits and mostly no endpoint (random text is no URL, and only master may
  // give one), so that creates get through often enough with more callers and routes to share the run
  createDeployment: (valid) =>
    fc
      .tuple(valid, fc.nat({ max: 3 }), fc.integer({ min: 1, max: 2 }), fc.constantFrom(undefined, 'small', 'medium'))
      .map(([body, keep, replicas, size]) => {
        const { endpoint, replicas: _replicas, size: _size, ...rest } = body;
        return { ...rest, replicas, ...(size ? { size } : {}), ...(keep === 0 && endpoint !== undefined ? { endpoint } : {}) };
      }),
  // a tenant that has deployments, and mostly no `to`: the default rollback
  rollbackDeployment: (valid) =>
    fc.tuple(valid, ref('deployed-tenant'), fc.boolean()).map(([body, tenant, keepTo]) => {
      const { to, ...rest } = body;
      return { ...rest, tenant, ...(keepTo && to !== undefined ? { to } : {}) };
    }),
  // mostly batches that fit the metrics' bounds, so that pushes get through; the schema's own values test the refusals
  pushMetrics: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: valid },
      {
        weight: 2,
        arbitrary: fc.record({
          points: fc.array(
            fc.oneof(
              fc.record({ metric: fc.constantFrom('cpu', 'memory', 'disk'), value: fc.double({ min: 0, max: 100, noNaN: true }) }),
              fc.record({ metric: fc.constant('subscribers'), value: fc.nat({ max: 1_000_000 }) }),
              fc.record({ metric: fc.constant('bandwidth_mbps'), value: fc.double({ min: 0, max: 100_000, noNaN: true }) }),
            ),
            { minLength: 1, maxLength: 20 },
          ),
        }),
      },
    ),
  // a name of its own (taken names are 409) and codes that are regions
  createTerritory: (valid) =>
    fc
      .tuple(valid, fc.nat({ max: 1_000_000 }), fc.array(fc.constantFrom('fz-north', 'fz-south', 'fz-east', 'us-east'), { minLength: 1, maxLength: 3 }))
      .map(([body, n, regions]) => ({ ...body, name: `Fuzz territory ${n}`, regions })),
  // a region and the reseller that holds it now (the fuzz reassigns territories), so that opening gets through
  createOpportunity: (valid) =>
    fc
      .tuple(valid, fc.nat({ max: 40 }), fc.boolean(), fc.nat({ max: 10_000_000 }))
      .map(([body, pick, own, value_cents]) => ({
        ...body,
        region: { '@ref': 'held-region', pick, form: 'slug', own },
        reseller: { '@ref': 'territory-holder', pick, form: 'slug', own },
        value_cents,
      })),
  // a real past day, mostly: a run of that day can succeed
  runCommissions: (valid) => fc.tuple(valid, fc.nat({ max: 3 })).map(([, back]) => ({ period: monthsAgo(back) })),
  runPayouts: (valid) => fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: pastDay.map((on) => ({ on })) }),
  // real days in order, mostly, so that rules get created
  createCommissionRule: (valid) =>
    fc.tuple(valid, pastDay, fc.option(fc.integer({ min: 0, max: 400 }))).map(([body, from, length]) => {
      const { active_from: _from, active_to: _to, ...rest } = body;
      return { ...rest, active_from: from, ...(length === null ? {} : { active_to: new Date(Date.parse(from) + length * 86_400_000).toISOString().slice(0, 10) }) };
    }),
  completeResellerTraining: (valid) =>
    fc.tuple(valid, fc.option(pastDay)).map(([body, on]) => {
      const { on: _on, ...rest } = body;
      return { ...rest, ...(on === null ? {} : { on }) };
    }),
  // a whole price book under a fresh version, so that a publish gets through
  publishPriceBook: (valid) => fc.tuple(valid, fc.nat({ max: 1_000_000 })).map(([, n]) => ({ ...PRICE_BOOK_2025_1, version: `fz.${n}` })),
  // a tenant without a subscription in force, a plan and add-ons of the book
  createSubscription: (valid) =>
    fc
      .tuple(valid, ref('unsubscribed-tenant'), fc.constantFrom('starter', 'professional', 'enterprise'), fc.subarray(['sandbox', 'premium-support']), fc.constantFrom(1, 12), fc.boolean())
      .map(([body, tenant, plan, addons, term_months, trial]) => ({ ...pick(body, ['subscribers']), tenant, plan, addons, term_months, trial, price_book_version: '2025.1' })),
  changeSubscriptionPlan: (valid) =>
    fc.tuple(valid, fc.constantFrom(undefined, 'starter', 'professional', 'enterprise'), fc.subarray(['extended-backups', 'white-label'])).map(([, plan, add_addons]) => ({ ...(plan ? { plan } : {}), add_addons })),
  cancelSubscription: (valid) => fc.tuple(valid, fc.constant({})).map(([, body]) => body),
  recordUsage: (valid) =>
    fc.tuple(valid, fc.nat({ max: 10_000 }), fc.nat({ max: 500 })).map(([, subscribers, users]) => ({ subscribers, users })),
  // this month or one of the two before it
  runBilling: (valid) => fc.tuple(valid, fc.nat({ max: 2 })).map(([, back]) => ({ period: monthsAgo(back) })),
  payInvoice: (valid) => fc.tuple(valid, fc.constant(undefined)).map(() => ({ on: new Date().toISOString().slice(0, 10) })),
  refundInvoice: (valid) => fc.tuple(valid, fc.constantFrom(undefined, 1, 100)).map(([, amount]) => ({ on: new Date().toISOString().slice(0, 10), ...(amount ? { amount_cents: amount } : {}) })),
  voidInvoice: (valid) => fc.tuple(valid, fc.constant({})).map(([, body]) => body),
  // terms the price book offers, mostly, so that quotes and onboarding get through as well as refused
  // mostly in a region the caller holds now (the fuzz moves territories), so a reseller's quote gets through as well as refused;
  // 800 bps is over a reseller's authority and within staff's 1,000, so its quotes wait for an approval staff can give or refuse
  // and sometimes a plain prospect quote there, so that one gets through as well as refused
  createQuote: (valid) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.tuple(validTerms(valid), fc.boolean(), fc.oneof(fc.constant(undefined), fc.nat({ max: 40 }).map((pick): SymbolicRef => ({ '@ref': 'held-region', pick, form: 'slug', own: true })))).map(([body, prospect, region]) => {
          if (typeof body !== 'object' || body === null) return body;
          const placed = region === undefined ? body : { ...(body as object), region };
          return prospect ? { ...(placed as object), prospect_name: 'Fuzz Prospect', prospect_email: 'buyer@fz.test', tenant: undefined } : placed;
        }),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(1, 12, 24, 36).map((term_months) => ({ prospect_name: 'Fuzz Prospect', prospect_email: 'buyer@fz.test', plan: 'starter', term_months, subscribers: 50, region: 'fz-shared' })),
      },
    ),
  previewQuote: (valid) => validTerms(valid),
  updateQuote: (valid) => validTerms(valid),
  // a fresh slug and a name, mostly, so that onboarding gets through as well as refused
  onboardTenant: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: validTerms(valid) },
      // a plan of the newest price book, which the fuzz's own publishes may have replaced
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.nat({ max: 1_000_000 }), fc.option(ref('reseller'), { nil: undefined }), fc.nat({ max: 40 }))
          .map(([n, reseller, pick]) => ({
            name: 'Fuzz Onboarded',
            slug: `fz-onb-${n}`,
            plan: { '@ref': 'newest-plan', pick, form: 'slug', own: false },
            term_months: { '@ref': 'newest-term', pick, form: 'slug', own: false },
            subscribers: 50,
            ...(reseller ? { reseller } : {}),
          })),
      },
    ),
  // mostly no date (today) and a fresh slug or none: the schema's own values test the refusals
  acceptQuote: (valid) => fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: fc.option(fc.nat({ max: 1_000_000 }), { nil: undefined }).map((n) => (n === undefined ? {} : { slug: `fz-acc-${n}` })) }),
  // a key of its own, mostly (a taken one is 409; the schema's own values test the refusals)
  createFlag: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: valid },
      { weight: 3, arbitrary: fc.tuple(fc.nat({ max: 1_000_000 }), fc.option(fc.constantFrom('A flag', 'Nouvelle facturation', ''), { nil: undefined })).map(([n, description]) => ({ key: `fz-new.${n}`, ...(description === undefined ? {} : { description }) })) },
      { weight: 1, arbitrary: fc.constantFrom('fz-keep-0', 'fz-flag-1').map((key) => ({ key })) },
    ),
  // a rollout in range (whole or to 0.01) and real tenants, mostly; sometimes out of range or unknown tenants
  setFlag: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: valid },
      {
        weight: 3,
        arbitrary: fc
          .record(
            {
              rollout: fc.oneof(
                { weight: 4, arbitrary: fc.integer({ min: 0, max: 100 }) },
                { weight: 4, arbitrary: fc.integer({ min: 0, max: 10_000 }).map((bps) => bps / 100) },
                { weight: 1, arbitrary: fc.constantFrom(-1, 100.5, 12.345) },
              ),
              tenants: fc.array(ref('tenant'), { maxLength: 3 }),
              except: fc.array(fc.oneof({ weight: 9, arbitrary: ref('tenant') }, { weight: 1, arbitrary: fc.constant('no-such-tenant') }), { maxLength: 2 }),
            },
            { requiredKeys: [] },
          )
          .filter((body) => Object.keys(body).length > 0),
      },
    ),
  // a tenant that is not cancelled (or none: a tenant admin's own), a subject and a priority that are valid, mostly
  createTicket: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: valid },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.option(ref('live-tenant'), { nil: undefined }), fc.constantFrom('p1', 'p2', 'p3', 'p4'), fc.nat({ max: 1_000_000 }), fc.option(fc.constantFrom('details\nhere', 'short'), { nil: undefined }))
          .map(([tenant, priority, n, body]) => ({ ...(tenant ? { tenant } : {}), subject: `Fuzz ticket ${n}`, priority, ...(body ? { body } : {}) })),
      },
    ),
  commentTicket: (valid) => fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: fc.constantFrom('on it', 'line one\nline two').map((body) => ({ body })) }),
  // a staff member's email, mostly (the fuzz world's master_admin users)
  assignTicket: (valid) => fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: fc.constantFrom('fuzz@fz.test', 'approver@fz.test', 'admin@dotmac.local', 'nobody@fz.test').map((to) => ({ to })) }),
  closeTicket: (valid) => fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }).map((csat) => (csat ? { csat } : {})) }),
  // mostly good values: a support email succeeds anywhere, the white-label fields where the tenant holds
  // white-label (fz-alpha-one, the tenant admin's first home), hostile CSS is stripped, not refused
  changeBranding: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: valid },
      {
        weight: 3,
        arbitrary: fc.record(
          {
            support_email: fc.constantFrom('help@fz.test', 'care@fz.test', null),
            company_name: fc.constantFrom('Fuzz ISP', 'Fuzz ✓ Fibre', null),
            primary_color: fc.constantFrom('#0a66c2', '#FFF', 'red', null),
            logo_url: fc.constantFrom('https://cdn.fz.test/logo.svg', 'javascript:alert(1)', null),
            custom_css: fc.constantFrom('h1{color:red}', '@import "x.css"; p{margin:0}', 'a{width:expression(alert(1))}', null),
          },
          { requiredKeys: ['support_email'] },
        ),
      },
    ),
  // the seeded people's emails (re-inviting a removed one, or an open invite, gets through) and new ones
  inviteTenantUser: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: valid },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.oneof(fc.constantFrom(...SEEDED_USER_EMAILS), fc.nat({ max: 1_000_000 }).map((n) => `fz-new-${n}@FZ.test`)), fc.constantFrom('admin', 'operator', 'viewer'))
          .map(([email, role]) => ({ email, role })),
      },
    ),
  acceptTenantUserInvite: (valid) => fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: ref('invite-code').map((code) => ({ code })) }),
  createToken: (valid) =>
    fc
      .tuple(valid, fc.oneof(fc.constant({ role: 'master_admin' }), ref('tenant').map((tenant) => ({ role: 'tenant_admin', tenant })), ref('tenant').map((tenant) => ({ role: 'instance', tenant })), ref('reseller').map((reseller) => ({ role: 'reseller', reseller }))))
      .map(([body, scope]) => {
        const { role: _role, tenant: _tenant, reseller: _reseller, ...rest } = body;
        return { ...rest, ...scope };
      }),
};

function validTerms(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: valid },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom('starter', 'professional', 'enterprise', 'custom'), fc.constantFrom(1, 12, 24, 36), fc.nat({ max: 6000 }), fc.constantFrom(0, 300, 500, 800, 1500, 4000, 4001))
        .map(([body, plan, term_months, subscribers, discount_bps]) => {
          const { addons: _a, platform_fee_cents: _p, setup_fee_cents: _s, waive_setup: _w, price_book_version: _v, valid_days: _d, ...rest } = body;
          return { ...rest, plan, term_months, subscribers, discount_bps, ...(plan === 'custom' ? { platform_fee_cents: 250_000 } : {}) };
        }),
    },
  );
}
