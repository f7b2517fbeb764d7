// Territories, the pipeline and customer health as a new user runs them, in local mode: staff set
// up territories, a reseller works its pipeline, bad input fails in one line with its exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

interface Opportunity {
  id: string;
  stage: string;
  weighted_cents: number;
  history: { from_stage: string | null; to_stage: string; reason: string | null }[];
}

let ws: Workspace;
let reseller: Record<string, string>;
beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['resellers', 'create', '--slug', 'acme', '--name', 'Acme']);
  await ws.json(['resellers', 'create', '--slug', 'beta', '--name', 'Beta']);
  await ws.json(['territories', 'create', 'US East', '--regions', 'us-east,us-central']);
  await ws.json(['territories', 'create', 'Central', '--regions', 'us-central,ca-central']);
  await ws.json(['territories', 'assign', 'US East', '--reseller', 'acme']);
  await ws.json(['territories', 'assign', 'Central', '--reseller', 'beta']);
  const token = (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'acme'])).token;
  reseller = { DOTMAC_TOKEN: token };
});
afterAll(() => cleanup());

describe('territories', () => {
  it('list shows staff the overlaps and a reseller only its own', async () => {
    const all = await ws.json<{ name: string; overlaps: { territory: string; regions: string[] }[] }[]>(['territories', 'list']);
    expect(all.find((t) => t.name === 'US East')?.overlaps).toEqual([{ territory: 'Central', regions: ['us-central'] }]);
    const own = await ws.json<{ name: string }[]>(['territories', 'list'], { env: reseller });
    expect(own.map((t) => t.name)).toEqual(['US East']);
  });

  it('assign without --reseller or --unassign is a usage error; a reseller may not assign (exit 4)', async () => {
    const usage = await ws.run(['territories', 'assign', 'US East']);
    expect(usage.code).toBe(2);
    expectOneLineError(usage);
    const forbidden = await ws.run(['territories', 'assign', 'Central', '--reseller', 'acme'], { env: reseller });
    expect(forbidden.code).toBe(4);
    expectOneLineError(forbidden);
  });
});

describe('the pipeline', () => {
  it('a reseller opens, moves and wins an opportunity, with its history', async () => {
    const created = await ws.json<Opportunity>(['pipeline', 'create', '--prospect', 'Fibre Town', '--email', 'ops@fibre.example', '--region', 'us-east', '--value', '100005', '--close-date', '2027-03-31'], { env: reseller });
    expect(created).toMatchObject({ stage: 'lead', weighted_cents: 10_001 });
    const moved = await ws.json<Opportunity>(['pipeline', 'move', created.id, '--stage', 'proposal', '--reason', 'demo went well'], { env: reseller });
    expect(moved).toMatchObject({ stage: 'proposal', weighted_cents: 50_003 });
    await ws.json(['pipeline', 'move', created.id, '--stage', 'won'], { env: reseller });
    const got = await ws.json<Opportunity>(['pipeline', 'get', created.id], { env: reseller });
    expect(got.history.map((h) => [h.from_stage, h.to_stage, h.reason])).toEqual([
      [null, 'lead', null],
      ['lead', 'proposal', 'demo went well'],
      ['proposal', 'won', null],
    ]);
    const final = await ws.run(['pipeline', 'move', created.id, '--stage', 'lost'], { env: reseller });
    expect(final.code).toBe(6);
    expectOneLineError(final);
  });

  it('list prints the totals by stage; --json gives them in cents', async () => {
    await ws.json(['pipeline', 'create', '--prospect', 'Metro', '--region', 'us-central', '--value', '333', '--stage', 'negotiation'], { env: reseller });
    const page = await ws.json<{ data: unknown[]; total: { count: number; value_cents: number; weighted_cents: number } }>(['pipeline', 'list', '--reseller', 'acme']);
    expect(page.total).toEqual({ count: 2, value_cents: 100_338, weighted_cents: 100_255 });
    const text = await ws.run(['pipeline', 'list'], { env: reseller });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^negotiation\t1\t\$3\.33\t\$2\.50$/m);
    expect(text.stderr).toMatch(/Total: 2 opportunities, \$1,003\.38, weighted \$1,002\.55/);
  });

  it('outside the territories is exit 4 with the code outside_territory; bad input is exit 2; nothing is written', async () => {
    const outside = await ws.run(['pipeline', 'create', '--prospect', 'X', '--region', 'eu-west', '--value', '1', '--json'], { env: reseller });
    expect(outside.code).toBe(4);
    expect(JSON.parse(outside.stderr.split('\n').filter((l) => !/^(Note|Warning): /.test(l)).join('\n')).error).toMatchObject({ code: 'outside_territory', exit_code: 4 });
    const human = await ws.run(['pipeline', 'create', '--prospect', 'X', '--region', 'eu-west', '--value', '1'], { env: reseller });
    expect(expectOneLineError(human).message).toMatch(/outside the reseller's territories: the reseller's territories cover us-central, us-east/);
    for (const args of [
      ['--value', '-5'],
      ['--value', '1', '--close-date', '2027-02-30'],
      ['--value', '1', '--stage', 'won'],
      ['--value', 'ten'],
    ]) {
      const res = await ws.run(['pipeline', 'create', '--prospect', 'X', '--region', 'us-east', ...args], { env: reseller });
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(2);
      expectOneLineError(res);
    }
    const page = await ws.json<{ total: { count: number } }>(['pipeline', 'list', '--reseller', 'acme']);
    expect(page.total.count).toBe(2);
  });

  it('a tenant admin has no pipeline (exit 4), and another reseller\'s opportunity is not found (exit 5)', async () => {
    await ws.json(['tenants', 'create', '--slug', 'fibernet', '--name', 'FiberNet', '--reseller', 'acme']);
    const admin = { DOTMAC_TOKEN: (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'fibernet'])).token };
    expect((await ws.run(['pipeline', 'list'], { env: admin })).code).toBe(4);
    const theirs = await ws.json<Opportunity>(['pipeline', 'create', '--prospect', 'Theirs', '--region', 'ca-central', '--value', '10', '--reseller', 'beta']);
    const res = await ws.run(['pipeline', 'get', theirs.id], { env: reseller });
    expect(res.code).toBe(5);
    expectOneLineError(res);
  });
});

describe('customer health', () => {
  it('records NPS and shows the score with each component\'s reason', async () => {
    await ws.json(['tenants', 'create', '--slug', 'happy', '--name', 'Happy', '--reseller', 'acme']);
    await ws.json(['customers', 'nps', '--tenant', 'happy', '--score', '10', '--comment', 'great'], { env: reseller });
    const health = await ws.json<{ tenant_slug: string; score: number; band: string }>(['customers', 'health', '--tenant', 'happy']);
    expect(health).toMatchObject({ tenant_slug: 'happy', score: 55, band: 'yellow' });
    const text = await ws.run(['customers', 'health', '--tenant', 'happy']);
    expect(text.stdout).toMatch(/sentiment\t10\t100\tlast NPS 10 → 100/);
    expect(text.stdout).toMatch(/billing\t20\t50 \(no data\)\tno data: no subscription in force and no overdue invoice/);
    const bad = await ws.run(['customers', 'nps', '--tenant', 'happy', '--score', '11']);
    expect(bad.code).toBe(2);
    expectOneLineError(bad);
    const red = await ws.json<unknown[]>(['customers', 'health', '--band', 'red']);
    expect(red).toEqual([]);
  });
});
