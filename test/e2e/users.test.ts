// `dotmac users ...` as a new user runs it, in local mode: staff invite a tenant's first admin, the
// tenant admin (its token in DOTMAC_TOKEN, no --tenant) manages its people, the invite code is
// printed once and is nowhere in the workspace afterwards, the last admin stays, and bad input
// fails in one line with its exit code.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitation, TenantUser } from '../../src/client/types.js';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

let ws: Workspace;
let admin: Record<string, string>;
beforeAll(async () => {
  ws = await newWorkspace();
  await ws.json(['tenants', 'create', '--slug', 'fibernet', '--name', 'Fibernet']);
  admin = { DOTMAC_TOKEN: (await ws.json<{ token: string }>(['tokens', 'create', '--role', 'tenant_admin', '--tenant', 'fibernet'])).token };
});
afterAll(() => cleanup());

describe('users', () => {
  it('invite prints the code once; accept, role, disable, enable and remove follow; the last admin stays', async () => {
    const first = await ws.run(['users', 'invite', '--tenant', 'fibernet', '--email', 'NOC@Fibernet.example', '--role', 'admin']);
    expect(first.code).toBe(0);
    const code = first.stdout.trim().split('\n').at(-1)!;
    expect(code).toMatch(/^dmi_[A-Za-z0-9_-]{32}$/);
    expect(first.stderr).toContain('shown only now');
    const accepted = await ws.json<TenantUser>(['users', 'accept', 'noc@fibernet.example', '--code', code], { env: admin });
    expect(accepted).toMatchObject({ email: 'noc@fibernet.example', role: 'admin', status: 'active' });
    // the code is nowhere at rest in the workspace
    expect(readFileSync(ws.db).includes(Buffer.from(code))).toBe(false);

    for (const args of [['users', 'remove', 'noc@fibernet.example', '--yes'], ['users', 'disable', 'noc@fibernet.example'], ['users', 'role', 'noc@fibernet.example', '--role', 'viewer']]) {
      const refused = await ws.run(args, { env: admin });
      expect(refused.code, refused.stderr).toBe(6);
      expect(expectOneLineError(refused).message).toContain('last admin');
    }

    const op = await ws.json<Invitation>(['users', 'invite', '--email', 'ops@fibernet.example', '--role', 'operator'], { env: admin });
    await ws.json(['users', 'accept', op.user.id], { env: { ...admin, DOTMAC_INVITE_CODE: op.invite_code } });
    expect((await ws.json<TenantUser>(['users', 'role', 'ops@fibernet.example', '--role', 'admin'], { env: admin })).role).toBe('admin');
    expect((await ws.json<TenantUser>(['users', 'disable', 'noc@fibernet.example'], { env: admin })).status).toBe('disabled');
    const again = await ws.run(['users', 'disable', 'noc@fibernet.example'], { env: admin });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing changed');
    expect((await ws.json<TenantUser>(['users', 'enable', 'noc@fibernet.example'], { env: admin })).status).toBe('active');
    expect((await ws.json<TenantUser>(['users', 'remove', 'ops@fibernet.example', '--yes'], { env: admin })).email).toBe('ops@fibernet.example');
    const listed = await ws.json<TenantUser[]>(['users', 'list'], { env: admin });
    expect(listed.map((u) => [u.email, u.role, u.status])).toEqual([['noc@fibernet.example', 'admin', 'active']]);
  });

  it('a used code, a duplicate, bad input and other scopes fail in one line with their exit codes', async () => {
    const inv = await ws.json<Invitation>(['users', 'invite', '--email', 'view@fibernet.example', '--role', 'viewer'], { env: admin });
    await ws.json(['users', 'accept', 'view@fibernet.example', '--code', inv.invite_code], { env: admin });
    const cases: [string[], number][] = [
      [['users', 'accept', 'view@fibernet.example', '--code', inv.invite_code], 6],
      [['users', 'invite', '--email', 'VIEW@fibernet.example', '--role', 'admin'], 6],
      [['users', 'invite', '--email', 'not-an-email', '--role', 'admin'], 2],
      [['users', 'invite', '--email', 'x@fibernet.example', '--role', 'owner'], 2],
      [['users', 'enable', 'nobody@fibernet.example'], 5],
      [['users', 'list', '--tenant', 'elsewhere'], 5],
      [['users', 'remove', 'view@fibernet.example'], 2],
    ];
    for (const [args, exit] of cases) {
      const res = await ws.run(args, { env: admin });
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(exit);
      expectOneLineError(res);
    }
    const staff = await ws.run(['users', 'list']);
    expect(staff.code).toBe(2);
    expect(expectOneLineError(staff).message).toContain('--tenant is required');
  });
});
