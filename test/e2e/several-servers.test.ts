// Three `dotmac server start` processes on one PostgreSQL database, as an operator runs them behind
// a load balancer: everything one server learns (a revocation, a rate-limit count, an
// Idempotency-Key, a slug) holds on the others at once. Runs in `npm run test:pg`.
import { CompiledQuery } from 'kysely';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { DIALECT, PG_URL } from '../support/harness.js';
import { cleanup, cliJson, startServer, tempDir, type RunningServer } from './cli.js';

const RATE_LIMIT = 20;

async function onAdminDatabase(statement: string): Promise<void> {
  const admin = await connect({ dialect: 'postgres', url: PG_URL });
  try {
    await admin.db.executeQuery(CompiledQuery.raw(statement));
  } finally {
    await admin.close();
  }
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(server: RunningServer, method: string, path: string, token: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

describe.runIf(DIALECT === 'postgres')('three servers on one PostgreSQL database', () => {
  const database = `dotmac_servers_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  /** a login role that is only a member of dotmac_app, as docs/scaling.md advises for servers */
  const serverRole = `${database}_api`;
  let servers: RunningServer[] = [];
  let admin: string;

  /** A new master_admin token, so each check counts against a rate-limit bucket of its own. */
  const masterToken = async () => ((await call(servers[0]!, 'POST', '/v1/tokens', admin, { body: { role: 'master_admin', label: 'several servers' } })).body as { token: string }).token;

  beforeAll(async () => {
    await onAdminDatabase(`create database ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const dir = join(tempDir(), 'ws');
    const env = { HOME: tempDir('dotmac-home-') };
    ({ token: admin } = await cliJson<{ token: string }>(['init', '--dir', dir, '--database-url', url.toString()], { env, timeoutMs: 60_000 }));
    await onAdminDatabase(`create role ${serverRole} login in role dotmac_app`);
    const asServerRole = new URL(url);
    asServerRole.username = serverRole;
    // The first server connects as the owner (who may migrate), the others as the login role.
    const args = (databaseUrl: URL) => ['--dir', dir, '--database-url', databaseUrl.toString(), '--quiet', '--rate-limit', String(RATE_LIMIT), '--rate-limit-per-address', '0'];
    servers = await Promise.all([url, asServerRole, asServerRole].map((databaseUrl) => startServer(env, args(databaseUrl))));
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(servers.map((server) => server.stop()));
    cleanup();
    await onAdminDatabase(`drop database if exists ${database} with (force)`);
    await onAdminDatabase(`drop role if exists ${serverRole}`);
  }, 60_000);

  it('answers /readyz on every server, whichever role it connects as', async () => {
    for (const server of servers) expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('refuses a token on every server as soon as one of them revoked it', async () => {
    const token = await masterToken();
    for (const server of servers) expect((await call(server, 'GET', '/v1/me', token)).status).toBe(200);
    const jti = ((await call(servers[0]!, 'GET', '/v1/me', token)).body as { jti: string }).jti;
    expect((await call(servers[1]!, 'DELETE', `/v1/tokens/${jti}`, admin)).status).toBe(200);
    for (const server of servers) {
      const refused = await call(server, 'GET', '/v1/me', token);
      expect(refused.status).toBe(401);
      expect((refused.body as { detail: string }).detail).toBe('the token has been revoked');
    }
  });

  it('shares the per-token rate limit: across all three, no more answers than the limit in a window', async () => {
    const token = await masterToken();
    // Fixed one-minute windows: start with time to spare, so the whole burst falls in one window.
    const intoWindow = (Date.now() / 1000) % 60;
    if (intoWindow > 45) await new Promise((resolve) => setTimeout(resolve, (61 - intoWindow) * 1000));
    const answers = await Promise.all(Array.from({ length: RATE_LIMIT * 3 }, (_, i) => call(servers[i % 3]!, 'GET', '/v1/me', token)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(RATE_LIMIT * 2);
    // every server refused some: the count is one, not three
    for (let s = 0; s < 3; s++) expect(statuses.filter((status, i) => i % 3 === s && status === 429).length, `server ${s + 1}`).toBeGreaterThan(0);
  }, 60_000);

  it('replays an Idempotency-Key on another server with the first answer', async () => {
    const token = await masterToken();
    const body = { slug: 'replayed', name: 'Replayed' };
    const headers = { 'idempotency-key': 'create-replayed-once' };
    const first = await call(servers[0]!, 'POST', '/v1/tenants', token, { body, headers });
    expect(first.status).toBe(201);
    for (const server of servers.slice(1)) {
      const again = await call(server, 'POST', '/v1/tenants', token, { body, headers });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    const listed = (await call(servers[2]!, 'GET', '/v1/tenants?q=replayed', token)).body as { data: { slug: string }[] };
    expect(listed.data.map((tenant) => tenant.slug)).toEqual(['replayed']);
  });

  it('gives racing creates of one slug across the servers exactly one 201', async () => {
    for (const slug of ['contested-1', 'contested-2', 'contested-3']) {
      const token = await masterToken();
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => call(servers[i % 3]!, 'POST', '/v1/tenants', token, { body: { slug, name: `Racer ${i}` } })),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses, slug).toEqual([201, 409, 409, 409, 409, 409]);
      const listed = (await call(servers[0]!, 'GET', `/v1/tenants?q=${slug}`, token)).body as { data: { slug: string }[] };
      expect(listed.data.map((tenant) => tenant.slug)).toEqual([slug]);
    }
  });
});
