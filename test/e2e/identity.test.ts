// Who a command runs as, and what it says about it: flags beat the environment and every override
// is announced; profiles are never replaced by accident; tokens need not touch the command line;
// a role is checked before anyone is asked to confirm; doing a change twice is calm.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, runCli, startServer, tempDir, type CliResult, type Workspace } from './cli.js';

afterAll(cleanup);
// each case runs several CLI processes one after another; give a loaded machine room
vi.setConfig({ testTimeout: 90_000 });

function failure(res: CliResult, code: number) {
  expect(res.code, `expected exit ${code}\nstderr: ${res.stderr}\nstdout: ${res.stdout}`).toBe(code);
  return expectOneLineError(res);
}

const configFile = (ws: Workspace) => join(ws.home, '.config', 'dotmac', 'config.json');
const config = (ws: Workspace) => JSON.parse(readFileSync(configFile(ws), 'utf8')) as { current?: string; profiles: Record<string, Record<string, unknown>> };

/** A workspace with reseller acme owning beta, a direct tenant alpha, and a saved `acme` profile. */
async function withReseller(): Promise<Workspace & { resellerToken: string }> {
  const ws = await newWorkspace();
  await ws.json(['resellers', 'create', '--slug', 'acme', '--name', 'Acme']);
  await ws.json(['tenants', 'create', '--slug', 'alpha', '--name', 'Alpha']);
  await ws.json(['tenants', 'create', '--slug', 'beta', '--name', 'Beta', '--reseller', 'acme']);
  const { token } = await ws.json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'acme']);
  const added = await ws.run(['profiles', 'add', 'acme', '--api', 'local', '--with-token'], { input: `${token}\n` });
  expect(added.code, added.stderr).toBe(0);
  return { ...ws, resellerToken: token };
}

describe('the flag a person typed beats the environment', () => {
  it('--profile uses that profile as saved, even with a master token exported, and says so', async () => {
    const ws = await withReseller();
    const env = { DOTMAC_TOKEN: ws.token };
    const who = await ws.run(['whoami', '--profile', 'acme', '--json'], { env });
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ profile: 'acme', role: 'reseller', token_source: 'profile "acme"' });
    expect(who.stderr).toBe('Note: --profile acme given; ignoring DOTMAC_TOKEN from the environment\n');
    const suspend = await ws.run(['tenants', 'suspend', 'beta', '--profile', 'acme'], { env });
    expect(failure(suspend, 4).message).toMatch(/the reseller role may not suspend tenant/);
    expect((await ws.json<{ status: string }>(['tenants', 'get', 'beta'])).status).toBe('active');
  });

  it('without --profile, an exported token is used and the override is announced; whoami names the source', async () => {
    const ws = await withReseller();
    const res = await ws.run(['whoami', '--json'], { env: { DOTMAC_TOKEN: ws.resellerToken } });
    expect(JSON.parse(res.stdout)).toMatchObject({ profile: 'local', role: 'reseller', token_source: 'DOTMAC_TOKEN', api_source: 'profile "local"' });
    expect(res.stderr).toBe('Note: DOTMAC_TOKEN overrides the token of profile "local"\n');
  });

  it('profiles use warns that an exported DOTMAC_PROFILE still decides, and profiles list shows what is in use', async () => {
    const ws = await withReseller();
    const env = { DOTMAC_PROFILE: 'acme' };
    const use = await ws.run(['profiles', 'use', 'local'], { env });
    expect(use.code).toBe(0);
    expect(use.stderr).toMatch(/^Warning: DOTMAC_PROFILE is set in this environment, so commands here still use profile "acme"/);
    const who = await ws.run(['whoami', '--json'], { env });
    expect(JSON.parse(who.stdout)).toMatchObject({ profile: 'acme', role: 'reseller' });
    expect(who.stderr).toBe('Note: DOTMAC_PROFILE selects profile "acme", not the current profile "local"\n');
    const list = await ws.run(['profiles', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout).map((p: { name: string; current: boolean; active: boolean }) => [p.name, p.current, p.active])).toEqual([
      ['local', true, false],
      ['acme', false, true],
    ]);
    expect(list.stderr).toContain('Commands here use "acme" (chosen by DOTMAC_PROFILE, not the current "local"): API from profile "acme", token from profile "acme".');
  });

  it('global flags may come before the topic', async () => {
    const ws = await withReseller();
    const res = await ws.run(['--profile', 'acme', '--json', 'tenants', 'list']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).map((t: { slug: string }) => t.slug)).toEqual(['beta']);
  });
});

