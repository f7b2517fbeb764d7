import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../src/client/api-client.js';
import { ApiError } from '../../../../src/client/errors.js';
import { addDays } from '../../../../src/core/calendar.js';
import { startTestApi, type TestApi } from '../../../support/harness.js';
import { expireDueQuotes } from '../../../../src/server/modules/quotes/expiry.js';
import { PRICE_BOOK_2025_1 } from '../../../../src/server/modules/pricebook/book.js';

let api: TestApi;
let north: ApiClient;
let south: ApiClient;
let dealDesk: ApiClient;
let manager: ApiClient;
const DAY = 86_400_000;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'north', name: 'North' });
  await api.admin.resellers.create({ slug: 'south', name: 'South' });
  // A reseller's quotes are limited to its territories: north sells in Europe and the US east, south in Europe.
  await api.admin.territories.create({ name: 'North lands', regions: ['eu-west', 'us-east'] });
  await api.admin.territories.assign('North lands', { reseller: 'north' });
  await api.admin.territories.create({ name: 'South lands', regions: ['eu-west'] });
  await api.admin.territories.assign('South lands', { reseller: 'south' });
  north = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'north' })).token);
  south = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'south' })).token);
  dealDesk = api.as((await api.admin.tokens.create({ role: 'master_admin', email: 'desk@example.com', discount_authority_bps: 4000 })).token);
  manager = api.as((await api.admin.tokens.create({ role: 'master_admin', email: 'manager@example.com', discount_authority_bps: 2000 })).token);
});
afterAll(() => api.close());

const prospect = { prospect_name: 'FiberNet Ltd', prospect_email: 'buyer@fibernet.example' };

describe('a quote', () => {
  it('shows every line, the monthly total and the first invoice as COMMERCE.md prices them', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'professional', term_months: 12, subscribers: 1800, addons: ['premium-support'] });
    expect(quote).toMatchObject({ status: 'draft', revision: 1, plan: 'professional', price_book_version: '2025.1', reseller_slug: 'north' });
    expect(quote.number).toMatch(/^Q-[0-9A-Z]{8}$/);
    const sum = quote.lines.reduce((t, l) => t + l.amount_cents, 0);
    expect(sum).toBe(quote.first_invoice_cents);
    expect(quote.lines.filter((l) => l.recurring).reduce((t, l) => t + l.amount_cents, 0)).toBe(quote.monthly_cents);
    expect(quote.lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['platform_fee', 'band', 'addon', 'term_discount', 'setup']));
    expect(quote.valid_until).toBe(new Date(api.clock.now().getTime() + 30 * DAY).toISOString().slice(0, 10));
    expect(await north.quotes.get(quote.number)).toMatchObject({ id: quote.id });
  });

  it('flags subscribers over the hard cap with upgrade_required and a warning, not a silent price', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 1, subscribers: 300 });
    expect(quote.flags).toEqual(['upgrade_required']);
    expect(quote.warnings[0]).toMatch(/hard cap of 250/);
  });

  it('refuses an unknown plan, an unknown add-on, a term not offered and a discount over 4,000 bps, writing nothing', async () => {
    const before = (await api.admin.quotes.list({ limit: 100 })).data.length;
    expect((await failure(north.quotes.create({ ...prospect, plan: 'platinum', term_months: 12, subscribers: 10 }))).message).toMatch(/unknown plan/);
    expect((await failure(north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, addons: ['jetpack'] }))).status).toBe(400);
    expect((await failure(north.quotes.create({ ...prospect, plan: 'starter', term_months: 6, subscribers: 10 }))).status).toBe(400);
    expect((await failure(dealDesk.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, discount_bps: 4001 }))).status).toBe(400);
    expect((await failure(north.quotes.create({ plan: 'starter', term_months: 12, subscribers: 10 }))).message).toMatch(/prospect/);
    expect((await api.admin.quotes.list({ limit: 100 })).data.length).toBe(before);
  });

  it('is seen only by its reseller and staff (404 for another reseller)', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 50 });
    expect((await failure(south.quotes.get(quote.id))).status).toBe(404);
    expect((await failure(south.quotes.submit(quote.id))).status).toBe(404);
    expect((await failure(south.quotes.cancel(quote.number))).status).toBe(404);
    expect((await south.quotes.list()).data.map((q) => q.id)).not.toContain(quote.id);
    expect((await api.admin.quotes.get(quote.id)).id).toBe(quote.id);
  });
});

