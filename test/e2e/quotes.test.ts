// Quotes as a new user runs them from the terminal (local mode): a reseller quotes, submits over
// its authority, a deal-desk token approves, the customer views and accepts, and is onboarded
// once; exports as Markdown, CSV and a PDF a reader opens; the builder on a real terminal.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, ROOT, tempDir, type Workspace } from './cli.js';

interface Quote {
  id: string;
  number: string;
  status: string;
  monthly_cents: number;
  first_invoice_cents: number;
  lines: { kind: string; amount_cents: number }[];
  flags: string[];
  onboarding?: { tenant_slug: string; tenant_id: string; deployment_id: string | null };
}

let ws: Workspace;
let reseller: Record<string, string>;
let desk: Record<string, string>;
beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['resellers', 'create', '--slug', 'acme', '--name', 'Acme Partners']);
  reseller = { DOTMAC_TOKEN: (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'acme'])).token };
  // A reseller's quotes are limited to its territories (the default region is eu-west).
  await ws.json(['territories', 'create', 'Europe', '--regions', 'eu-west,eu-central']);
  await ws.json(['territories', 'assign', 'Europe', '--reseller', 'acme']);
  desk = { DOTMAC_TOKEN: (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'master_admin', '--email', 'desk@example.com', '--discount-authority', '2000'])).token };
});
afterAll(() => cleanup());

const create = ['quotes', 'create', '--prospect', 'FiberNet Ltd', '--email', 'buyer@fibernet.example', '--plan', 'professional', '--term', '12', '--subscribers', '1800', '--addon', 'premium-support'];

describe('a reseller quotes from the terminal', () => {
  it('create, submit (approval when over authority), approve, send, view, accept: onboarded once', async () => {
    const quote = await ws.json<Quote>([...create, '--discount-bps', '800'], { env: reseller });
    expect(quote.status).toBe('draft');
    expect(quote.lines.reduce((t, l) => t + l.amount_cents, 0)).toBe(quote.first_invoice_cents);

    const submitted = await ws.run(['quotes', 'submit', quote.number], { env: reseller });
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stderr).toMatch(/over its author's discount authority \(800 bps needed\): pending approval/);

    const own = await ws.run(['quotes', 'approve', quote.number], { env: reseller });
    expect(own.code).toBe(4);
    expectOneLineError(own);
    expect((await ws.json<Quote>(['quotes', 'approve', quote.number], { env: desk })).status).toBe('approved');
    expect((await ws.json<Quote>(['quotes', 'send', quote.number], { env: reseller })).status).toBe('sent');
    expect((await ws.json<Quote>(['quotes', 'view', quote.number], { env: reseller })).status).toBe('viewed');

    const accepted = await ws.json<Quote>(['quotes', 'accept', quote.number], { env: reseller });
    expect(accepted).toMatchObject({ status: 'accepted', onboarding: { tenant_slug: 'fibernet-ltd', deployment_id: expect.any(String) } });
    const again = await ws.run(['quotes', 'accept', quote.number], { env: reseller });
    expect(again.code).toBe(6);
    expect(expectOneLineError(again).message).toMatch(/already accepted/);
    const tenants = await ws.json<{ slug: string; reseller_slug: string }[]>(['tenants', 'list']);
    expect(tenants.filter((t) => t.slug.startsWith('fibernet'))).toEqual([expect.objectContaining({ slug: 'fibernet-ltd', reseller_slug: 'acme' })]);
  });

  it('shows cents in --json and dollars in tables, and the hard cap as upgrade_required', async () => {
    const quote = await ws.json<Quote>(['quotes', 'create', '--prospect', 'Small', '--email', 's@small.example', '--plan', 'starter', '--term', '1', '--subscribers', '300'], { env: reseller });
    expect(quote.flags).toEqual(['upgrade_required']);
    const shown = await ws.run(['quotes', 'get', quote.number], { env: reseller });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Monthly total\t\$\d+\.\d\d$/m);
    expect(shown.stderr).toMatch(/^Warning: 300 subscribers is over the starter plan's hard cap of 250/m);
    expect(shown.stderr).toMatch(/upgrade_required/);
  });

  it('refuses bad input in one line with its exit code, changing nothing', async () => {
    const before = (await ws.json<Quote[]>(['quotes', 'list', '--all'])).length;
    const missing = await ws.run(['quotes', 'create', '--prospect', 'X', '--email', 'x@x.example', '--plan', 'starter'], { env: reseller });
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing).message).toBe('missing --term, --subscribers');
    for (const args of [
      ['--plan', 'platinum', '--term', '12', '--subscribers', '5'],
      ['--plan', 'starter', '--term', '12', '--subscribers', '5', '--addon', 'jetpack'],
      ['--plan', 'starter', '--term', '6', '--subscribers', '5'],
      ['--plan', 'starter', '--term', '12', '--subscribers', '5', '--discount-bps', '4001'],
    ]) {
      const res = await ws.run(['quotes', 'create', '--prospect', 'X', '--email', 'x@x.example', ...args], { env: reseller });
      expect(res.code, args.join(' ')).toBe(2);
      expectOneLineError(res);
    }
    expect((await ws.json<Quote[]>(['quotes', 'list', '--all'])).length).toBe(before);
  });
});

