// What the built CLI prints for a pipe or a program: tab-separated rows, CSV, JSON and --columns.
// Names that could drive a terminal or a spreadsheet: hostile-names.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, runCli, type Workspace } from './cli.js';

afterAll(cleanup);

describe('--columns', () => {
  it('takes header names in any case and any field, and projects --json in that order', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha ISP']);
    const [alpha] = await ws.json<Record<string, unknown>[]>(['tenants', 'list', '--columns', 'Created,SLUG,reseller,contact_email']);
    expect(Object.keys(alpha!)).toEqual(['created_at', 'slug', 'reseller_slug', 'contact_email']);
    expect(alpha).toMatchObject({ slug: 'alpha', reseller_slug: null });

    const piped = await ws.run(['tenants', 'list', '--columns', 'slug,version,Status']);
    expect(piped.stdout).toBe('alpha\t1\tactive\n');
  });

  it('refuses an unknown name with exit 2 and the valid names, before any request', async () => {
    // a server that is not there: the usage error comes first
    const env = { DOTMAC_API_URL: 'http://127.0.0.1:9', DOTMAC_TOKEN: 'not-used' };
    for (const json of [[], ['--json']]) {
      const res = await runCli(['tenants', 'list', '--columns', 'slug,colour', ...json], { env });
      expect(res.code).toBe(2);
      const error = json.length ? JSON.parse(res.stderr).error : expectOneLineError(res);
      expect(error.message).toBe('unknown column "colour"');
      expect(error.hint).toBe('available columns: slug, name, status, plan, region, reseller, id, reseller_id, contact, created, updated, version');
    }
  });

  it('lists the names in each list command\'s help', async () => {
    const help = async (topic: string) => (await runCli([topic, 'list', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(await help('tenants')).toContain('slug, name, status, plan, region, reseller, id, reseller_id, contact, created, updated, version');
    expect(await help('audit')).toContain('seq, at, action, role, actor, target, reason, id, target_type, tenant, request, details, prev_hash, hash');
    expect(await help('tokens')).toContain('jti, role, email, tenant, reseller, expires, revoked, label, user, created, created_by');
    expect(await help('resellers')).toContain('slug, name, territory, tier, kind, id, tier_source, quota, default_bps, lifetime_revenue, created, updated');
  });
});

describe('flags the environment can set', () => {
  it('says which variable a flag came from, and that a typed flag beats it, without repeating the value', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha ISP']);
    await ws.json(['tenants', 'create', '--slug', 'beta', '--name', 'Beta Net']);
    await ws.json(['tickets', 'create', '--tenant', 'alpha', '--subject', 'Link down', '--priority', 'p2']);

    const fromEnvironment = await ws.run(['tickets', 'list', '--json'], { env: { DOTMAC_TENANT: 'alpha' } });
    expect(fromEnvironment.code).toBe(0);
    expect(JSON.parse(fromEnvironment.stdout)).toHaveLength(1);
    expect(fromEnvironment.stderr).toBe('Note: --tenant from DOTMAC_TENANT in the environment\n');

    const typed = await ws.run(['tickets', 'list', '--json', '--tenant', 'beta'], { env: { DOTMAC_TENANT: 'alpha' } });
    expect(typed.code).toBe(0);
    expect(JSON.parse(typed.stdout)).toHaveLength(0);
    expect(typed.stderr).toBe('Note: --tenant given; ignoring DOTMAC_TENANT from the environment\n');

    // set but empty is not set (oclif's rule): no note
    expect((await ws.run(['tickets', 'list', '--json'], { env: { DOTMAC_TENANT: '' } })).stderr).toBe('');
  });
});