describe('discount authority and approval', () => {
  it('sends a draft within the author\'s authority at once', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 50, discount_bps: 500 });
    const sent = await north.quotes.submit(quote.id);
    expect(sent.value.status).toBe('sent');
  });

  it('asks for approval over it; the approver must not be the author and must have the authority', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'professional', term_months: 12, subscribers: 1500, discount_bps: 1500 });
    expect((await north.quotes.submit(quote.id)).value.status).toBe('pending_approval');
    expect((await failure(north.quotes.approve(quote.id))).status).toBe(403); // resellers do not approve
    expect((await failure(api.admin.quotes.approve(quote.id))).message).toMatch(/needs 1500 bps.*yours is 1000/);
    const approved = await manager.quotes.approve(quote.id);
    expect(approved.value).toMatchObject({ status: 'approved', approved_by: expect.any(String) });
    // an edit voids the approval
    const edited = await north.quotes.update(quote.id, { subscribers: 1600 });
    expect(edited.value).toMatchObject({ status: 'draft', approved_by: null });
    expect((await north.quotes.submit(quote.id)).value.status).toBe('pending_approval');
    const refused = await manager.quotes.refuse(quote.id, 'too deep for this size');
    expect(refused.value).toMatchObject({ status: 'draft', refusal_reason: 'too deep for this size' });
  });

  it('asks for approval over the author\'s authority, whoever submits it', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 50, discount_bps: 800 });
    expect(quote.author_authority_bps).toBe(500);
    expect((await dealDesk.quotes.submit(quote.id)).value.status).toBe('pending_approval');
  });

  it('needs 2,000 for a setup waiver and 4,000 for the custom plan; the author cannot approve its own', async () => {
    const waived = await manager.quotes.create({ ...prospect, plan: 'professional', term_months: 12, subscribers: 900, waive_setup: true });
    expect(waived.required_authority_bps).toBe(2000);
    expect((await manager.quotes.submit(waived.id)).value.status).toBe('sent');
    const custom = await manager.quotes.create({ ...prospect, plan: 'custom', term_months: 36, subscribers: 90000, platform_fee_cents: 300000 });
    expect((await manager.quotes.submit(custom.id)).value.status).toBe('pending_approval');
    expect((await failure(manager.quotes.approve(custom.id))).message).toMatch(/author/);
    expect((await dealDesk.quotes.approve(custom.id)).value.status).toBe('approved');
    expect((await manager.quotes.send(custom.id)).value.status).toBe('sent');
  });

  it('keeps a token\'s authority at most 4,000, and a reseller\'s fixed', async () => {
    expect((await failure(api.admin.tokens.create({ role: 'master_admin', email: 'x@example.com', discount_authority_bps: 4500 }))).status).toBe(400);
    expect((await failure(api.admin.tokens.create({ role: 'reseller', reseller: 'north', discount_authority_bps: 1000 }))).message).toMatch(/fixed at 500/);
  });

  it('never lets a token grant more discount authority than its own (only the bootstrap token grants up to 4,000)', async () => {
    // the 2,000 bps manager cannot mint a 4,000 bps token to approve its own quotes
    const refused = await failure(manager.tokens.create({ role: 'master_admin', email: 'escalate@example.com', discount_authority_bps: 4000 }));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/more discount authority than its issuer's own \(2000 bps\)/);
    expect((await api.admin.tokens.list()).data.some((t) => t.email === 'escalate@example.com')).toBe(false);
    // at or under its own it may; and a low-authority token's plain token inherits the lower figure
    expect((await manager.tokens.create({ role: 'master_admin', email: 'peer@example.com', discount_authority_bps: 2000 })).discount_authority_bps).toBe(2000);
    const junior = api.as((await api.admin.tokens.create({ role: 'master_admin', email: 'junior@example.com', discount_authority_bps: 300 })).token);
    expect((await junior.tokens.create({ role: 'master_admin', email: 'juniors-peer@example.com' })).discount_authority_bps).toBe(300);
    expect((await manager.tokens.create({ role: 'master_admin', email: 'plain@example.com' })).discount_authority_bps).toBeNull();
  });
});