describe('profiles are never replaced by accident', () => {
  it('init --dir elsewhere keeps "local" and names the new profile after the directory', async () => {
    const ws = await newWorkspace();
    const other = join(tempDir(), 'branch-office');
    const res = await ws.run(['init', '--dir', other]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/Profile "local" already names local workspace .*dotmac\.db; it is unchanged, and this workspace's profile is "branch-office"\./);
    const cfg = config(ws);
    expect(cfg.current).toBe('branch-office');
    expect(cfg.profiles.local!.token).toBe(ws.token);
    expect(cfg.profiles['branch-office']!.db).toBe(join(other, 'dotmac.db'));
    expect((await ws.json<{ role: string }>(['whoami', '--profile', 'local'])).role).toBe('master_admin');
  });

  it('profiles add and login refuse to replace a profile naming another place, or a read-only one, without --force', async () => {
    const ws = await withReseller();
    const before = readFileSync(configFile(ws), 'utf8');
    const elsewhere = await ws.run(['profiles', 'add', 'acme', '--api', 'https://api.example.net', '--with-token'], { input: ws.token });
    expect(failure(elsewhere, 6).message).toMatch(/^profile "acme" already exists and names local workspace .*; nothing was changed$/);
    expect(readFileSync(configFile(ws), 'utf8')).toBe(before);

    const ro = await ws.run(['profiles', 'add', 'audit', '--api', 'local', '--read-only', '--with-token'], { input: ws.token });
    expect(ro.code, ro.stderr).toBe(0);
    const dropRo = await ws.run(['login', '--profile', 'audit', '--api', 'local', '--db', ws.db, '--with-token'], { input: ws.token });
    expect(failure(dropRo, 6).message).toBe('profile "audit" already exists and is read-only; nothing was changed');
    expect(config(ws).profiles.audit!.readOnly).toBe(true);

    const forced = await ws.run(['profiles', 'add', 'acme', '--api', 'https://api.example.net', '--force', '--with-token'], { input: ws.token });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^Replaced profile "acme" \(was local workspace .*; now https:\/\/api\.example\.net\)\.$/m);
  });

  it('the same place gets its new token, and says so', async () => {
    const ws = await withReseller();
    const fresh = await ws.json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'acme']);
    const res = await ws.run(['profiles', 'add', 'acme', '--api', 'local', '--with-token'], { input: fresh.token });
    expect(res.stdout).toMatch(/^Updated profile "acme" \(local workspace .*\)\.$/m);
    expect(config(ws).profiles.acme!.token).toBe(fresh.token);
  });
});

