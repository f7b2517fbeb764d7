// The partner side as people run it: partner settings, rules, commission events the commission run
// will record (written here through its contract, recordCommissionEvents), explain, disputes,
// payout runs and statements, each caller seeing only what is its own. Local mode (SQLite).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { commissionsForPaidInvoice } from '../../src/server/modules/commissions/rules.js';
import { recordCommissionEvents } from '../../src/server/modules/commissions/service.js';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

interface Event {
  id: string;
  type: string;
  amount_cents: number;
  status: string;
  explanation?: string[];
}

let ws: Workspace;
let acme: Record<string, string>;
let zenith: Record<string, string>;
let ispAdmin: Record<string, string>;

/** What the commission run will write for one paid invoice of fibernet's 24-month enterprise subscription. */
async function paidInvoice(invoice: string, paidOn: string, month: number) {
  const connection = await connect({ dialect: 'sqlite', path: ws.db });
  try {
    const reseller = await connection.db.selectFrom('resellers').selectAll().where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const tenant = await connection.db.selectFrom('tenants').select('id').where('slug', '=', 'fibernet').executeTakeFirstOrThrow();
    const rules = await connection.db.selectFrom('commission_rules').selectAll().execute();
    const events = commissionsForPaidInvoice({
      reseller,
      rules,
      subscription: { id: 'sub_fibernet', tenant_id: tenant.id, plan: 'enterprise', term_months: 24, started_on: '2026-01-01' },
      invoice: { id: invoice, period: paidOn.slice(0, 7), paid_on: paidOn, recurring_cents: 49_900, total_cents: 199_900 },
      month,
      first_paid: month === 1,
      expansion_mrr_cents: 0,
    });
    return await connection.db.transaction().execute((trx) => recordCommissionEvents(trx, events));
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['resellers', 'create', '--slug', 'acme', '--name', 'Acme Channel']);
  await ws.json(['resellers', 'create', '--slug', 'zenith', '--name', 'Zenith']);
  await ws.json(['tenants', 'create', '--slug', 'fibernet', '--name', 'FiberNet', '--reseller', 'acme']);
  const token = async (...args: string[]) => ({ DOTMAC_TOKEN: (await ws.json<{ token: string }>(['tokens', 'create', ...args])).token });
  acme = await token('--role', 'reseller', '--reseller', 'acme');
  zenith = await token('--role', 'reseller', '--reseller', 'zenith');
  ispAdmin = await token('--role', 'tenant_admin', '--tenant', 'fibernet');
});
afterAll(() => cleanup());