describe('the lifecycle', () => {
  it('refuses illegal transitions with 409 and changes nothing', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 50 });
    for (const move of [() => north.quotes.accept(quote.id), () => north.quotes.send(quote.id), () => north.quotes.revise(quote.id), () => north.quotes.view(quote.id)]) {
      expect((await failure(move())).status).toBe(409);
    }
    expect((await north.quotes.get(quote.id)).version).toBe(quote.version);
  });

  it('revises a rejected quote into a new draft revision; the parent becomes revised', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 50 });
    await north.quotes.submit(quote.id);
    await north.quotes.view(quote.id);
    expect((await north.quotes.view(quote.id)).changed).toBe(false);
    await north.quotes.reject(quote.id, 'price');
    const revision = await north.quotes.revise(quote.id);
    expect(revision).toMatchObject({ number: quote.number, revision: 2, parent_id: quote.id, status: 'draft' });
    expect((await north.quotes.get(quote.id)).status).toBe('revised');
    expect((await north.quotes.get(quote.number)).id).toBe(revision.id);
  });

  it('expires open quotes after 23:59:59 UTC on valid_until, without anyone watching; accepting one is refused', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 50, valid_days: 1 });
    await north.quotes.submit(quote.id);
    const endOfDay = Date.parse(`${quote.valid_until}T23:59:59.000Z`);
    api.clock.advance(endOfDay - api.clock.now().getTime());
    await expireDueQuotes({ db: api.apiConnection.db, dialect: api.apiConnection.dialect, clock: api.clock, keys: api.keys, auditKey: api.auditKey });
    expect((await north.quotes.get(quote.id)).status).toBe('sent');
    api.clock.advance(2000);
    expect((await failure(north.quotes.accept(quote.id))).status).toBe(409);
    expect(await expireDueQuotes({ db: api.apiConnection.db, dialect: api.apiConnection.dialect, clock: api.clock, keys: api.keys, auditKey: api.auditKey })).toBeGreaterThan(0);
    expect((await north.quotes.get(quote.id)).status).toBe('expired');
    expect((await failure(north.quotes.accept(quote.id))).status).toBe(409);
    expect((await north.quotes.revise(quote.id)).status).toBe('draft');
  });
});