describe('tokens off the command line', () => {
  it('login --with-token reads standard input; DOTMAC_TOKEN works too; a non-JWT is a usage error', async () => {
    const ws = await newWorkspace();
    const login = await ws.run(['login', '--api', 'local', '--db', ws.db, '--profile', 'piped', '--with-token'], { input: `  ${ws.token}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(config(ws).profiles.piped!.token).toBe(ws.token);

    const fromEnv = await ws.run(['profiles', 'add', 'ci', '--api', 'local'], { env: { DOTMAC_TOKEN: ws.token } });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stderr).toContain('Note: using the token from DOTMAC_TOKEN');
    expect(config(ws).profiles.ci!.token).toBe(ws.token);

    expect(failure(await ws.run(['profiles', 'add', 'x', '--api', 'local', '--with-token'], { input: 'not a token' }), 2).message).toBe(
      'the token from standard input is not a JWT (three base64url parts joined by dots)',
    );
    expect(failure(await ws.run(['profiles', 'add', 'x', '--api', 'local', '--with-token'], { input: '' }), 2).message).toBe('the token from standard input is empty');
    expect(failure(await ws.run(['profiles', 'add', 'x', '--api', 'local']), 2).message).toBe('no token given');
  });
});

describe('files', () => {
  it('warns about a config others can read, refuses one they can change', async () => {
    const ws = await newWorkspace();
    chmodSync(configFile(ws), 0o644);
    const readable = await ws.run(['whoami']);
    expect(readable.code).toBe(0);
    expect(readable.stderr).toMatch(/^Warning: config file .*config\.json is readable by other users \(mode 0644\) and holds tokens; run `chmod 600 /);
    chmodSync(configFile(ws), 0o664);
    expect(failure(await ws.run(['whoami']), 1).message).toMatch(/config\.json can be changed by other users \(mode 0664\); refusing to use it$/);
  });

  it('init --dir on an existing directory leaves its mode alone', async () => {
    const dir = join(tempDir(), 'shared');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const res = await runCli(['init', '--dir', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'dotmac.db')).mode & 0o777).toBe(0o600);
  });
});

describe('confirmations', () => {
  it('checks the role before asking: a reseller is refused (exit 4) before any confirmation', async () => {
    const ws = await withReseller();
    const res = await ws.run(['tenants', 'delete', 'beta', '--profile', 'acme']);
    const { message, hint } = failure(res, 4);
    expect(message).toBe('the reseller role may not run `tenants delete` (master_admin only); nothing was changed');
    expect(hint).toBe('use a profile with a master_admin token (`dotmac profiles list`)');
  });

  it('names where a refused token came from: DOTMAC_TOKEN, not the profile it overrode', async () => {
    const ws = await newWorkspace();
    await ws.json(['resellers', 'create', '--slug', 'acme', '--name', 'Acme']);
    const { token } = await ws.json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'acme']);
    const res = await ws.run(['resellers', 'create', '--slug', 'other', '--name', 'Other'], { env: { DOTMAC_TOKEN: token } });
    const { hint } = failure(res, 4);
    expect(hint).toBe('DOTMAC_TOKEN holds a reseller token; use a profile with a master_admin token (`dotmac profiles list`)');
  });

  it('warns before revoking the token the profile itself uses', async () => {
    const ws = await newWorkspace();
    const [own] = await ws.json<{ jti: string }[]>(['tokens', 'list']);
    const res = await ws.run(['tokens', 'revoke', own!.jti, '--yes']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('Warning: this is the token that profile "local" itself uses (from profile "local"); once it is revoked, this profile can no longer call the API.');
    expect(failure(await ws.run(['whoami']), 3).message).toBe('the token has been revoked');
  });
});