describe('partner settings and rules', () => {
  it('staff set the tier, quota and default rate; a reseller reads its own, and may not change it', async () => {
    const updated = await ws.json<{ tier: string; tier_source: string; quota_cents: number }>(['resellers', 'update', 'acme', '--tier', 'gold', '--quota', '2500000']);
    expect(updated).toMatchObject({ tier: 'gold', tier_source: 'manual', quota_cents: 2_500_000 });
    const again = await ws.run(['resellers', 'update', 'acme', '--tier', 'gold']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('acme already has those settings; nothing changed');
    expect(await ws.json(['resellers', 'get', 'acme'], { env: acme })).toMatchObject({ tier: 'gold', kind: 'reseller' });
    const refused = await ws.run(['resellers', 'update', 'acme', '--tier', 'platinum'], { env: acme });
    expect(refused.code).toBe(4);
    expect(expectOneLineError(refused).message).toMatch(/the reseller role may not update reseller/);
    const bad = await ws.run(['resellers', 'update', 'acme', '--default-bps', '12000']);
    expect(bad.code).toBe(2);
    expectOneLineError(bad);
  });

  it('training: staff record modules, the reseller sees what its tier still needs', async () => {
    await ws.json(['resellers', 'training', 'complete', 'acme', '--module', 'platform-basics', '--on', '2026-10-01']);
    const training = await ws.json<{ certified: boolean; missing: string[] }>(['resellers', 'training', 'list', 'acme'], { env: acme });
    expect(training).toMatchObject({ certified: false, missing: ['sales-cert', 'technical-cert'] });
    expect((await ws.run(['resellers', 'training', 'list', 'acme'], { env: zenith })).code).toBe(5);
  });

  it('an account override is listed to its reseller, and chooses the rate', async () => {
    const rule = await ws.json<{ id: string }>(['commissions', 'rules', 'create', '--bps', '2800', '--tenant', 'fibernet', '--reseller', 'acme', '--description', 'FiberNet deal', '--from', '2026-01-01']);
    expect((await ws.json<{ id: string }[]>(['commissions', 'rules', 'list'], { env: acme })).map((r) => r.id)).toEqual([rule.id]);
    expect(await ws.json(['commissions', 'rules', 'list'], { env: zenith })).toEqual([]);
    const wrong = await ws.run(['commissions', 'rules', 'create', '--bps', '100', '--description', 'x', '--from', '2026-02-30']);
    expect(wrong.code).toBe(2);
    expect(expectOneLineError(wrong).message).toBe('"2026-02-30" is not a day (YYYY-MM-DD)');
  });
});

describe('commissions and payouts', () => {
  it('explains each event, pays by the cutoff once, and writes statements that explain every line', async () => {
    expect(await paidInvoice('inv_jan', '2026-01-10', 1)).toBe(2);
    expect(await paidInvoice('inv_jan', '2026-01-10', 1)).toBe(0);
    await paidInvoice('inv_feb', '2026-02-10', 2);

    // 49,900 × 2,800 bps (the override) = 13,972, + 10 % contract bonus 1,397.2 → 1,397 = 15,369; initial 6,986
    const january = await ws.json<Event[]>(['commissions', 'list', '--period', '2026-01'], { env: acme });
    expect(january.map((e) => [e.type, e.amount_cents])).toEqual([['recurring', 15_369], ['initial', 6_986]]);
    expect(await ws.json(['commissions', 'list'], { env: zenith })).toEqual([]);
    expect((await ws.run(['commissions', 'list'], { env: ispAdmin })).code).toBe(4);

    const explained = await ws.run(['commissions', 'explain', january[0]!.id], { env: acme });
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('rate: 2800 bps, chosen by account_override: FiberNet deal');
    expect(explained.stdout).toContain('contract bonus: 1000 bps of the commission = 1397 cents');
    expect((await ws.run(['commissions', 'explain', january[0]!.id], { env: zenith })).code).toBe(5);

    const march = await ws.json<{ written: number; paid_cents: number; payouts: { id: string; status: string }[] }>(['payouts', 'run', '--on', '2026-03-15']);
    expect(march).toMatchObject({ written: 1, paid_cents: 22_355 });
    const rerun = await ws.run(['payouts', 'run', '--on', '2026-03-15']);
    expect(rerun.stderr).toContain('2026-03-15 was already run; nothing changed');
    const payout = await ws.json<{ lines: { amount_cents: number }[] }>(['payouts', 'get', march.payouts[0]!.id], { env: acme });
    expect(payout.lines.map((l) => l.amount_cents).sort()).toEqual([15_369, 6_986].sort());
    expect((await ws.run(['payouts', 'get', march.payouts[0]!.id], { env: zenith })).code).toBe(5);
    expect(await ws.json(['payouts', 'list'], { env: zenith })).toEqual([]);

    const md = join(ws.home, 'acme-2026-01.md');
    const csv = join(ws.home, 'acme-2026-01.csv');
    expect((await ws.run(['payouts', 'statement', '--reseller', 'acme', '--period', '2026-01', '--format', 'md', '--out', md], { env: acme })).code).toBe(0);
    expect((await ws.run(['payouts', 'statement', '--reseller', 'acme', '--period', '2026-01', '--format', 'csv', '--out', csv], { env: acme })).code).toBe(0);
    expect(statSync(md).mode & 0o777).toBe(0o600);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('# Commission statement: acme, 2026-01');
    expect(text).toContain('| recurring |');
    expect(text).toContain('$153.69');
    expect(text).toContain('FiberNet deal');
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,type,period,tenant_id,invoice_id,base_cents,rate_bps,amount_cents,status,eligible_on,payout_id,rule');
    expect(rows.slice(1).map((row) => row.split(',')[7])).toEqual(['15369', '6986']);
    const again = await ws.run(['payouts', 'statement', '--reseller', 'acme', '--period', '2026-01', '--format', 'md', '--out', md], { env: acme });
    expect(again.code).toBe(6);
    expect((await ws.run(['payouts', 'statement', '--reseller', 'acme', '--period', '2026-01', '--format', 'md', '--out', join(ws.home, 'z.md')], { env: zenith })).code).toBe(5);
  });

  it('a dispute keeps an event out of payouts until staff resolve it', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const paidOn = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await paidInvoice('inv_recent', paidOn, 8);
    const [recent] = await ws.json<Event[]>(['commissions', 'list', '--period', paidOn.slice(0, 7), '--type', 'recurring'], { env: acme });
    const disputed = await ws.json<Event>(['commissions', 'dispute', recent!.id, '--reason', 'the deal rate is 30 %'], { env: acme });
    expect(disputed.status).toBe('disputed');
    await ws.json(['payouts', 'run', '--on', today]);
    expect(await ws.json(['commissions', 'explain', recent!.id], { env: acme })).toMatchObject({ status: 'disputed', payout_id: null });
    expect((await ws.run(['commissions', 'resolve', recent!.id], { env: acme })).code).toBe(4);
    const resolved = await ws.json<Event>(['commissions', 'resolve', recent!.id, '--reason', 'rate confirmed']);
    expect(resolved.status).toBe('eligible');
    const late = await ws.run(['commissions', 'dispute', (await ws.json<Event[]>(['commissions', 'list', '--period', '2026-01'], { env: acme }))[0]!.id, '--reason', 'late'], { env: acme });
    expect(late.code).toBe(6);
    expect(expectOneLineError(late).message).toBe('the dispute window for 2026-01 closed 60 days after its statement');
  });

  it('resellers kpis: money as dollars and rates as percents for people, cents and bps in --json, each reseller its own', async () => {
    await ws.json(['tenants', 'create', '--slug', 'kpi-isp', '--name', 'KPI ISP', '--reseller', 'zenith']);
    // starter, 100 subscribers, from the first of last month: new MRR 4,900 that month, paid on the 3rd
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const sub = await ws.json<{ first_invoice: { id: string } }>(['subscriptions', 'create', '--tenant', 'kpi-isp', '--plan', 'starter', '--subscribers', '100', '--start', `${last}-01`]);
    await ws.json(['invoices', 'pay', sub.first_invoice.id, '--on', `${last}-03`]);
    const mine = await ws.json<{ slug: string; period: string; revenue_cents: number; new_mrr_cents: number; net_revenue_retention_bps: number | null }>(['resellers', 'kpis', 'zenith', '--period', last], { env: zenith });
    expect(mine).toMatchObject({ slug: 'zenith', period: last, revenue_cents: 4_900, new_mrr_cents: 4_900, net_revenue_retention_bps: null });
    const table = await ws.run(['resellers', 'kpis', 'zenith', '--period', last]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/revenue\s+\$49\.00/);
    // this month: the 4,900 retained in full → 100.00 %
    expect((await ws.run(['resellers', 'kpis', 'zenith'])).stdout).toMatch(/nrr\s+100\.00 %/i);
    const all = await ws.json<{ slug: string }[]>(['resellers', 'kpis', '--period', last]);
    expect(all.map((r) => r.slug).sort()).toEqual(['acme', 'zenith']);
    expect((await ws.json<{ slug: string }[]>(['resellers', 'kpis'], { env: zenith })).map((r) => r.slug)).toEqual(['zenith']);
    expect((await ws.run(['resellers', 'kpis', 'zenith'], { env: acme })).code).toBe(5);
    expect((await ws.run(['resellers', 'kpis', 'zenith'], { env: ispAdmin })).code).toBe(4);
    const bad = await ws.run(['resellers', 'kpis', '--period', 'March']);
    expect(bad.code).toBe(2);
    expectOneLineError(bad);
  });

  it('refuses bad input in one line with its exit code', async () => {
    const future = await ws.run(['payouts', 'run', '--on', '2099-01-15']);
    expect(future.code).toBe(2);
    expect(expectOneLineError(future).message).toBe('2099-01-15 is in the future; a payout run pays what is owed by its day');
    expect((await ws.run(['payouts', 'run', '--on', 'yesterday'])).code).toBe(2);
    const period = await ws.run(['payouts', 'statement', '--reseller', 'acme', '--period', '2026-13', '--format', 'md', '--out', join(ws.home, 'x.md')]);
    expect(period.code).toBe(2);
    expectOneLineError(period);
    expect((await ws.run(['commissions', 'explain', 'com_nothing'])).code).toBe(5);
    expect((await ws.run(['payouts', 'run', '--on', '2026-03-15'], { env: acme })).code).toBe(4);
  });
});
