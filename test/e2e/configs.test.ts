// `dotmac configs ...` as a new user runs it: in local mode, and over HTTP through `dotmac server
// start` with the token in DOTMAC_TOKEN (under DOTMAC_TEST_DIALECT=postgres, `npm run test:pg`,
// only over HTTP, the server on a PostgreSQL database). Secrets never show unless revealed, diff
// exits 0 or 10, a file applied twice writes one version, a stale --if-version is exit 6 and
// changes nothing, rollback restores exactly, and a broken file names its line.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, ConfigChange, Configuration, ConfigVersion } from '../../src/client/types.js';
import { connect } from '../../src/db/connect.js';
import { DIALECT, PG_URL } from '../support/harness.js';
import { cleanup, cliJson, expectOneLineError, newWorkspace, runCli, startServer, tempDir, type CliResult, type RunningServer } from './cli.js';

const SECRET = 'radius-Zq9-never-shown';
const CRM_SECRET = 'crm-token-Kx7-never-shown';

interface Surface {
  name: string;
  tenant: string;
  /** what a token of another role needs beside DOTMAC_TOKEN to reach the same API */
  reach: Record<string, string>;
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
}

let server: RunningServer | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
afterAll(async () => {
  await server?.stop();
  await dropDatabase?.();
  cleanup();
}, 60_000);

async function onPostgres(url: string, statement: string): Promise<void> {
  const owner = await connect({ dialect: 'postgres', url });
  try {
    await owner.db.executeQuery(CompiledQuery.raw(statement));
  } finally {
    await owner.close();
  }
}

