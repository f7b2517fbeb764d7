// `dotmac flags` as a new user runs it, in local mode and over HTTP: staff create, roll out and
// delete flags; an instance agent reads its own tenant's flags; bad input fails in one line with
// its exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, startServer, type Workspace } from './cli.js';

interface Flag {
  key: string;
  state: string;
  rollout: number;
  tenants: { id: string; slug: string }[];
  except: { id: string; slug: string }[];
  enabled_tenants: number;
}

let ws: Workspace;
const slugs = Array.from({ length: 12 }, (_, i) => `isp-${i}`);
beforeAll(async () => {
  ws = await newWorkspace();
  for (const slug of slugs) await ws.json(['tenants', 'create', '--slug', slug, '--name', `ISP ${slug}`]);
}, 120_000);
afterAll(() => cleanup());

describe('dotmac flags', () => {
  it('creates a flag off, rolls it out, names tenants on and off, enables, disables and deletes it', async () => {
    const created = await ws.json<Flag>(['flags', 'create', 'new-billing', '--description', 'The new invoice layout']);
    expect(created).toMatchObject({ key: 'new-billing', state: 'off', rollout: 0, enabled_tenants: 0 });

    const rolled = await ws.json<Flag>(['flags', 'set', 'new-billing', '--rollout', '50', '--tenants', 'isp-0,isp-1', '--except', 'isp-1', '--reason', 'pilot']);
    expect(rolled).toMatchObject({ state: 'partial', rollout: 50 });
    expect(rolled.tenants.map((t) => t.slug)).toEqual(['isp-0', 'isp-1'].sort());
    expect(rolled.except.map((t) => t.slug)).toEqual(['isp-1']);

    // enabled_tenants is what evaluating every tenant finds
    let on = 0;
    for (const slug of slugs) if ((await ws.json<{ flags: Record<string, boolean> }>(['flags', 'evaluate', '--tenant', slug])).flags['new-billing']) on++;
    const got = await ws.json<Flag>(['flags', 'get', 'new-billing']);
    expect(got.enabled_tenants).toBe(on);
    expect((await ws.json<{ flags: Record<string, boolean> }>(['flags', 'evaluate', '--tenant', 'isp-0'])).flags['new-billing']).toBe(true);
    expect((await ws.json<{ flags: Record<string, boolean> }>(['flags', 'evaluate', '--tenant', 'isp-1'])).flags['new-billing']).toBe(false);

    const list = await ws.run(['flags', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^new-billing\tpartial\t50 %/m);

    const enabled = await ws.run(['flags', 'enable', 'new-billing', '--json']);
    expect(JSON.parse(enabled.stdout)).toMatchObject({ state: 'on', rollout: 100, tenants: [], except: [], enabled_tenants: slugs.length });
    const again = await ws.run(['flags', 'enable', 'new-billing']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already on for every tenant; nothing changed');
    expect(await ws.json<Flag>(['flags', 'disable', 'new-billing'])).toMatchObject({ state: 'off', enabled_tenants: 0 });

    const refused = await ws.run(['flags', 'delete', 'new-billing']);
    expect(refused.code).toBe(2);
    expectOneLineError(refused);
    expect((await ws.run(['flags', 'delete', 'new-billing', '--yes'])).code).toBe(0);
    const gone = await ws.run(['flags', 'get', 'new-billing']);
    expect(gone.code).toBe(5);
    expect(expectOneLineError(gone).hint).toContain('dotmac flags list');

    const audit = await ws.json<{ action: string; reason: string | null }[]>(['audit', 'list', '--limit', '10']);
    expect(audit.filter((e) => e.action.startsWith('flag.')).map((e) => e.action)).toEqual(['flag.delete', 'flag.disable', 'flag.enable', 'flag.set', 'flag.create']);
    expect(audit.find((e) => e.action === 'flag.set')?.reason).toBe('pilot');
  });

  it('refuses bad input in one line with the documented exit codes', async () => {
    await ws.json(['flags', 'create', 'strict']);
    const cases: [string[], number, RegExp][] = [
      [['flags', 'set', 'strict', '--rollout', '150'], 2, /0 to 100/],
      [['flags', 'set', 'strict', '--rollout', '-5'], 2, /0 to 100/],
      [['flags', 'set', 'strict', '--rollout', '12.345'], 2, /0 to 100/],
      [['flags', 'set', 'strict', '--rollout', 'half'], 2, /0 to 100/],
      [['flags', 'set', 'strict'], 2, /--rollout, --tenants or --except/],
      [['flags', 'set', 'strict', '--tenants', 'isp-0,no-such-isp'], 5, /no-such-isp/],
      [['flags', 'set', 'nope', '--rollout', '5'], 5, /flag "nope"/],
      [['flags', 'create', 'strict'], 6, /already exists/],
      [['flags', 'create', 'Not_Lower'], 2, /lower-case/],
      [['flags', 'create', 'evaluate'], 2, /evaluate/],
      [['flags', 'delete', 'nope', '--yes'], 5, /flag "nope"/],
      [['flags', 'evaluate'], 2, /tenant/],
    ];
    for (const [args, code, message] of cases) {
      const res = await ws.run(args);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(code);
      expect(expectOneLineError(res).message, args.join(' ')).toMatch(message);
    }
    const asJson = await ws.run(['flags', 'set', 'strict', '--rollout', '101', '--json']);
    expect(asJson.code).toBe(2);
    expect(JSON.parse(asJson.stderr)).toMatchObject({ error: { exit_code: 2 } });
  });

  it('is master_admin only: a tenant admin gets exit 4, and reads only its own flags', async () => {
    await ws.json(['flags', 'create', 'tenant-view']);
    await ws.json(['flags', 'set', 'tenant-view', '--tenants', 'isp-3']);
    const token = (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'isp-3'])).token;
    const env = { DOTMAC_TOKEN: token };
    for (const args of [['flags', 'list'], ['flags', 'create', 'sneaky'], ['flags', 'enable', 'tenant-view'], ['flags', 'delete', 'tenant-view', '--yes']]) {
      const res = await ws.run(args, { env });
      expect(res.code, args.join(' ')).toBe(4);
      expectOneLineError(res);
    }
    expect((await ws.json<{ flags: Record<string, boolean> }>(['flags', 'evaluate'], { env })).flags['tenant-view']).toBe(true);
    const other = await ws.run(['flags', 'evaluate', '--tenant', 'isp-4'], { env });
    expect(other.code).toBe(5);
  });

  it('answers an instance agent over HTTP with its own tenant\'s flags', async () => {
    await ws.json(['flags', 'create', 'agent-flag']);
    await ws.json(['flags', 'set', 'agent-flag', '--tenants', 'isp-7']);
    const instance = (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'instance', '--tenant', 'isp-7'])).token;
    const server = await startServer(ws.env, ['--dir', ws.dir, '--quiet']);
    try {
      const res = await fetch(`${server.url}/v1/flags/evaluate`, { headers: { authorization: `Bearer ${instance}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { tenant_id: string; flags: Record<string, boolean> };
      expect(body.flags['agent-flag']).toBe(true);
      expect(Object.values(body.flags).every((v) => typeof v === 'boolean')).toBe(true);
      const listed = await fetch(`${server.url}/v1/flags`, { headers: { authorization: `Bearer ${instance}` } });
      expect(listed.status).toBe(403);
      // the CLI over HTTP, as the agent's operator would script it
      const cli = await ws.json<{ flags: Record<string, boolean> }>(['flags', 'evaluate'], { env: { DOTMAC_API_URL: server.url, DOTMAC_TOKEN: instance } });
      expect(cli.flags['agent-flag']).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