describe('accepting', () => {
  it('onboards a prospect once: tenant owned by the reseller, configuration, a queued first deployment', async () => {
    const quote = await north.quotes.create({ prospect_name: 'Skyline Fibre', prospect_email: 'ops@skyline.example', plan: 'professional', term_months: 12, subscribers: 1200, region: 'us-east' });
    await north.quotes.submit(quote.id);
    const today = api.clock.now().toISOString().slice(0, 10);
    const accepted = await north.quotes.accept(quote.id, { on: today });
    expect(accepted).toMatchObject({ status: 'accepted', accepted_on: today });
    expect(accepted.onboarding).toMatchObject({ tenant_slug: 'skyline-fibre', tenant_created: true, first_invoice_cents: quote.first_invoice_cents });
    const tenant = await north.tenants.get('skyline-fibre');
    expect(tenant).toMatchObject({ plan: 'professional', region: 'us-east', reseller_slug: 'north', contact_email: 'ops@skyline.example' });
    expect((await north.configs.get('skyline-fibre', 'billing.currency')).value).toBe('USD');
    const deployments = await api.admin.deployments.list({ tenant: 'skyline-fibre' });
    expect(deployments.data).toHaveLength(1);
    expect(deployments.data[0]).toMatchObject({ status: 'queued' });
    // the subscription on the quote's terms and version, and a first invoice equal to the quote's
    const subscription = await api.admin.subscriptions.get(accepted.onboarding.subscription_id!);
    expect(subscription).toMatchObject({ plan: 'professional', term_months: 12, subscribers: 1200, price_book_version: quote.price_book_version, status: 'active', started_on: today });
    const invoice = await north.invoices.get(accepted.onboarding.invoice_id!);
    expect(invoice).toMatchObject({ kind: 'first', status: 'open', total_cents: quote.first_invoice_cents, subscription_id: subscription.id });
    expect(invoice.lines.map((l) => [l.kind, l.amount_cents])).toEqual(quote.lines.map((l) => [l.kind, l.amount_cents]));

    // the initial commission for the reseller of record: half of the month-1 recurring commission
    // at its rate (bronze 1,500 bps, before the 12-month contract bonus), awaiting the payment
    const initial = (await north.commissions.list({ type: 'initial' })).data.filter((e) => e.invoice_id === invoice.id);
    const commission = Math.floor((invoice.recurring_cents * 1_500 + 5_000) / 10_000);
    expect(initial).toEqual([expect.objectContaining({ id: accepted.onboarding.commission_id, status: 'awaiting_payment', base_cents: commission, rate_bps: 5_000, amount_cents: Math.floor((commission * 5_000 + 5_000) / 10_000), subscription_id: subscription.id })]);

    const again = await failure(north.quotes.accept(quote.id));
    expect(again.status).toBe(409);
    expect((await api.admin.tenants.list({ q: 'skyline' })).data).toHaveLength(1);
    expect((await api.admin.subscriptions.list({ tenant: 'skyline-fibre' })).data).toHaveLength(1);
    expect((await api.admin.invoices.list({ tenant: 'skyline-fibre' })).data).toHaveLength(1);
    expect((await north.commissions.list({ type: 'initial' })).data.filter((e) => e.invoice_id === invoice.id)).toHaveLength(1);

    // paying the first invoice starts its 30 days; the period's commission run adds the recurring
    // commission and leaves the initial one as it was written
    await api.admin.invoices.pay(invoice.id, { on: today });
    const paid = await north.commissions.explain(initial[0]!.id);
    expect(paid).toMatchObject({ status: 'pending', eligible_on: addDays(today, 30), amount_cents: initial[0]!.amount_cents });
    const run = await api.admin.commissions.run({ period: today.slice(0, 7) });
    const events = (await north.commissions.list({ period: today.slice(0, 7) })).data.filter((e) => e.invoice_id === invoice.id);
    expect(events.map((e) => e.type).sort()).toEqual(['initial', 'recurring']);
    expect(events.find((e) => e.type === 'initial')).toMatchObject({ id: initial[0]!.id, amount_cents: initial[0]!.amount_cents });
    expect(run.value.written).toBeGreaterThanOrEqual(1);
  });

  it('cancels an initial commission whose invoice is voided, or whose subscription ends before paying', async () => {
    const today = api.clock.now().toISOString().slice(0, 10);
    const accept = async (name: string) => {
      const quote = await north.quotes.create({ prospect_name: name, prospect_email: `ops@${name.toLowerCase().replace(/ /g, '')}.example`, plan: 'starter', term_months: 1, subscribers: 300, region: 'us-east' });
      await north.quotes.submit(quote.id);
      return (await north.quotes.accept(quote.id, { on: today })).onboarding;
    };
    const voided = await accept('Void Wireless');
    await api.admin.invoices.void(voided.invoice_id!, { on: today });
    expect(await north.commissions.explain(voided.commission_id!)).toMatchObject({ status: 'cancelled' });
    // a voided invoice is never paid: nothing is ever paid out on it
    const gone = await accept('Gone Fibre');
    await api.admin.subscriptions.cancel(gone.subscription_id!, { on: today });
    await api.admin.commissions.run({ period: today.slice(0, 7) });
    expect(await north.commissions.explain(gone.commission_id!)).toMatchObject({ status: 'cancelled' });
  });

  it('rolls everything back when a step fails (the slug is taken)', async () => {
    await api.admin.tenants.create({ slug: 'taken', name: 'Taken' });
    const quote = await north.quotes.create({ prospect_name: 'Another', prospect_email: 'a@another.example', plan: 'starter', term_months: 1, subscribers: 10 });
    await north.quotes.submit(quote.id);
    expect((await failure(north.quotes.accept(quote.id, { slug: 'taken' }))).status).toBe(409);
    expect((await north.quotes.get(quote.id)).status).toBe('sent');
    expect((await api.admin.tenants.list({ q: 'another' })).data).toHaveLength(0);
  });

  it('refuses an acceptance date after valid_until or in the future', async () => {
    const quote = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 1, subscribers: 10 });
    await north.quotes.submit(quote.id);
    expect((await failure(north.quotes.accept(quote.id, { on: '2999-01-01' }))).status).toBe(400);
    expect((await failure(north.quotes.accept(quote.id, { on: '2026-02-30' }))).status).toBe(400);
  });

  it('onboards under an Idempotency-Key with the initial commission for its reseller', async () => {
    const token = (api.admin as unknown as { token: string }).token;
    const res = await api.app.fetch(
      new Request('http://dotmac.test/v1/tenants/onboard', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'onboard-keyed-once' },
        body: JSON.stringify({ name: 'Keyed Co', slug: 'keyed-co', plan: 'starter', term_months: 1, subscribers: 200, reseller: 'south' }),
      }),
    );
    expect(res.status).toBeLessThan(300);
    const made = (await res.json()) as { commission_id: string | null; invoice_id: string };
    expect(made.commission_id).not.toBeNull();
    expect(await api.admin.commissions.explain(made.commission_id!)).toMatchObject({ type: 'initial', status: 'awaiting_payment', invoice_id: made.invoice_id });
  });

  it('tenants onboard runs the same workflow for staff without a quote', async () => {
    const result = await api.admin.tenants.onboard({ name: 'Direct Co', slug: 'direct-co', plan: 'enterprise', term_months: 24, subscribers: 3000, reseller: 'south' });
    expect(result).toMatchObject({ tenant_slug: 'direct-co', tenant_created: true, deployment_id: expect.any(String) });
    expect((await south.tenants.get('direct-co')).plan).toBe('enterprise');
    expect((await failure(north.tenants.onboard({ name: 'X', slug: 'x-co', plan: 'starter', term_months: 1, subscribers: 1 }))).status).toBe(403);
  });
});