describe('doing a change twice', () => {
  it('says what happened in one line; a change whose end state holds is exit 0 and changes nothing', async () => {
    const ws = await newWorkspace();
    const created = await ws.run(['tenants', 'create', '--slug', 'fibernet', '--name', 'FiberNet']);
    expect(created.stderr).toBe('Created tenant fibernet\n');
    const steps: [string[], string][] = [
      [['tenants', 'suspend', 'fibernet'], 'Suspended fibernet'],
      [['tenants', 'suspend', 'fibernet'], 'fibernet is already suspended; nothing changed'],
      [['tenants', 'resume', 'fibernet'], 'Resumed fibernet'],
      [['tenants', 'resume', 'fibernet'], 'fibernet is already active; nothing changed'],
      [['tenants', 'update', 'fibernet', '--name', 'FiberNet'], 'fibernet already has those values; nothing changed'],
      [['tenants', 'update', 'fibernet', '--name', 'FiberNet Ltd'], 'Updated fibernet (name)'],
      [['tenants', 'delete', 'fibernet', '--yes'], 'Cancelled fibernet'],
      [['tenants', 'delete', 'fibernet', '--yes'], 'fibernet is already cancelled; nothing changed'],
    ];
    for (const [args, said] of steps) {
      const res = await ws.run([...args, '--json']);
      expect([res.code, res.stderr], args.join(' ')).toEqual([0, `${said}\n`]);
    }
    expect(failure(await ws.run(['tenants', 'suspend', 'fibernet']), 6).message).toBe('tenant "fibernet" is cancelled and cannot be suspended');
    const events = await ws.json<{ action: string }[]>(['audit', 'list', '--all']);
    expect(events.filter((e) => e.action.startsWith('tenant.')).map((e) => e.action)).toEqual(['tenant.cancel', 'tenant.update', 'tenant.resume', 'tenant.suspend', 'tenant.create']);

    const issued = await ws.json<{ jti: string }>(['tokens', 'create', '--role', 'master_admin']);
    expect((await ws.run(['tokens', 'revoke', issued.jti, '--yes'])).stderr).toBe(`Revoked token ${issued.jti}\n`);
    const again = await ws.run(['tokens', 'revoke', issued.jti, '--yes']);
    expect([again.code, again.stderr]).toEqual([0, `token ${issued.jti} was already revoked; nothing changed\n`]);
  });
});

