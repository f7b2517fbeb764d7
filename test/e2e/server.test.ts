// `dotmac server start` as an operator runs it: real HTTP, public endpoints, access log, shutdown.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, newWorkspace, runCli, startServer } from './cli.js';

afterAll(cleanup);

describe('server start', () => {
  it('serves health, readiness, JWKS and OpenAPI, logs each request without secrets, and stops cleanly on SIGTERM', async () => {
    const ws = await newWorkspace();
    const server = await startServer(ws.env, ['--dir', ws.dir]);
    for (const path of ['/healthz', '/readyz', '/.well-known/jwks.json', '/v1/openapi.json']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kty: string; crv: string; alg: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/);

    const listed = await fetch(`${server.url}/v1/tenants?limit=5`, { headers: { authorization: `Bearer ${ws.token}` } });
    expect(listed.status).toBe(200);
    const refused = await fetch(`${server.url}/v1/tenants`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');

    await server.stop();
    const lines = server.output().trim().split('\n');
    expect(lines[0]).toMatch(/^dotmac API listening on http:\/\/127\.0\.0\.1:\d+ /);
    const log = lines.slice(1).map((line) => JSON.parse(line) as { method: string; path: string; status: number; role: string | null; request_id: string });
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/healthz', 200],
      ['GET', '/readyz', 200],
      ['GET', '/.well-known/jwks.json', 200],
      ['GET', '/v1/openapi.json', 200],
      ['GET', '/.well-known/jwks.json', 200],
      ['GET', '/v1/tenants', 200],
      ['GET', '/v1/tenants', 401],
    ]);
    expect(log[5]!.role).toBe('master_admin');
    expect(log.every((e) => e.request_id.length > 0)).toBe(true);
    expect(server.output()).not.toContain(ws.token);
  });

  it('limits requests per client address before authentication, so forged tokens are limited too', async () => {
    const ws = await newWorkspace();
    const server = await startServer({ ...ws.env, DOTMAC_RATE_LIMIT_PER_ADDRESS: '3' }, ['--dir', ws.dir, '--quiet']);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await fetch(`${server.url}/v1/tenants`, { headers: { authorization: 'Bearer forged' } }));
    expect(answers.map((res) => res.status)).toEqual([401, 401, 401, 429]);
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    await server.stop();
  });

  it('writes no access log with --quiet', async () => {
    const ws = await newWorkspace();
    const server = await startServer(ws.env, ['--dir', ws.dir, '--quiet']);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.stop();
    expect(server.output().trim().split('\n')).toHaveLength(1);
  });

  it('serves /metrics to the scrape secret from the environment, refuses a weak secret without echoing it, and not at all with --no-metrics', async () => {
    const ws = await newWorkspace();
    const secret = 'e2e-scrape-secret-0123456789abcdef0123';
    const server = await startServer({ ...ws.env, DOTMAC_METRICS_SECRET: secret }, ['--dir', ws.dir]);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${secret}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^dotmac_http_requests_total\{method="GET",route="\/metrics",status="401"\} 1$/m);
    await server.stop();
    expect(server.output()).not.toContain(secret);

    const weak = await runCli(['server', 'start', '--dir', ws.dir, '--port', '0', '--metrics-secret', 'hunter2-weak'], { env: ws.env });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/at least 32/);
    expect(weak.stderr + weak.stdout).not.toContain('hunter2-weak');

    const without = await startServer({ ...ws.env, DOTMAC_METRICS_SECRET: secret }, ['--dir', ws.dir, '--quiet', '--no-metrics']);
    expect((await fetch(`${without.url}/metrics`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(404);
    await without.stop();
  });
});
