// What a user sees when something is wrong: one `Error:` line, at most one `Hint:` line, the
// documented exit code, no stack trace, and nothing changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, expectOneLineError, newWorkspace, runCli, type CliResult, type Workspace } from './cli.js';

afterAll(cleanup);

/** asserts the exit code and the two-line shape; returns the message and hint */
function failure(res: CliResult, code: number) {
  expect(res.code, `expected exit ${code}\nstderr: ${res.stderr}\nstdout: ${res.stdout}`).toBe(code);
  return expectOneLineError(res);
}

async function tenantSlugs(ws: Workspace): Promise<string[]> {
  return (await ws.json<{ slug: string }[]>(['tenants', 'list', '--all'])).map((t) => t.slug);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Signs a token with the workspace's own key, the way the platform does, with a chosen expiry. */
async function signWithWorkspaceKey(ws: Workspace, claims: { sub: string; jti: string; role: string }, expiresAt: number): Promise<string> {
  const key = await importPKCS8(readFileSync(join(ws.dir, 'signing-key.pem'), 'utf8'), 'EdDSA');
  return new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuer('urn:dotmac:platform')
    .setAudience('urn:dotmac:api')
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(key);
}

describe.concurrent('configuration and profiles', () => {
  it('reports a malformed config file and exits 1', async () => {
    const ws = await newWorkspace();
    const path = join(ws.home, '.config', 'dotmac', 'config.json');
    writeFileSync(path, '{"profiles": {"local": garbage');
    const { message, hint } = failure(await ws.run(['tenants', 'list']), 1);
    expect(message).toBe(`config file ${path} is not valid: it is not JSON`);
    expect(hint).toMatch(/fix or remove it/);
  });

  it('rejects an unknown profile with exit 2, by flag or by DOTMAC_PROFILE', async () => {
    const ws = await newWorkspace();
    expect(failure(await ws.run(['tenants', 'list', '--profile', 'nope']), 2).message).toBe('profile "nope" does not exist');
    expect(failure(await ws.run(['tenants', 'list'], { env: { DOTMAC_PROFILE: 'nope' } }), 2).message).toBe('profile "nope" does not exist (named by DOTMAC_PROFILE)');
  });

  it('exits 3 with a hint to run init when there is no profile at all', async () => {
    const res = await runCli(['tenants', 'list']);
    const { message, hint } = failure(res, 3);
    expect(message).toBe('no profile is configured');
    expect(hint).toContain('dotmac init');
  });

  it('refuses every mutation through a read-only profile before sending it (exit 4)', async () => {
    const ws = await newWorkspace();
    expect((await ws.run(['profiles', 'add', 'ro', '--api', 'local', '--token', ws.token, '--read-only'])).code).toBe(0);
    const ro = ['--profile', 'ro'];
    expect(failure(await ws.run(['tenants', 'create', '--slug', 'nova', '--name', 'Nova', ...ro]), 4).message).toBe('profile "ro" is read-only');
    failure(await ws.run(['api', 'POST', '/v1/tenants', '--data', '{"slug":"nova","name":"Nova"}', ...ro]), 4);
    expect(await ws.json(['tenants', 'list', ...ro])).toEqual([]);
    expect(await tenantSlugs(ws)).toEqual([]);
  });
});

describe.concurrent('command-line usage (exit 2)', () => {
  it.each([
    ['an unknown flag', ['tenants', 'list', '--bogus'], /--bogus/],
    ['a missing required flag', ['tenants', 'create', '--name', 'Nova'], /Missing required flag slug/],
    ['a limit below 1', ['tenants', 'list', '--limit', '0'], /--limit.*greater than or equal to 1/],
    ['a limit that is not a number', ['tenants', 'list', '--limit', 'ten'], /--limit.*integer/],
    ['a status that does not exist', ['tenants', 'list', '--status', 'weird'], /--status=weird .*one of/],
    ['a bad duration', ['tokens', 'create', '--role', 'master_admin', '--ttl', 'forever'], /--ttl "forever" is not a duration/],
    ['nothing to update', ['tenants', 'update', 'alpha'], /nothing to change/],
    // '' from an unset shell variable: not a request for /v1/jobs/ (once "no route", exit 5)
    ['an empty id', ['jobs', 'get', ''], /^ID is empty$/],
    ['an empty key', ['configs', 'get', ' ', '--tenant', 'alpha'], /^KEY is empty$/],
    ['version 0 to roll back to', ['configs', 'rollback', 'v0', '--tenant', 'alpha'], /^there is no version v0 to roll back to: versions start at v1$/],
    ['an empty one of several arguments', ['configs', 'unset', 'billing.currency', '', '--tenant', 'alpha'], /^(an argument|KEY) is empty$/],
  ])('rejects %s', async (_what, args, message) => {
    const ws = await newWorkspace();
    const res = await ws.run(args);
    expect(failure(res, 2).message).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('does not delete without confirmation when there is no terminal', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'nova', '--name', 'Nova']);
    const { hint } = failure(await ws.run(['tenants', 'delete', 'nova'], { input: 'nova\n' }), 2);
    expect(hint).toMatch(/--yes or --confirm nova/);
    expect(failure(await ws.run(['tenants', 'delete', 'nova', '--confirm', 'wrong']), 2).message).toBe('--confirm "wrong" does not match "nova"');
    expect((await ws.json<{ status: string }>(['tenants', 'get', 'nova'])).status).toBe('active');
  });

  it('rejects a raw API call whose body is not JSON, and sends nothing', async () => {
    const ws = await newWorkspace();
    const res = await ws.run(['api', 'POST', '/v1/tenants', '--data', '{bad']);
    expect(failure(res, 2).message).toMatch(/^--data is not valid JSON/);
    expect(await tenantSlugs(ws)).toEqual([]);
  });
});

