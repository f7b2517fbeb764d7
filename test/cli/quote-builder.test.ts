// The interactive builder with its prompt functions injected (the terminal itself is exercised in
// test/e2e/quotes.test.ts): it asks only for what is missing, shows the running monthly total
// from the API's own pricing, and creates nothing unless confirmed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuote, type Prompts } from '../../src/cli/quote-builder.js';
import { PRICE_BOOK_2025_1 } from '../../src/server/modules/pricebook/book.js';
import { CliError } from '../../src/cli/errors.js';
import { startTestApi, type TestApi } from '../support/harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

/** Prompts that answer from a script, recording what they were asked. */
function scripted(answers: Record<string, unknown>, asked: string[]): Prompts {
  const answer = async (config: { message: string }) => {
    asked.push(config.message);
    const key = Object.keys(answers).find((k) => config.message.startsWith(k));
    if (key === undefined) throw new Error(`unexpected prompt: ${config.message}`);
    return answers[key];
  };
  return { select: answer, checkbox: answer, number: answer, input: answer, confirm: answer } as unknown as Prompts;
}

describe('the quote builder', () => {
  it('asks for the missing plan, term, count, add-ons and discount, with the running monthly total, then the summary', async () => {
    const asked: string[] = [];
    const said: string[] = [];
    const body = await buildQuote(
      api.admin,
      { prospect_name: 'FiberNet', prospect_email: 'buyer@fibernet.example' },
      scripted({ Plan: 'professional', Term: 12, Subscribers: 1800, 'Add-ons': ['premium-support'], 'Negotiated discount': 800, 'Create this draft': true }, asked),
      (line) => said.push(line),
    );
    expect(asked.map((m) => m.split(' ')[0])).toEqual(['Plan', 'Term', 'Subscribers', 'Add-ons', 'Negotiated', 'Create']);
    expect(body).toMatchObject({ plan: 'professional', term_months: 12, subscribers: 1800, addons: ['premium-support'], discount_bps: 800 });
    const priced = await api.admin.quotes.preview({ plan: 'professional', term_months: 12, subscribers: 1800, addons: ['premium-support'], discount_bps: 800 });
    expect(said.some((line) => line.includes(`monthly total so far: $${(priced.monthly_cents / 100).toFixed(2)}`))).toBe(true);
    expect(said.filter((line) => line.includes('monthly total so far')).length).toBeGreaterThanOrEqual(3);
    expect(said.some((line) => /First invoice \(first month \+ setup\)\s+\$/.test(line))).toBe(true);
    const quote = await api.admin.quotes.create(body);
    expect(quote.monthly_cents).toBe(priced.monthly_cents);
  });

  it('asks nothing that was given', async () => {
    const asked: string[] = [];
    await buildQuote(api.admin, { tenant: 'x', plan: 'starter', term_months: 1, subscribers: 10, addons: [], discount_bps: 0 }, scripted({ 'Create this draft': true }, asked), () => undefined);
    expect(asked).toEqual(['Create this draft quote?']);
  });

  it('creates nothing when not confirmed, or when the prompt is interrupted (exit 2)', async () => {
    const given = { prospect_name: 'P', prospect_email: 'p@p.example', plan: 'starter', term_months: 1, subscribers: 10, addons: [], discount_bps: 0 };
    await expect(buildQuote(api.admin, given, scripted({ 'Create this draft': false }, []), () => undefined)).rejects.toMatchObject({ exitCode: 2 });
    const interrupted = { ...scripted({}, []), confirm: async () => Promise.reject(Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' })) } as Prompts;
    const error = await buildQuote(api.admin, given, interrupted, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 2 });
  });
});

describe('the quote builder\'s catalogue', () => {
  let own: TestApi;
  beforeAll(async () => {
    own = await startTestApi();
  });
  afterAll(() => own.close());

  it('offers the newest published price book, with its names neutralised for the terminal', async () => {
    // a newer book written past the API (which refuses control characters): a plan and an add-on named to act on a terminal
    const hostile = 'Pro\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J';
    const newer = { ...PRICE_BOOK_2025_1, version: '2099.1', plans: PRICE_BOOK_2025_1.plans.map((p) => (p.code === 'professional' ? { ...p, name: hostile } : p)), addons: [...PRICE_BOOK_2025_1.addons, { code: 'analytics', name: `Analytics${hostile}`, monthly_cents: 1_900, included_in: [] }] };
    await own.connection.db.insertInto('price_books').values({ version: '2099.1', document: JSON.stringify(newer), published_at: '2099-01-01T00:00:00.000Z', published_by: 'test' }).execute();
    const offered: string[] = [];
    const answers: Record<string, unknown> = { Plan: 'professional', Term: 12, Subscribers: 1200, 'Add-ons': ['analytics'], 'Negotiated discount': 0, 'Create this draft': true };
    const answer = async (config: { message: string; choices?: { name: string }[] }) => {
      offered.push(...(config.choices ?? []).map((c) => c.name));
      return answers[Object.keys(answers).find((k) => config.message.startsWith(k))!];
    };
    const prompts = { select: answer, checkbox: answer, number: answer, input: answer, confirm: answer } as unknown as Prompts;
    await buildQuote(own.admin, { prospect_name: 'FiberNet', prospect_email: 'buyer@fibernet.example' }, prompts, () => {});
    expect(offered.some((name) => name.startsWith('Analytics'))).toBe(true);
    expect(offered.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(offered.some((name) => name.includes('Pro\\x1b]52;c;'))).toBe(true);
  });
});
