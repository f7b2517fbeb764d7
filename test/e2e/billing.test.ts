// Billing as a new user runs it from the terminal, with explicit dates: a subscription started
// months ago, usage recorded, a billing run per month, payments and a refund, and every kind of
// bad input as a one-line error with its exit code. Local mode (SQLite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

interface Invoice {
  id: string;
  tenant_id: string;
  period: string;
  kind: string;
  status: string;
  total_cents: number;
  lines?: { kind: string; amount_cents: number }[];
}

const month = (back: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
};

let ws: Workspace;
let subscription: { id: string; first_invoice: Invoice };
beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['resellers', 'create', '--slug', 'north', '--name', 'North']);
  await ws.json(['tenants', 'create', '--slug', 'fibernet', '--name', 'FiberNet', '--reseller', 'north']);
  await ws.json(['tenants', 'create', '--slug', 'othernet', '--name', 'OtherNet']);
  subscription = await ws.json(['subscriptions', 'create', '--tenant', 'fibernet', '--plan', 'starter', '--subscribers', '150', '--addon', 'sandbox', '--start', `${month(3)}-15`]);
}, 120_000);
afterAll(cleanup);

describe('a subscription\'s months of business', () => {
  it('prints the price book and the plans', async () => {
    const book = await ws.json<{ version: string; plans: unknown[] }>(['pricebook', 'show']);
    expect(book.version).toBe('2025.1');
    const plans = await ws.run(['plans', 'list']);
    expect(plans.code, plans.stderr).toBe(0);
    expect(plans.stdout).toMatch(/^starter\tStarter\t\$49\.00\t100\t/m);
  });

  it('issues the first invoice at once: the whole first month', () => {
    expect(subscription.first_invoice).toMatchObject({ kind: 'first', period: month(3), total_cents: 4_900 + 2_900 + 50 * 50 });
  });

  it('bills each month once: fee in advance, the last month\'s peak and overage in arrears', async () => {
    const usage = await ws.run(['usage', 'record', '--tenant', 'fibernet', '--period', month(3), '--subscribers', '200', '--users', '12']);
    expect(usage.code, usage.stderr).toBe(0);
    const run = await ws.run(['billing', 'run', '--period', month(2)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Billed \d{4}-\d{2}: 1 invoice for \$(\d|,)+\.\d\d/m);
    const again = await ws.run(['billing', 'run', '--period', month(2)]);
    expect(again.stderr).toMatch(/is already billed \(1 invoice\); nothing changed/);
    const [invoice] = await ws.json<Invoice[]>(['invoices', 'list', '--tenant', 'fibernet', '--period', month(2)]);
    const detail = await ws.json<Invoice>(['invoices', 'get', invoice!.id]);
    expect(detail.lines!.map((l) => [l.kind, l.amount_cents])).toEqual([['platform_fee', 4_900], ['addon', 2_900], ['band', 50 * 50], ['overage', 400]]);
    await ws.json(['billing', 'run', '--period', month(1)]);
    expect(await ws.json<Invoice[]>(['invoices', 'list', '--tenant', 'fibernet'])).toHaveLength(3);
  });

  it('pays, refunds in part, and refuses what cannot be done with the right exit code, changing nothing', async () => {
    const id = subscription.first_invoice.id;
    const paid = await ws.json<Invoice>(['invoices', 'pay', id, '--on', `${month(3)}-20`]);
    expect(paid.status).toBe('paid');
    const tooMuch = await ws.run(['invoices', 'refund', id, '--amount', '999999', '--on', `${month(3)}-21`, '--yes']);
    expect(tooMuch.code).toBe(2);
    expect(expectOneLineError(tooMuch).message).toBe('a refund of 999999 cents is more than the 10300 cents left of the payment');
    const refunded = await ws.json<{ refunded_cents: number }>(['invoices', 'refund', id, '--amount', '300', '--on', `${month(3)}-21`, '--yes']);
    expect(refunded.refunded_cents).toBe(300);
    const voidPaid = await ws.run(['invoices', 'void', id, '--yes']);
    expect(voidPaid.code).toBe(6);
    const [open] = await ws.json<Invoice[]>(['invoices', 'list', '--tenant', 'fibernet', '--status', 'open']);
    await ws.json(['invoices', 'void', open!.id, '--yes']);
    const payVoid = await ws.run(['invoices', 'pay', open!.id, '--on', `${month(1)}-02`]);
    expect(payVoid.code).toBe(6);
    expect(expectOneLineError(payVoid).message).toBe(`invoice ${open!.id} is void and cannot be paid`);
  });

  it('refuses bad input in one line: an unknown plan, a term not offered, a future period, a bad date', async () => {
    const cases: [string[], number, RegExp][] = [
      [['subscriptions', 'create', '--tenant', 'othernet', '--plan', 'startr'], 2, /^unknown plan 'startr' \(did you mean 'starter'\?\)/],
      [['subscriptions', 'create', '--tenant', 'othernet', '--plan', 'starter', '--term', '6'], 2, /^a 6-month term is not offered/],
      [['subscriptions', 'create', '--tenant', 'othernet', '--plan', 'starter', '--addon', 'gold'], 2, /^unknown add-on 'gold'/],
      [['billing', 'run', '--period', month(-1)], 2, /is in the future/],
      [['invoices', 'pay', subscription.first_invoice.id, '--on', 'yesterday'], 2, /YYYY-MM-DD/],
      [['subscriptions', 'create', '--tenant', 'fibernet', '--plan', 'starter'], 6, /already has subscription/],
      [['invoices', 'get', 'inv_00000000000000000000000000'], 5, /not found/],
    ];
    for (const [args, code, message] of cases) {
      const res = await ws.run(args);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(code);
      expect(expectOneLineError(res).message).toMatch(message);
    }
    expect(await ws.json<unknown[]>(['subscriptions', 'list', '--tenant', 'othernet'])).toEqual([]);
  });

  it('shows a reseller its customers\' invoices only, and a tenant admin its own', async () => {
    await ws.json(['subscriptions', 'create', '--tenant', 'othernet', '--plan', 'starter']);
    const reseller = (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'north'])).token;
    const tenants = new Set((await ws.json<Invoice[]>(['invoices', 'list'], { env: { DOTMAC_TOKEN: reseller } })).map((i) => i.tenant_id));
    expect(tenants).toEqual(new Set([subscription.first_invoice.tenant_id]));
    const pay = await ws.run(['invoices', 'pay', subscription.first_invoice.id, '--on', `${month(3)}-20`], { env: { DOTMAC_TOKEN: reseller } });
    expect(pay.code).toBe(4);
    const admin = (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'othernet'])).token;
    const own = await ws.json<Invoice[]>(['invoices', 'list'], { env: { DOTMAC_TOKEN: admin } });
    expect(own.length).toBe(1);
    expect(own[0]!.tenant_id).not.toBe(subscription.first_invoice.tenant_id);
    expect((await ws.run(['invoices', 'get', subscription.first_invoice.id], { env: { DOTMAC_TOKEN: admin } })).code).toBe(5);
  });

  it('upgrades with a proration invoice and cancels', async () => {
    const change = await ws.json<{ plan: string; proration_invoice: Invoice | null }>(['subscriptions', 'change-plan', subscription.id, '--plan', 'professional', '--on', `${month(1)}-10`]);
    expect(change.plan).toBe('professional');
    expect(change.proration_invoice!.kind).toBe('proration');
    const cancelled = await ws.json<{ status: string }>(['subscriptions', 'cancel', subscription.id, '--on', `${month(1)}-28`, '--yes']);
    expect(cancelled.status).toBe('cancelled');
    const usage = await ws.run(['usage', 'show', '--tenant', 'othernet']);
    expect(usage.code, usage.stderr).toBe(0);
    expect(usage.stdout).toMatch(/^othernet\tstarter\tsubscribers\t/m);
  });
});