describe('hints built from the context', () => {
  it('an expired or revoked reseller token is told to ask staff, not to mint one', async () => {
    const ws = await withReseller();
    const [acmeToken] = (await ws.json<{ jti: string; role: string }[]>(['tokens', 'list'])).filter((t) => t.role === 'reseller');
    await ws.json(['tokens', 'revoke', acmeToken!.jti, '--yes']);
    const { hint } = failure(await ws.run(['tenants', 'list', '--profile', 'acme']), 3);
    expect(hint).toBe(`ask platform staff for a new reseller token, then save it with \`dotmac login --profile acme --api local --db ${ws.db} --with-token\``);
    const fromEnv = failure(await ws.run(['tenants', 'list'], { env: { DOTMAC_TOKEN: ws.resellerToken } }), 3);
    expect(fromEnv.hint).toBe('the token comes from DOTMAC_TOKEN: set it to a valid token, or unset it to use profile "local"\'s own');
  });

  it('names flags, not API fields', async () => {
    const ws = await newWorkspace();
    expect(failure(await ws.run(['tokens', 'create', '--role', 'master_admin', '--ttl', '0']), 2).message).toBe('--ttl 0 is shorter than a minute');
    const email = failure(await ws.run(['tenants', 'create', '--slug', 'nova', '--name', 'Nova', '--contact-email', 'not-an-email']), 2);
    expect(email.message).toMatch(/^--contact-email: /);
    expect(email.hint).toBe('see `dotmac tenants create --help`');
  });

  it('filters name things that exist: unknown ones are exit 5, a mistyped action is exit 2 with a suggestion', async () => {
    const ws = await withReseller();
    await ws.json(['tenants', 'suspend', 'alpha', '--reason', 'invoice unpaid']);
    expect(failure(await ws.run(['tenants', 'list', '--reseller', 'nosuch']), 5).message).toBe('reseller "nosuch" was not found');
    expect((await ws.json<{ slug: string }[]>(['tenants', 'list', '--reseller', 'acme'])).map((t) => t.slug)).toEqual(['beta']);
    const bySlug = await ws.json<{ action: string }[]>(['audit', 'list', '--tenant', 'alpha']);
    expect(bySlug.map((e) => e.action)).toEqual(['tenant.suspend', 'tenant.create']);
    expect((await ws.json<unknown[]>(['audit', 'list', '--target', 'acme'])).length).toBeGreaterThan(0);
    expect(failure(await ws.run(['audit', 'list', '--tenant', 'fibernet']), 5).message).toBe('tenant "fibernet" was not found');
    expect(failure(await ws.run(['audit', 'list', '--tenant', 'alpha', '--profile', 'acme']), 5).message).toBe('tenant "alpha" was not found');
    const typo = failure(await ws.run(['audit', 'list', '--action', 'tenant.suspended']), 2);
    expect(typo.message).toBe('--action: unknown action "tenant.suspended"; did you mean "tenant.suspend"?');
    expect(typo.hint).toBe('see `dotmac audit list --help`');
    expect(failure(await ws.run(['tenants', 'resume', 'alpha', '--reason', 'paid\u001b]0;x\u0007']), 2).message).toBe(
      '--reason: must not contain control characters or bidirectional overrides',
    );
  });

  it('a saved API URL ending in /v1 is explained, and a /v1 given now is dropped with a note', async () => {
    const ws = await newWorkspace();
    const server = await startServer(ws.env, ['--dir', ws.dir, '--quiet']);
    try {
      const cfg = config(ws);
      cfg.profiles.remote = { api: `${server.url}/v1`, token: ws.token };
      writeFileSync(configFile(ws), JSON.stringify(cfg), { mode: 0o600 });
      const { message, hint } = failure(await ws.run(['tenants', 'list', '--profile', 'remote']), 5);
      expect(message).toBe('no route for GET /v1/v1/tenants');
      expect(hint).toBe(`the API URL ${server.url}/v1 (from profile "remote") should be the server's base URL, without /v1`);
      const res = await ws.run(['login', '--profile', 'remote2', '--api', `${server.url}/v1/`, '--with-token'], { input: ws.token });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain(`Note: --api ends in /v1; using ${server.url}, the API's base URL`);
      expect(config(ws).profiles.remote2!.api).toBe(server.url);
      expect((await ws.run(['tenants', 'list', '--profile', 'remote2'])).code).toBe(0);
      // a reason in any script survives the trip through an HTTP header
      await ws.json(['tenants', 'create', '--slug', 'nihon', '--name', 'Nihon', '--profile', 'remote2']);
      await ws.json(['tenants', 'suspend', 'nihon', '--reason', '請求未払い — 100% überfällig', '--profile', 'remote2']);
      const [event] = await ws.json<{ reason: string }[]>(['audit', 'list', '--target', 'nihon', '--limit', '1']);
      expect(event!.reason).toBe('請求未払い — 100% überfällig');
    } finally {
      await server.stop();
    }
  });

  it('-h is help, and a mistyped command keeps its arguments in the suggestion', async () => {
    const ws = await newWorkspace();
    const help = await ws.run(['tenants', 'list', '-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('List the tenants this profile may see');
    const typo = await ws.run(['tenant', 'get', 'alpha', '--json']);
    expect(typo.code).toBe(127);
    expect(typo.stderr).toBe('Error: "tenant get" is not a dotmac command\nHint: did you mean `dotmac tenants get alpha --json`? (`dotmac help` lists every command)\n');
    const missing = failure(await ws.run(['tenants', 'get']), 2);
    expect(missing.message).toBe('missing argument TENANT (tenant slug or id)');
    // a word given to a command that takes none is a usage error, not an unknown command suggested back
    const extra = await ws.run(['health', 'alpha', '--json']);
    expect([extra.code, extra.stderr]).toEqual([2, 'Error: dotmac health takes no arguments, and was given "alpha"\nHint: did you mean `dotmac health --tenant alpha`? (`dotmac health --help` shows what it takes)\n']);
    const two = await ws.run(['whoami', 'me', 'now']);
    expect([two.code, two.stderr]).toEqual([2, 'Error: dotmac whoami takes no arguments, and was given "me" "now"\nHint: `dotmac whoami --help` shows what it takes\n']);
    const slip = await ws.run(['health', 'prob']);
    expect([slip.code, slip.stderr]).toEqual([127, 'Error: "health prob" is not a dotmac command\nHint: did you mean `dotmac health probe`? (`dotmac help` lists every command)\n']);
  });
});