/** SQLite: a local workspace, and a server on it. PostgreSQL: a server on a fresh database, reached over HTTP only. */
async function openSurfaces(): Promise<Surface[]> {
  if (DIALECT === 'postgres') {
    const database = `dotmac_configs_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await onPostgres(PG_URL, `create database ${database}`);
    dropDatabase = () => onPostgres(PG_URL, `drop database if exists ${database} with (force)`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const dir = join(tempDir(), 'ws');
    const home = { HOME: tempDir('dotmac-home-') };
    const { token } = await cliJson<{ token: string }>(['init', '--dir', dir, '--database-url', url.toString()], { env: home, timeoutMs: 60_000 });
    server = await startServer(home, ['--dir', dir, '--database-url', url.toString(), '--quiet']);
    const reach = { DOTMAC_API_URL: server.url };
    const env = { ...home, ...reach, DOTMAC_TOKEN: token };
    return [{ name: 'over HTTP on PostgreSQL', tenant: 'http-isp', reach, run: (args, extra = {}) => runCli(args, { env: { ...env, ...extra } }) }];
  }
  const local = await newWorkspace();
  server = await startServer(local.env, ['--dir', local.dir, '--quiet']);
  const http = { DOTMAC_API_URL: server.url, DOTMAC_TOKEN: local.token };
  return [
    { name: 'local mode', tenant: 'local-isp', reach: { DOTMAC_DB: local.db }, run: (args, env = {}) => local.run(args, { env }) },
    { name: 'over HTTP', tenant: 'http-isp', reach: { DOTMAC_API_URL: server.url }, run: (args, env = {}) => local.run(args, { env: { ...http, ...env } }) },
  ];
}

const surfaces: Surface[] = [];
beforeAll(async () => {
  surfaces.push(...(await openSurfaces()));
  const first = surfaces[0]!;
  expect((await first.run(['resellers', 'create', '--slug', 'acme', '--name', 'Acme'])).code).toBe(0);
  for (const surface of surfaces) expect((await first.run(['tenants', 'create', '--slug', surface.tenant, '--name', surface.tenant, '--reseller', 'acme'])).code).toBe(0);
}, 120_000);

const file = (name: string, text: string) => {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
};

async function json<T>(surface: Surface, args: string[], env?: Record<string, string>): Promise<T> {
  const res = await surface.run([...args, '--json'], env);
  expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
  return JSON.parse(res.stdout) as T;
}

// raw, these drive a terminal or change how text shows: C0 (but the line breaks of the file itself), DEL, C1, zero-width, bidi, line separators
const HOSTILE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const BANNER = 'hi\u001b[31mX\u202eevil\u007f\u009bX\u200bZ\ufeffW\u2028L\u2066\u0085\u0007 \'q" \\ $HOME `x`';

/** What bash makes of an env export: each of the variables, sourced in the C locale. */
function sourced(path: string, names: string[]): string[] {
  const script = `. "$1"; ${names.map((name) => `printf '%s\\0' "$${name}"`).join('; ')}`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', path], { env: { PATH: process.env.PATH, LC_ALL: 'C' } });
  return out.toString('utf8').split('\0').slice(0, -1);
}

const SURFACE_NAMES = DIALECT === 'postgres' ? ['over HTTP on PostgreSQL'] : ['local mode', 'over HTTP'];

describe.each(SURFACE_NAMES)('configs, %s', (name) => {
  let surface: Surface;
  let t: string[];
  beforeAll(() => {
    surface = surfaces.find((s) => s.name === name)!;
    t = ['--tenant', surface.tenant];
  });

  it('sets values as versions and never shows a secret in list, get, export, --json, history or the audit trail', async () => {
    const set = await surface.run(['configs', 'set', `network.radius_secret=${SECRET}`, 'billing.currency=KES', 'security.session_timeout_minutes=30', ...t]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('configuration is now v1');
    const crm = await surface.run(['configs', 'set', `integrations.crm_token=${CRM_SECRET}`, '--secret', ...t]);
    expect(crm.code, crm.stderr).toBe(0);
    const outputs = [set.stdout, set.stderr, crm.stdout, crm.stderr];
    for (const args of [
      ['configs', 'list', ...t],
      ['configs', 'list', ...t, '--json'],
      ['configs', 'list', ...t, '--csv'],
      ['configs', 'get', 'network.radius_secret', ...t],
      ['configs', 'get', 'integrations.crm_token', ...t, '--json'],
      ['configs', 'export', ...t, '--format', 'env'],
      ['configs', 'export', ...t, '--format', 'json'],
      ['configs', 'export', ...t, '--format', 'yaml'],
      ['configs', 'history', ...t],
      ['configs', 'history', ...t, '--json'],
      ['audit', 'list', '--json', '--limit', '500'],
      ['audit', 'list', '--columns', 'seq,action,details', '--limit', '500'],
    ]) {
      const res = await surface.run(args);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
      outputs.push(res.stdout, res.stderr);
    }
    const all = outputs.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(CRM_SECRET);
    expect(all).toContain('********');
    const config = await json<Configuration>(surface, ['configs', 'list', ...t]);
    expect(config.version).toBe(2);
    expect(config.entries.find((e) => e.key === 'security.session_timeout_minutes')?.value).toBe(30);
    const env = await surface.run(['configs', 'export', ...t, '--format', 'env']);
    expect(env.stdout).toContain("NETWORK_RADIUS_SECRET='********'");
    expect(env.stdout).toContain('BILLING_CURRENCY=KES');
  });

  it('reveals a secret when asked, and records the reveal (by key, never the value) in the audit trail', async () => {
    const revealed = await json<{ value: string }>(surface, ['configs', 'get', 'network.radius_secret', ...t, '--reveal']);
    expect(revealed.value).toBe(SECRET);
    const env = await surface.run(['configs', 'export', ...t, '--format', 'env', '--reveal']);
    expect(env.stdout).toContain(`NETWORK_RADIUS_SECRET=${SECRET}`);
    const events = await json<AuditEvent[]>(surface, ['audit', 'list', '--action', 'config.reveal', '--tenant', surface.tenant]);
    expect(events.map((e) => e.details)).toEqual([{ keys: ['integrations.crm_token', 'network.radius_secret'] }, { keys: ['network.radius_secret'] }]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('diff exits 0 in sync and 10 with changes; apply twice writes one version', async () => {
    const path = file('desired.yaml', 'billing.currency: USD\nsecurity.mfa_required: true\nnetwork.radius_secret: "********"\n');
    const diff = await surface.run(['configs', 'diff', '-f', path, ...t]);
    expect(diff.code, diff.stderr).toBe(10);
    expect(diff.stdout).toContain('~ billing.currency: KES → USD');
    expect(diff.stdout).toContain('+ security.mfa_required: true');
    const before = (await json<Configuration>(surface, ['configs', 'list', ...t])).version;
    const dry = await surface.run(['configs', 'apply', '-f', path, ...t, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((await json<Configuration>(surface, ['configs', 'list', ...t])).version).toBe(before);
    const first = await json<ConfigChange>(surface, ['configs', 'apply', '-f', path, ...t]);
    expect(first.version).toBe(before + 1);
    const again = await surface.run(['configs', 'apply', '-f', path, ...t]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already matches .*: no version written; nothing changed/);
    expect((await json<Configuration>(surface, ['configs', 'list', ...t])).version).toBe(before + 1);
    const synced = await surface.run(['configs', 'diff', '-f', path, ...t]);
    expect(synced.code, synced.stderr).toBe(0);
    expect((await json<{ value: string }>(surface, ['configs', 'get', 'network.radius_secret', ...t, '--reveal'])).value).toBe(SECRET);
  });

  it('imports a file as one version, keeping the keys it does not name, and holds --secret keys as secrets', async () => {
    const before = await json<Configuration>(surface, ['configs', 'list', ...t]);
    const path = file('import.json', JSON.stringify({ 'integrations.billing_token': 'imported-token-value', 'branding.company_name': 'Imported ISP' }));
    const imported = await surface.run(['configs', 'import', '-f', path, '--secret', 'integrations.billing_token', ...t]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(`as v${before.version + 1} (2 changes)`);
    expect(`${imported.stdout}${imported.stderr}`).not.toContain('imported-token-value');
    const after = await json<Configuration>(surface, ['configs', 'list', ...t]);
    expect(after.entries.length).toBe(before.entries.length + 2);
    expect(after.entries.find((e) => e.key === 'integrations.billing_token')).toMatchObject({ value: '********', secret: true });
    const again = await surface.run(['configs', 'import', '-f', path, ...t]);
    expect(again.stderr).toContain('no version written; nothing changed');
  });

  it('refuses a stale --if-version with exit 6 and changes nothing', async () => {
    const now = (await json<Configuration>(surface, ['configs', 'list', ...t])).version;
    const stale = await surface.run(['configs', 'set', 'billing.currency=EUR', ...t, '--if-version', `v${now - 1}`]);
    expect(stale.code).toBe(6);
    expect(expectOneLineError(stale).message).toContain(`is at v${now}, not v${now - 1}`);
    const after = await json<Configuration>(surface, ['configs', 'list', ...t]);
    expect([after.version, after.entries.find((e) => e.key === 'billing.currency')?.value]).toEqual([now, 'USD']);
    const fresh = await surface.run(['configs', 'set', 'billing.currency=EUR', ...t, '--if-version', String(now)]);
    expect(fresh.code, fresh.stderr).toBe(0);
  });

  it('rolls back to an earlier version exactly, as a new version', async () => {
    const v1 = await json<Configuration>(surface, ['configs', 'list', ...t, '--reveal']);
    await surface.run(['configs', 'set', 'network.radius_secret=rotated-secret-value', 'branding.motto={"en":"New"}', ...t]);
    await surface.run(['configs', 'unset', 'billing.currency', ...t]);
    const rolled = await surface.run(['configs', 'rollback', `v${v1.version}`, ...t]);
    expect(rolled.code, rolled.stderr).toBe(0);
    const now = await json<Configuration>(surface, ['configs', 'list', ...t, '--reveal']);
    const values = (c: Configuration) => c.entries.map(({ key, value, secret }) => ({ key, value, secret }));
    expect(values(now)).toEqual(values(v1));
    expect(now.version).toBe(v1.version + 3);
    const [latest] = await json<ConfigVersion[]>(surface, ['configs', 'history', ...t]);
    expect(latest).toMatchObject({ version: now.version, action: 'rollback', restored_from: v1.version });
  });

  it('names the key of a wrong type, the line of a malformed file, and refuses platform keys to a tenant admin', async () => {
    const wrong = await surface.run(['configs', 'set', 'security.session_timeout_minutes=soon', ...t]);
    expect(wrong.code).toBe(2);
    expect(expectOneLineError(wrong).message).toContain('security.session_timeout_minutes must be an integer');
    const yaml = await surface.run(['configs', 'apply', '-f', file('broken.yaml', 'billing.currency: USD\nbilling.currency: EUR\n'), ...t]);
    expect(yaml.code).toBe(2);
    expect(expectOneLineError(yaml).message).toMatch(/broken\.yaml: line 2\b/);
    const jsonFile = await surface.run(['configs', 'diff', '-f', file('broken.json', '{\n  "billing.currency": "USD",\n  "security.mfa_required": tru\n}\n'), ...t]);
    expect(jsonFile.code).toBe(2);
    expect(expectOneLineError(jsonFile).message).toMatch(/broken\.json: line 3\b/);
    const bad = await surface.run(['configs', 'apply', '-f', file('bad-value.json', '{"billing.currency": "GBP", "security.mfa_required": "yes"}'), ...t]);
    expect(bad.code).toBe(2);
    expect((await json<Configuration>(surface, ['configs', 'list', ...t])).entries.find((e) => e.key === 'billing.currency')?.value).not.toBe('GBP');

    // a tenant admin omits --tenant (its token names it), and may not write a platform-owned key
    const admin = await json<{ token: string }>(surface, ['tokens', 'create', '--role', 'tenant_admin', '--tenant', surface.tenant, '--email', `admin@${surface.tenant}.test`]);
    const asAdmin = { ...surface.reach, DOTMAC_TOKEN: admin.token };
    const own = await json<Configuration>(surface, ['configs', 'list'], asAdmin);
    expect(own.tenant_slug).toBe(surface.tenant);
    const platform = await surface.run(['configs', 'set', 'network.max_subscribers=5000'], asAdmin);
    expect(platform.code).toBe(4);
    expect(expectOneLineError(platform).message).toContain('network.max_subscribers');
    expect((await surface.run(['configs', 'set', 'network.max_subscribers=5000', ...t])).code).toBe(0);

    // a reseller reads its customer's configuration, masked, and changes nothing
    const partner = await json<{ token: string }>(surface, ['tokens', 'create', '--role', 'reseller', '--reseller', 'acme', '--email', `partner-${surface.tenant}@acme.test`]);
    const asPartner = { ...surface.reach, DOTMAC_TOKEN: partner.token };
    const read = await surface.run(['configs', 'list', ...t], asPartner);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).not.toContain(SECRET);
    const refused = await surface.run(['configs', 'set', 'billing.currency=USD', ...t], asPartner);
    expect(refused.code).toBe(4);
    expect((await surface.run(['configs', 'get', 'network.radius_secret', '--reveal', ...t], asPartner)).code).toBe(4);
    // its dry run is refused as its apply is, not shown a plan it could never apply
    const plan = file(`partner-${surface.tenant}.yaml`, 'billing.currency: USD\n');
    for (const args of [['configs', 'apply', '-f', plan, ...t], ['configs', 'apply', '-f', plan, '--dry-run', ...t]]) {
      const res = await surface.run(args, asPartner);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(4);
      expect(res.stdout).toBe('');
    }
  });

  it('exports control, bidi and zero-width characters as escapes, in files that apply back and env lines bash reads back exactly', async () => {
    const nested = { 'k\u202ey': ['\u009b\u2028', '\u0001\n'] };
    const set = await surface.run(['configs', 'set', `notifications.banner=${BANNER}`, `notifications.nested=${JSON.stringify(nested)}`, ...t]);
    expect(set.code, set.stderr).toBe(0);
    for (const format of ['yaml', 'json']) {
      const exported = await surface.run(['configs', 'export', ...t, '--category', 'notifications', '--format', format]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).not.toMatch(HOSTILE);
      expect(exported.stdout).toContain('\\u202e');
      const path = file(`hostile.${format}`, exported.stdout);
      expect((await surface.run(['configs', 'diff', '-f', path, ...t])).code, `${format}: ${exported.stdout}`).toBe(0);
      const again = await surface.run(['configs', 'apply', '-f', path, ...t]);
      expect([again.code, again.stderr]).toEqual([0, expect.stringContaining('no version written')]);
    }
    const env = await surface.run(['configs', 'export', ...t, '--category', 'notifications', '--format', 'env']);
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout).not.toMatch(HOSTILE);
    expect(env.stdout).toContain("\\xc2\\x9b");
    const [banner, nestedText] = sourced(file('hostile.env', env.stdout), ['NOTIFICATIONS_BANNER', 'NOTIFICATIONS_NESTED']);
    expect(banner).toBe(BANNER);
    expect(JSON.parse(nestedText!)).toEqual(nested);
  });

  it('refuses a tenant admin\'s dry run and diff that would remove a platform-owned key, as the apply is refused', async () => {
    expect((await surface.run(['configs', 'set', 'network.max_subscribers=7000', ...t])).code).toBe(0);
    const admin = await json<{ token: string }>(surface, ['tokens', 'create', '--role', 'tenant_admin', '--tenant', surface.tenant, '--email', `pruner@${surface.tenant}.test`]);
    const asAdmin = { ...surface.reach, DOTMAC_TOKEN: admin.token };
    const before = (await json<Configuration>(surface, ['configs', 'list', ...t])).version;
    const path = file('pruned.yaml', 'billing.currency: USD\n');
    const applied = await surface.run(['configs', 'apply', '-f', path, '--prune'], asAdmin);
    expect(applied.code).toBe(4);
    const refusal = expectOneLineError(applied).message;
    expect(refusal).toContain('network.max_subscribers is platform-owned');
    for (const args of [['apply', '--prune', '--dry-run'], ['diff', '--prune']]) {
      const res = await surface.run(['configs', ...args, '-f', path], asAdmin);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(4);
      expect(expectOneLineError(res).message).toBe(refusal);
      expect(res.stdout).toBe('');
    }
    expect((await surface.run(['configs', 'apply', '-f', path, '--dry-run', '--if-version', String(before + 1)], asAdmin)).code).toBe(6);
    expect((await json<Configuration>(surface, ['configs', 'list', ...t])).version).toBe(before);
  });

  it('names the file and the line of a value the API refuses, in YAML and JSON, and changes nothing', async () => {
    const before = await surface.run(['configs', 'list', ...t, '--json']);
    const yaml = file('wrong-type.yaml', 'billing.currency: EUR\n# a comment\n"security.session_timeout_minutes": soon\n');
    const json = file('wrong-type.json', '{\n  "billing.currency": "EUR",\n\n  "security.session_timeout_minutes": "soon"\n}\n');
    for (const [path, line] of [[yaml, 3], [json, 4]] as const) {
      for (const command of ['diff', 'import', 'apply']) {
        const res = await surface.run(['configs', command, '-f', path, ...t]);
        expect(res.code, `${command} -f ${path}: ${res.stderr}`).toBe(2);
        expect(expectOneLineError(res).message).toBe(`${path}: line ${line}: security.session_timeout_minutes must be an integer, 5–1440`);
      }
    }
    // a NUL, refused before the configuration service sees the body, is said the same way
    const nul = file('nul.json', '{\n  "billing.currency": "EUR",\n  "notifications.smtp_host": "mail\\u0000.example"\n}\n');
    const res = await surface.run(['configs', 'apply', '-f', nul, ...t]);
    expect(res.code, res.stderr).toBe(2);
    expect(expectOneLineError(res).message).toBe(`${nul}: line 3: notifications.smtp_host must not contain a NUL character (U+0000)`);
    const nested = file('nested-nul.json', '{\n  "branding.extra": {"list": ["ok", "a\\u0000b"]}\n}\n');
    const inside = await surface.run(['configs', 'diff', '-f', nested, ...t]);
    expect(inside.code, inside.stderr).toBe(2);
    expect(expectOneLineError(inside).message).toBe(`${nested}: line 2: branding.extra (at list.1) must not contain a NUL character (U+0000)`);
    expect((await surface.run(['configs', 'list', ...t, '--json'])).stdout).toBe(before.stdout);
  });

  it('refuses unreadable files, alias bombs and values nested too deep as bad input (exit 2), naming the file or key', async () => {
    const missing = join(tempDir(), 'missing.yaml');
    for (const command of ['diff', 'import', 'apply']) {
      for (const path of [missing, tempDir()]) {
        const res = await surface.run(['configs', command, '-f', path, ...t]);
        expect(res.code, `${command} -f ${path}: ${res.stderr}`).toBe(2);
        expect(expectOneLineError(res).message).toContain(`cannot read ${path}`);
      }
    }
    let bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\n';
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) bomb += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    const bombed = await surface.run(['configs', 'diff', '-f', file('bomb.yaml', bomb), ...t]);
    expect(bombed.code, bombed.stderr).toBe(2);
    expect(expectOneLineError(bombed).message).toMatch(/bomb\.yaml: not valid YAML \(Excessive alias count/);

    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const set = await surface.run(['configs', 'set', `notifications.deep=${deep}`, ...t]);
    expect(set.code, set.stderr).toBe(2);
    expect(expectOneLineError(set).message).toBe('value of notifications.deep is nested deeper than 32 levels');
    const deepFile = await surface.run(['configs', 'import', '-f', file('deep.json', `{"notifications.deep": ${deep}}`), ...t]);
    expect(deepFile.code, deepFile.stderr).toBe(2);
    expect(expectOneLineError(deepFile).message).toMatch(/deep\.json: value of notifications\.deep is nested deeper than 32 levels$/);
  });
});
