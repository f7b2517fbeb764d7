// The commission run as a new user drives it from the terminal, with explicit dates (local mode,
// SQLite): a reseller's customer subscribed months ago, each month billed and paid, a commission
// run per period, a payout run on the 15th and the period's statement, every line of which
// `commissions explain` justifies. A second run writes nothing; a refund within 90 days claws back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

interface Invoice { id: string; period: string; total_cents: number; recurring_cents: number }
interface Run { period: string; invoices: number; written: number; earned_cents: number; clawbacks: number; cancelled: number }
interface Event { id: string; type: string; invoice_id: string | null; base_cents: number; rate_bps: number; amount_cents: number; reverses_id: string | null; basis: Record<string, unknown> }

const month = (back: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
};
const half = (n: bigint, d: bigint) => Number((2n * n + d) / (2n * d));

let ws: Workspace;
const invoices: Invoice[] = [];
beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['resellers', 'create', '--slug', 'north', '--name', 'North']);
  await ws.json(['tenants', 'create', '--slug', 'fibernet', '--name', 'FiberNet', '--reseller', 'north']);
  const sub = await ws.json<{ first_invoice: Invoice }>(['subscriptions', 'create', '--tenant', 'fibernet', '--plan', 'professional', '--term', '12', '--subscribers', '3000', '--start', `${month(5)}-01`]);
  invoices.push(sub.first_invoice);
  await ws.json(['invoices', 'pay', sub.first_invoice.id, '--on', `${month(5)}-03`]);
  for (const back of [4, 3]) {
    await ws.json(['billing', 'run', '--period', month(back)]);
    const [invoice] = await ws.json<Invoice[]>(['invoices', 'list', '--tenant', 'fibernet', '--period', month(back)]);
    invoices.push(invoice!);
    await ws.json(['invoices', 'pay', invoice!.id, '--on', `${month(back)}-03`]);
  }
}, 180_000);
afterAll(cleanup);

describe('commissions from the terminal', () => {
  it('runs each period once; a second run writes nothing and says so', async () => {
    const first = await ws.json<Run>(['commissions', 'run', '--period', month(5)]);
    expect(first).toMatchObject({ period: month(5), invoices: 1, written: 2 });
    const again = await ws.run(['commissions', 'run', '--period', month(5)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/: nothing to write \(1 paid invoice, every event already recorded\)/);
    expect(await ws.json<Run>(['commissions', 'run', '--period', month(5)])).toMatchObject({ written: 0, earned_cents: 0 });
    expect(await ws.json<Run>(['commissions', 'run', '--period', month(4)])).toMatchObject({ invoices: 1, written: 1 });
    const future = await ws.run(['commissions', 'run', '--period', month(-1)]);
    expect(future.code).toBe(2);
    expect(expectOneLineError(future).message).toMatch(/future/);
  });

  it('a refund within 90 days of the first payment claws back that invoice\'s commission pro rata', async () => {
    const second = invoices[1]!;
    const refunded = Math.floor(second.total_cents / 2);
    await ws.json(['invoices', 'refund', second.id, '--amount', String(refunded), '--on', `${month(3)}-10`, '--yes']);
    const run = await ws.json<Run>(['commissions', 'run', '--period', month(3)]);
    expect(run).toMatchObject({ invoices: 1, clawbacks: 1 });
    const events = await ws.json<Event[]>(['commissions', 'list', '--type', 'clawback']);
    const original = (await ws.json<Event[]>(['commissions', 'list', '--period', month(4)])).find((e) => e.invoice_id === second.id)!;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reverses_id: original.id, amount_cents: -half(BigInt(original.amount_cents) * BigInt(refunded), BigInt(second.total_cents)) });
    expect(await ws.json<Run>(['commissions', 'run', '--period', month(3)])).toMatchObject({ written: 0 });
  });

  it('pays on the 15th; every statement line is justified by explain', async () => {
    const payout = await ws.run(['payouts', 'run', '--on', `${month(3)}-15`]);
    expect(payout.code, payout.stderr).toBe(0);
    const out = join(ws.home, 'north.csv');
    const statement = await ws.json<{ events: Event[]; totals: { earned_cents: number } }>(['payouts', 'statement', '--reseller', 'north', '--period', month(5), '--format', 'csv', '--out', out]);
    expect(readFileSync(out, 'utf8')).toContain(invoices[0]!.id);
    expect(statement.events.map((e) => e.type).sort()).toEqual(['initial', 'recurring']);
    for (const line of statement.events) {
      const explained = await ws.json<Event & { explanation: string[] }>(['commissions', 'explain', line.id]);
      expect(explained.invoice_id).toBe(invoices[0]!.id);
      const product = half(BigInt(explained.base_cents) * BigInt(explained.rate_bps), 10_000n);
      if (explained.type === 'recurring') expect(product + Number(explained.basis.contract_bonus_cents)).toBe(explained.amount_cents);
      else expect(product).toBe(explained.amount_cents);
      expect(explained.amount_cents).toBe(line.amount_cents);
    }
    expect(statement.totals.earned_cents).toBe(statement.events.reduce((s, e) => s + e.amount_cents, 0));
  });

  it('exports an invoice as md, csv and pdf, never over a file', async () => {
    for (const format of ['md', 'csv', 'pdf']) {
      const out = join(ws.home, `invoice.${format}`);
      const res = await ws.run(['invoices', 'export', invoices[0]!.id, '--format', format, '--out', out]);
      expect(res.code, res.stderr).toBe(0);
      const bytes = readFileSync(out);
      if (format === 'pdf') expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      else if (format === 'csv') expect(bytes.toString('utf8')).toContain(String(invoices[0]!.total_cents));
      else expect(bytes.toString('utf8')).toContain((invoices[0]!.total_cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }));
      const again = await ws.run(['invoices', 'export', invoices[0]!.id, '--format', format, '--out', out]);
      expect(again.code).not.toBe(0);
      expectOneLineError(again);
    }
  });
});
