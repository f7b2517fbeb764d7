// The acceptance session: a new user sets up a workspace, onboards resellers and tenants, hands out
// role tokens and checks what each role sees. Run once in local mode and once against
// `server start` over HTTP; both must print the same --json (ids and times aside).
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, startServer, type CliResult, type RunningServer } from './cli.js';

afterAll(cleanup);

type Mode = 'local' | 'http';
type Json = any; // parsed CLI output, checked field by field

/** Replaces what necessarily differs between two runs with stable placeholders; ids keep their identity. */
function normaliser(paths: [string, string][]) {
  const ids = new Map<string, string>();
  const text = (value: string): string => {
    for (const [from, to] of paths) value = value.replaceAll(from, to);
    return value
      .replace(/\b(ten|res|tok|usr|aud|req)_[0-9a-z]{20,}\b/g, (id, prefix: string) => {
        if (!ids.has(id)) ids.set(id, `${prefix}#${[...ids.keys()].filter((k) => k.startsWith(prefix)).length + 1}`);
        return ids.get(id)!;
      })
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<jwt>')
      .replace(/\b[0-9a-f]{64}\b/g, '<hash>')
      .replace(/\bhead [0-9a-f]{16}…/g, 'head <hash>…')
      .replace(/--cursor \S+/g, '--cursor <cursor>');
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk;
}

const slugs = (rows: Json[]) => rows.map((row) => row.slug);
const DAY = 86_400_000;
const transcripts: Partial<Record<Mode, unknown[]>> = {};

async function session(mode: Mode): Promise<unknown[]> {
  const ws = await newWorkspace(['--json']);
  let server: RunningServer | undefined;
  try {
    if (mode === 'http') server = await startServer(ws.env, ['--dir', ws.dir]);
    const api = server?.url ?? 'local';
    const normalise = normaliser(server ? [[ws.dir, '<ws>'], [server.url, '<api>']] : [[ws.dir, '<ws>']]);
    const transcript: unknown[] = [];
    /** runs one command and records its normalised result in the transcript */
    const step = async (args: string[], expectCode = 0): Promise<CliResult & { json: Json }> => {
      const res = await ws.run(args);
      if (res.code !== expectCode) throw new Error(`dotmac ${args.join(' ')} exited ${res.code}, expected ${expectCode}\n${res.stderr}${res.stdout}`);
      const json = args.includes('--json') && res.code === 0 ? JSON.parse(res.stdout) : undefined;
      // whoami names the API, which is the one thing the two modes must differ in
      const out = json && typeof json.api === 'string' ? { ...json, api: '<api>' } : (json ?? res.stdout);
      transcript.push({ args: normalise(args.join(' ')), code: res.code, out: normalise(out), err: normalise(res.stderr) });
      return { ...res, json };
    };

    const init = JSON.parse(ws.init.stdout);
    expect(init).toEqual({ created: true, dir: ws.dir, db: ws.db, profile: 'local', seeded: null });
    transcript.push(normalise(init));

    // profiles record where they point (a database file, or none), so they stay out of the transcript
    const addProfile = async (name: string, token: string, ...more: string[]) => {
      const res = await ws.run(['profiles', 'add', name, '--api', api, '--token', token, ...more, '--json']);
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ name, api, db: mode === 'local' ? ws.db : null, read_only: false });
    };
    await addProfile('admin', ws.token, '--use');

    // resellers
    const R = (await step(['resellers', 'create', '--slug', 'acme', '--name', 'Acme Networks', '--territory', 'East Africa', '--tier', 'gold', '--reason', 'partner agreement signed', '--json'])).json;
    expect(R).toMatchObject({ slug: 'acme', name: 'Acme Networks', territory: 'East Africa', tier: 'gold' });
    expect(R.id).toMatch(/^res_/);
    const S = (await step(['resellers', 'create', '--slug', 'sigma', '--name', 'Sigma Telecom', '--json'])).json;
    expect(S).toMatchObject({ slug: 'sigma', tier: 'bronze', tier_source: 'revenue', territory: null });
    expect(slugs((await step(['resellers', 'list', '--json'])).json)).toEqual(['acme', 'sigma']);
    expect((await step(['resellers', 'get', 'acme', '--json'])).json).toEqual(R);

    // tenants
    const A = (await step(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha ISP', '--plan', 'professional', '--region', 'eu-west', '--contact-email', 'ops@alpha.example', '--reason', 'direct sale', '--json'])).json;
    expect(A).toMatchObject({ slug: 'alpha', name: 'Alpha ISP', plan: 'professional', region: 'eu-west', reseller_id: null, contact_email: 'ops@alpha.example', status: 'active', version: 1 });
    expect(A.id).toMatch(/^ten_/);
    const B = (await step(['tenants', 'create', '--slug', 'beta', '--name', 'Beta Fibre', '--reseller', 'acme', '--json'])).json;
    expect(B).toMatchObject({ slug: 'beta', reseller_id: R.id, status: 'active' });
    const C = (await step(['tenants', 'create', '--slug', 'gamma', '--name', 'Gamma Net', '--reseller', S.id, '--json'])).json;
    expect(C).toMatchObject({ slug: 'gamma', reseller_id: S.id });
    await step(['tenants', 'create', '--slug', 'alpha', '--name', 'Again', '--json'], 6);

    expect(slugs((await step(['tenants', 'list', '--json'])).json)).toEqual(['alpha', 'beta', 'gamma']);
    expect((await step(['tenants', 'get', 'beta', '--json'])).json).toEqual(B);
    expect((await step(['tenants', 'get', A.id, '--json'])).json).toEqual(A);
    expect(slugs((await step(['tenants', 'list', '--reseller', 'acme', '--json'])).json)).toEqual(['beta']);

    const updated = (await step(['tenants', 'update', 'alpha', '--plan', 'enterprise', '--name', 'Alpha ISP Ltd', '--reason', 'upsell Q4', '--json'])).json;
    expect(updated).toMatchObject({ id: A.id, plan: 'enterprise', name: 'Alpha ISP Ltd', version: 2, created_at: A.created_at });
    expect((await step(['tenants', 'suspend', 'beta', '--reason', 'invoice 2026-10 unpaid', '--json'])).json).toMatchObject({ slug: 'beta', status: 'suspended' });
    expect(slugs((await step(['tenants', 'list', '--status', 'suspended', '--json'])).json)).toEqual(['beta']);
    const again = await step(['tenants', 'suspend', 'beta']);
    expect(again.stderr).toBe('beta is already suspended; nothing changed\n');
    expect((await step(['tenants', 'resume', 'beta', '--reason', 'paid in full', '--json'])).json).toMatchObject({ slug: 'beta', status: 'active' });
    await step(['tenants', 'create', '--slug', 'delta', '--name', 'Delta Wireless', '--json']);
    const deleted = (await step(['tenants', 'delete', 'delta', '--confirm', 'delta', '--reason', 'duplicate signup', '--json'])).json;
    expect(deleted).toMatchObject({ slug: 'delta', status: 'cancelled' });
    expect((await step(['tenants', 'get', 'delta', '--json'])).json.status).toBe('cancelled');
    expect(expectOneLineError(await step(['tenants', 'resume', 'delta'], 6)).message).toBe('tenant "delta" is cancelled and cannot be resumed');

    // output formats and paging
    const csv = await step(['tenants', 'list', '--csv', '--columns', 'slug,status,plan']);
    expect(csv.stdout).toBe('slug,status,plan\nalpha,active,enterprise\nbeta,active,starter\ngamma,active,starter\ndelta,cancelled,starter\n');
    const piped = await step(['tenants', 'list', '--columns', 'slug,plan']);
    expect(piped.stdout).toBe('alpha\tenterprise\nbeta\tstarter\ngamma\tstarter\ndelta\tstarter\n');
    const page1 = await step(['tenants', 'list', '--limit', '1', '--json']);
    expect(slugs(page1.json)).toEqual(['alpha']);
    const cursor = /More tenants: --cursor (\S+) \(or --all\)/.exec(page1.stderr)?.[1];
    expect(cursor, `no cursor hint on stderr: ${page1.stderr}`).toBeDefined();
    expect(slugs((await step(['tenants', 'list', '--limit', '1', '--cursor', cursor!, '--json'])).json)).toEqual(['beta']);
    const all = await step(['tenants', 'list', '--all', '--limit', '1', '--json']);
    expect(slugs(all.json)).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect(all.stderr).toBe('');

    // role tokens
    const T1 = (await step(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'alpha', '--json'])).json;
    expect(T1).toMatchObject({ role: 'tenant_admin', tenant_id: A.id, reseller_id: null, revoked_at: null });
    expect(Date.parse(T1.expires_at) - Date.parse(T1.created_at)).toBe(30 * DAY);
    expect(T1.token.split('.')).toHaveLength(3);
    const T2 = (await step(['tokens', 'create', '--role', 'reseller', '--reseller', 'acme', '--ttl', '7d', '--json'])).json;
    expect(T2).toMatchObject({ role: 'reseller', reseller_id: R.id, tenant_id: null });
    expect(Date.parse(T2.expires_at) - Date.parse(T2.created_at)).toBe(7 * DAY);
    const listed = (await step(['tokens', 'list', '--json'])).json;
    expect(listed.map((t: Json) => t.jti)).toEqual(expect.arrayContaining([T1.jti, T2.jti]));
    expect(JSON.stringify(listed)).not.toContain(T1.token);
    await addProfile('alpha-admin', T1.token);
    await addProfile('acme-reseller', T2.token);

    // the tenant admin sees and changes only its own tenant
    const asAlpha = ['--profile', 'alpha-admin'];
    expect((await step(['whoami', ...asAlpha, '--json'])).json).toMatchObject({
      profile: 'alpha-admin', api, role: 'tenant_admin', tenant_id: A.id, tenant_slug: 'alpha', reseller_id: null, reseller_slug: null, jti: T1.jti,
    });
    expect(slugs((await step(['tenants', 'list', ...asAlpha, '--json'])).json)).toEqual(['alpha']);
    expect((await step(['tenants', 'get', 'alpha', ...asAlpha, '--json'])).json.id).toBe(A.id);
    expect(expectOneLineError(await step(['tenants', 'get', 'beta', ...asAlpha], 5)).message).toMatch(/beta.*not found/);
    expectOneLineError(await step(['tenants', 'suspend', 'alpha', ...asAlpha], 4));
    expect((await step(['tenants', 'get', 'alpha', '--json'])).json.status).toBe('active');

    // the reseller sees only its own customers; others are "not found", not "forbidden"
    const asAcme = ['--profile', 'acme-reseller'];
    expect((await step(['whoami', ...asAcme, '--json'])).json).toMatchObject({
      profile: 'acme-reseller', role: 'reseller', reseller_id: R.id, reseller_slug: 'acme', tenant_id: null, tenant_slug: null,
    });
    expect(slugs((await step(['tenants', 'list', ...asAcme, '--json'])).json)).toEqual(['beta']);
    expectOneLineError(await step(['tenants', 'get', 'gamma', ...asAcme], 5));
    expectOneLineError(await step(['tenants', 'get', 'alpha', ...asAcme], 5));
    expectOneLineError(await step(['tenants', 'get', A.id, ...asAcme], 5));
    expect((await step(['whoami', '--json'])).json).toMatchObject({ profile: 'admin', role: 'master_admin', tenant_id: null, reseller_id: null });

    // audit trail
    const events = (await step(['audit', 'list', '--all', '--json'])).json as Json[];
    const reasons = events.map((e) => e.reason).filter(Boolean);
    expect(reasons).toEqual(expect.arrayContaining(['partner agreement signed', 'direct sale', 'upsell Q4', 'invoice 2026-10 unpaid', 'paid in full', 'duplicate signup']));
    expect(events.find((e) => e.reason === 'upsell Q4')).toMatchObject({ action: 'tenant.update', target_id: A.id, role: 'master_admin' });
    expect(events.some((e) => e.role !== 'master_admin')).toBe(false); // the refused suspend wrote nothing
    const verify = (await step(['audit', 'verify', '--json'])).json;
    expect(verify).toMatchObject({ ok: true, checked: events.length, broken_at: null });
    expect((await step(['audit', 'verify'])).stdout).toMatch(/^Audit chain intact: \d+ events/);
    return transcript;
  } finally {
    await server?.stop();
  }
}

describe('acceptance session', () => {
  // the two sessions are independent subprocess trees, so they run side by side; the comparison waits for both
  for (const mode of ['local', 'http'] as const) {
    it.concurrent(`runs end to end in ${mode} mode`, { timeout: 180_000 }, async () => {
      transcripts[mode] = await session(mode);
    });
  }

  it('prints the same output in local and HTTP mode', () => {
    expect(transcripts.local, 'the local session did not finish').toBeDefined();
    expect(transcripts.http, 'the HTTP session did not finish').toBeDefined();
    expect(transcripts.http).toEqual(transcripts.local);
  });
});