describe('exports', () => {
  it('writes Markdown, CSV and a PDF a reader opens, each as a new 0600 file', async () => {
    const quote = await ws.json<Quote>(create.map((a) => (a === 'FiberNet Ltd' ? 'Export Co' : a)), { env: reseller });
    const dir = tempDir();
    for (const format of ['md', 'csv', 'pdf']) {
      const out = join(dir, `quote.${format}`);
      const res = await ws.run(['quotes', 'export', quote.number, '--format', format, '--out', out], { env: reseller });
      expect(res.code, res.stderr).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const again = await ws.run(['quotes', 'export', quote.number, '--format', format, '--out', out], { env: reseller });
      expect(again.code).toBe(6);
    }
    const dollars = `$${(quote.first_invoice_cents / 100).toFixed(2)}`;
    expect(readFileSync(join(dir, 'quote.md'), 'utf8')).toContain(`**${dollars.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}**`);
    expect(readFileSync(join(dir, 'quote.csv'), 'utf8')).toContain(`total,First invoice (first month + setup),,,${quote.first_invoice_cents},USD`);
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(join(dir, 'quote.pdf'))), verbosity: 0 }).promise;
    const text = (await (await pdf.getPage(1)).getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
    expect(text).toContain(`Quote ${quote.number}`);
    expect(text).toContain('First invoice (first month + setup)');
    expect(text).toContain(`$${(quote.monthly_cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    await pdf.destroy();
  });
});

describe('territories', () => {
  it('outside them a quote is exit 4 outside_territory and nothing is written; inside it links its opportunity, which accepting wins', async () => {
    const count = async () => (await ws.json<Quote[]>(['quotes', 'list'])).length;
    const before = await count();
    const outside = await ws.run(['quotes', 'create', '--prospect', 'Far Co', '--email', 'f@far.example', '--plan', 'starter', '--term', '12', '--subscribers', '10', '--region', 'us-east', '--json'], { env: reseller });
    expect(outside.code).toBe(4);
    expect(JSON.parse(outside.stderr.split('\n').filter((l) => !/^(Note|Warning): /.test(l)).join('\n')).error).toMatchObject({ code: 'outside_territory', exit_code: 4 });
    const human = await ws.run(['quotes', 'create', '--prospect', 'Far Co', '--email', 'f@far.example', '--plan', 'starter', '--term', '12', '--subscribers', '10', '--region', 'us-east'], { env: reseller });
    expect(human.code).toBe(4);
    expect(expectOneLineError(human).message).toMatch(/region "us-east" is outside the reseller's territories: the reseller's territories cover eu-central, eu-west/);
    expect(await count()).toBe(before);

    const opp = await ws.json<{ id: string }>(['pipeline', 'create', '--prospect', 'Near Co', '--region', 'eu-central', '--value', '50000', '--stage', 'proposal'], { env: reseller });
    const wrongRegion = await ws.run(['quotes', 'create', '--prospect', 'Near Co', '--email', 'n@near.example', '--plan', 'starter', '--term', '12', '--subscribers', '10', '--opportunity', opp.id], { env: reseller });
    expect(wrongRegion.code).toBe(2);
    expectOneLineError(wrongRegion);
    const unknown = await ws.run(['quotes', 'create', '--prospect', 'Near Co', '--email', 'n@near.example', '--plan', 'starter', '--term', '12', '--subscribers', '10', '--region', 'eu-central', '--opportunity', 'opp_unknown'], { env: reseller });
    expect(unknown.code).toBe(5);
    expect(await count()).toBe(before);

    const quote = await ws.json<Quote & { opportunity_id: string }>(['quotes', 'create', '--prospect', 'Near Co', '--email', 'n@near.example', '--plan', 'starter', '--term', '12', '--subscribers', '10', '--region', 'eu-central', '--opportunity', opp.id], { env: reseller });
    expect(quote.opportunity_id).toBe(opp.id);
    await ws.json(['quotes', 'submit', quote.number], { env: reseller });
    await ws.json(['quotes', 'accept', quote.number], { env: reseller });
    expect(await ws.json<{ stage: string; quote_id: string }>(['pipeline', 'get', opp.id], { env: reseller })).toMatchObject({ stage: 'won', quote_id: quote.id });
  });
});

describe('tenants onboard', () => {
  it('runs the same workflow for a staff request without a quote', async () => {
    const result = await ws.json<{ tenant_slug: string; deployment_id: string }>(['tenants', 'onboard', '--name', 'Direct Co', '--slug', 'direct-co', '--plan', 'enterprise', '--term', '24', '--subscribers', '3000', '--reseller', 'acme']);
    expect(result).toMatchObject({ tenant_slug: 'direct-co', deployment_id: expect.any(String) });
    const refused = await ws.run(['tenants', 'onboard', '--name', 'X', '--slug', 'x-co', '--plan', 'starter', '--term', '1', '--subscribers', '1'], { env: reseller });
    expect(refused.code).toBe(4);
  });
});

/**
 * Runs the CLI on a real pseudo-terminal (util-linux `script`) and answers each prompt when it
 * appears on the screen: no sleeps, the keys follow what the program shows.
 */
function onTerminal(args: string[], env: Record<string, string>, dialogue: [RegExp, string][]): Promise<{ code: number | null; screen: string }> {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', `stty cols 120; exec node ${join(ROOT, 'bin', 'run.js')} ${quoted}`, '/dev/null'], {
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8', TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let step = 0;
  let seenUpTo = 0;
  const plain = () => screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    while (step < dialogue.length) {
      const text = plain().slice(seenUpTo);
      const match = dialogue[step]![0].exec(text);
      if (!match) break;
      seenUpTo += match.index + match[0].length;
      child.stdin.write(dialogue[step]![1]);
      step++;
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen: plain() })));
}

describe('the quote builder on a terminal', () => {
  it('asks for the missing flags with the running monthly total, then creates the confirmed draft', { timeout: 60_000 }, async () => {
    const { code, screen } = await onTerminal(['quotes', 'create', '--prospect', 'Terminal Co', '--email', 't@terminal.example'], { HOME: ws.home, ...reseller }, [
      [/Plan/, '\x1b[B\r'], // the second plan: professional
      [/Term/, '\r'], // the default: 12 months
      [/Subscribers/, '1500\r'],
      [/Add-ons/, ' \r'], // the first add-on
      [/Negotiated discount/, '\r'],
      [/Create this draft quote\?/, '\r'],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/monthly total so far: \$\d/);
    expect(screen).toMatch(/Created draft quote Q-[0-9A-Z]{8}/);
    const quotes = await ws.json<(Quote & { prospect_name: string; plan: string; subscribers: number; addons: string[] })[]>(['quotes', 'list', '--all']);
    expect(quotes.find((q) => q.prospect_name === 'Terminal Co')).toMatchObject({ plan: 'professional', subscribers: 1500, addons: ['white-label'] });
  });
});