describe('the price book version', () => {
  it('stays the quote\'s own: a newer book prices new quotes, never an old quote\'s edit or acceptance', async () => {
    const old = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 1, subscribers: 10 });
    const newer = { ...PRICE_BOOK_2025_1, version: '2099.1', plans: PRICE_BOOK_2025_1.plans.map((p) => (p.code === 'starter' ? { ...p, platform_fee_cents: 5900 } : p)) };
    await api.connection.db.insertInto('price_books').values({ version: '2099.1', document: JSON.stringify(newer), published_at: '2099-01-01T00:00:00.000Z', published_by: 'test' }).execute();
    const fresh = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 1, subscribers: 10 });
    expect(fresh).toMatchObject({ price_book_version: '2099.1', monthly_cents: 5900 });
    const edited = await north.quotes.update(old.id, { subscribers: 20 });
    expect(edited.value).toMatchObject({ price_book_version: '2025.1', monthly_cents: 4900 });
    await north.quotes.submit(old.id);
    const accepted = await north.quotes.accept(old.id, { slug: 'old-book-co' });
    expect(accepted.onboarding.monthly_cents).toBe(4900);
  });
});


describe('the quote list', () => {
  it('finds quotes by text in the number, the prospect and the slugs, LIKE wildcards taken literally, within the caller\'s scope', async () => {
    const mine = await north.quotes.create({ prospect_name: 'Zebra_Fibre 100%', prospect_email: 'z@zebra.example', plan: 'starter', term_months: 12, subscribers: 10 });
    await north.quotes.create({ prospect_name: 'ZebraXFibre', prospect_email: 'x@zebra.example', plan: 'starter', term_months: 12, subscribers: 10 });
    expect((await north.quotes.list({ q: 'zebra_fibre' })).data.map((q) => q.id)).toEqual([mine.id]);
    expect((await north.quotes.list({ q: '100%' })).data.map((q) => q.id)).toEqual([mine.id]);
    expect((await north.quotes.list({ q: mine.number.toLowerCase() })).data.map((q) => q.id)).toEqual([mine.id]);
    expect((await api.admin.quotes.list({ q: 'zebra', limit: 100 })).data).toHaveLength(2);
    expect((await south.quotes.list({ q: 'zebra' })).data).toEqual([]);
  });
});

