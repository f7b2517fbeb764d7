import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyApp, type FetchApp } from '../../src/server/lazy-app.js';
import type { RouteModule } from '../../src/server/route-modules.js';
import { ROUTES } from '../../src/server/routes.js';
import { startTestApi, type TestApi } from '../support/harness.js';

// Local mode answers through lazyApp, built from route groups that load on their own (the build
// makes one per module). Whatever the grouping, every request must get the answer the whole app gives.
let api: TestApi;
let token: string;
const groupings: Record<string, RouteModule[]> = {};

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'acme', name: 'Acme' });
  token = (await api.admin.tokens.create({ role: 'master_admin' })).token;
  const byTag = new Map<string, typeof ROUTES[number][]>();
  for (const route of ROUTES) {
    const tag = String(route.config.tags?.[0] ?? 'untagged');
    byTag.set(tag, [...(byTag.get(tag) ?? []), route]);
  }
  const group = (name: string, routes: readonly (typeof ROUTES)[number][]): RouteModule => ({ name, paths: routes.map((r) => r.config.path), load: async () => routes });
  groupings['by tag'] = [...byTag].map(([tag, routes]) => group(tag, routes));
  groupings['one route each'] = ROUTES.map((route, i) => group(String(i), [route]));
  groupings['one group of every path'] = [{ name: 'all', load: async () => ROUTES }];
});
afterAll(() => api?.close());

const services = () => ({ db: api.apiConnection.db, dialect: api.apiConnection.dialect, keys: api.keys, auditKey: api.auditKey, clock: api.clock, rateLimit: false as const });

async function answer(app: FetchApp, method: string, path: string) {
  const hasBody = method !== 'GET' && method !== 'HEAD' && method !== 'DELETE';
  const res = await app.fetch(
    new Request(`http://local${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) }, body: hasBody ? '{"unexpected": true}' : undefined }),
  );
  const text = await res.text();
  return { status: res.status, body: text.replace(/"request_id":"[^"]*"/g, '') };
}

const requests = () => [
  ...ROUTES.map((route) => ({ method: route.config.method.toUpperCase(), path: route.config.path.replace(/\{[^}]+\}/g, 'no-such-thing') })),
  ...ROUTES.filter((route) => route.config.method === 'get').map((route) => ({ method: 'GET', path: route.config.path.replace(/\{[^}]+\}/g, 'acme') })),
  ...ROUTES.filter((route) => route.config.method === 'get').map((route) => ({ method: 'POST', path: route.config.path.replace(/\{[^}]+\}/g, 'x') })),
  { method: 'GET', path: '/v1/openapi.json' },
  { method: 'GET', path: '/v1/no-such-route' },
  { method: 'GET', path: '/v1/tenants/' },
  { method: 'GET', path: '/v1/tenants?limit=2' },
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/.well-known/jwks.json' },
];

describe('the lazy app answers as the whole app does', () => {
  for (const name of ['by tag', 'one route each', 'one group of every path']) {
    it(`with routes grouped ${name}`, async () => {
      const whole = api.app;
      const lazy = lazyApp(services(), groupings[name]!);
      for (const { method, path } of requests()) {
        expect(await answer(lazy, method, path), `${method} ${path}`).toEqual(await answer(whole, method, path));
      }
    });
  }

  it('loads only the groups whose paths match the request', async () => {
    const loaded: string[] = [];
    const modules = groupings['by tag']!.map((m) => ({ ...m, load: () => (loaded.push(m.name), m.load()) }));
    const lazy = lazyApp(services(), modules);
    expect((await answer(lazy, 'GET', '/v1/tenants?limit=1')).status).toBe(200);
    expect(loaded).toEqual(['tenants']);
    await answer(lazy, 'GET', '/v1/tenants?limit=1');
    expect(loaded).toEqual(['tenants']);
  });
});