describe.concurrent('API errors', () => {
  it('maps a raw call to a missing route to exit 5', async () => {
    const ws = await newWorkspace();
    const res = await ws.run(['api', 'GET', '/v1/nope']);
    expect(failure(res, 5).message).toBe('no route for GET /v1/nope');
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('prints --json errors as one JSON object on stderr, with nothing on stdout', async () => {
    const ws = await newWorkspace();
    const notFound = await ws.run(['tenants', 'get', 'nope', '--json']);
    expect(notFound.code).toBe(5);
    expect(notFound.stdout).toBe('');
    expect(JSON.parse(notFound.stderr)).toEqual({
      error: { code: 'not_found', message: 'tenant "nope" was not found', hint: expect.any(String), exit_code: 5 },
    });
    const usage = await ws.run(['tenants', 'list', '--limit', '0', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toMatchObject({ error: { code: 'usage', exit_code: 2 } });
  });

  it('exits 8 naming the URL when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const res = await runCli(['tenants', 'list'], { env: { DOTMAC_API_URL: url, DOTMAC_TOKEN: 'x' } });
    const { message } = failure(res, 8);
    expect(message).toContain(url);
    expect(message).toMatch(/ECONNREFUSED/);
  });
});

describe.concurrent('tokens that do not authenticate (exit 3)', () => {
  it('refuses a garbage token', async () => {
    const ws = await newWorkspace();
    expect(failure(await ws.run(['tenants', 'list'], { env: { DOTMAC_TOKEN: 'garbage' } }), 3).message).toBe('the token is not valid');
  });

  it('refuses an expired token signed by the workspace key', async () => {
    const ws = await newWorkspace();
    const [bootstrap] = await ws.json<{ jti: string; user_id: string; role: string }[]>(['tokens', 'list']);
    const claims = { sub: bootstrap!.user_id, jti: bootstrap!.jti, role: bootstrap!.role };
    const now = Math.floor(Date.now() / 1000);
    // the same recipe, not yet expired, is accepted: so the refusal below is about expiry alone
    const fresh = await signWithWorkspaceKey(ws, claims, now + 600);
    expect((await ws.json<{ jti: string }>(['whoami'], { env: { DOTMAC_TOKEN: fresh } })).jti).toBe(bootstrap!.jti);
    const expired = await signWithWorkspaceKey(ws, claims, now - 120);
    const { message } = failure(await ws.run(['whoami'], { env: { DOTMAC_TOKEN: expired } }), 3);
    expect(message).toBe('the token has expired');
  });

  it('refuses a revoked token', async () => {
    const ws = await newWorkspace();
    const issued = await ws.json<{ jti: string; token: string }>(['tokens', 'create', '--role', 'master_admin', '--label', 'ci']);
    const env = { DOTMAC_TOKEN: issued.token };
    expect((await ws.run(['tenants', 'list'], { env })).code).toBe(0);
    expect((await ws.run(['tokens', 'revoke', issued.jti, '--yes', '--reason', 'leaked'])).code).toBe(0);
    expect(failure(await ws.run(['tenants', 'list'], { env }), 3).message).toBe('the token has been revoked');
    expect(failure(await ws.run(['tenants', 'create', '--slug', 'nova', '--name', 'Nova'], { env }), 3).message).toBe('the token has been revoked');
    expect(await tenantSlugs(ws)).toEqual([]);
  });
});