describe('territories', () => {
  it('limit a reseller\'s quote to its regions: outside is 403 outside_territory and writes nothing, inside works', async () => {
    const before = (await api.admin.quotes.list({ limit: 100 })).data.length;
    const outside = await failure(south.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'us-east' }));
    expect(outside.status).toBe(403);
    expect(outside.problem?.code).toBe('outside_territory');
    expect(outside.message).toMatch(/us-east.*eu-west/);
    expect((await api.admin.quotes.list({ limit: 100 })).data.length).toBe(before);
    const inside = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'us-east' });
    expect(inside.region).toBe('us-east');
  });

  it('apply when a draft moves region, leaving the quote as it was', async () => {
    const quote = await south.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'eu-west' });
    const moved = await failure(south.quotes.update(quote.id, { region: 'us-east', subscribers: 20 }));
    expect(moved.problem?.code).toBe('outside_territory');
    expect(await south.quotes.get(quote.id)).toMatchObject({ region: 'eu-west', subscribers: 10, status: 'draft' });
    expect((await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10 })).region).toBe('eu-west');
  });

  it('are checked again when the quote goes out and when it is accepted: a region taken away refuses both, onboarding nobody', async () => {
    await api.admin.territories.create({ name: 'Borrowed', regions: ['sa-east'] });
    await api.admin.territories.assign('Borrowed', { reseller: 'south' });
    const draft = await south.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'sa-east' });
    const sent = await south.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'sa-east' });
    await south.quotes.submit(sent.id);
    await api.admin.territories.assign('Borrowed', { reseller: null });
    const tenantsBefore = (await api.admin.tenants.list({ limit: 500 })).data.length;
    expect((await failure(south.quotes.submit(draft.id))).problem?.code).toBe('outside_territory');
    expect((await failure(south.quotes.accept(sent.id, { slug: 'borrowed-co' }))).problem?.code).toBe('outside_territory');
    expect(await south.quotes.get(draft.id)).toMatchObject({ status: 'draft' });
    expect(await south.quotes.get(sent.id)).toMatchObject({ status: 'sent', onboarded_tenant_id: null });
    expect((await api.admin.tenants.list({ limit: 500 })).data.length).toBe(tenantsBefore);
    await api.admin.territories.assign('Borrowed', { reseller: 'south' });
    expect((await south.quotes.accept(sent.id, { slug: 'borrowed-co' })).onboarding.tenant_slug).toBe('borrowed-co');
  });

  it('bind staff naming a reseller, but not staff quoting without one', async () => {
    const named = await failure(api.admin.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'us-east', reseller: 'south' }));
    expect(named.status).toBe(403);
    expect(named.problem?.code).toBe('outside_territory');
    expect((await api.admin.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'us-east', reseller: 'north' })).reseller_slug).toBe('north');
    const direct = await api.admin.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'ap-southeast' });
    expect(direct).toMatchObject({ reseller_slug: null, region: 'ap-southeast' });
  });
});

describe('a quote\'s opportunity', () => {
  it('must be its reseller\'s (404 otherwise) and in its region (400 otherwise); writing nothing when refused', async () => {
    const opp = await north.opportunities.create({ prospect_name: 'Harbour Net', region: 'us-east', value_cents: 50_000 });
    const before = (await api.admin.quotes.list({ limit: 100 })).data.length;
    expect((await failure(south.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, opportunity_id: opp.id }))).status).toBe(404);
    expect((await failure(api.admin.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'us-east', opportunity_id: opp.id }))).status).toBe(404);
    expect((await failure(api.admin.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'us-east', reseller: 'south', opportunity_id: opp.id }))).status).toBe(403);
    expect((await failure(north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, opportunity_id: 'opp_nothere' }))).status).toBe(404);
    expect((await failure(north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'eu-west', opportunity_id: opp.id }))).status).toBe(400);
    expect((await api.admin.quotes.list({ limit: 100 })).data.length).toBe(before);
    const draft = await north.quotes.create({ ...prospect, plan: 'starter', term_months: 12, subscribers: 10, region: 'eu-west' });
    expect((await failure(north.quotes.update(draft.id, { opportunity_id: opp.id }))).status).toBe(400);
    expect((await north.quotes.get(draft.id)).opportunity_id).toBeNull();
    const linked = await north.quotes.update(draft.id, { region: 'us-east', opportunity_id: opp.id });
    expect(linked.value).toMatchObject({ region: 'us-east', opportunity_id: opp.id });
    expect((await failure(north.quotes.update(draft.id, { region: 'eu-west' }))).status).toBe(400);
  });

  it('is marked won when the quote is accepted', async () => {
    const opp = await north.opportunities.create({ prospect_name: 'Won Over', region: 'us-east', value_cents: 80_000, stage: 'negotiation' });
    const quote = await north.quotes.create({ prospect_name: 'Won Over', prospect_email: 'ops@wonover.example', plan: 'starter', term_months: 12, subscribers: 50, region: 'us-east', opportunity_id: opp.id });
    await north.quotes.submit(quote.id);
    await north.quotes.accept(quote.id, { on: api.clock.now().toISOString().slice(0, 10) });
    const won = await north.opportunities.get(opp.id);
    expect(won).toMatchObject({ stage: 'won', quote_id: quote.id });
    expect(won.history.map((h) => h.to_stage)).toEqual(['negotiation', 'won']);
  });
});
