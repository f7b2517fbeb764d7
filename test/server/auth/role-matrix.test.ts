import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../src/server/auth/principal.js';
import { ROUTES } from '../../../src/server/routes.js';
import type { ApiRoute } from '../../../src/server/routing.js';
import { startTestApi, type TestApi } from '../../support/harness.js';
import { auditCount, expectProblem } from '../problem-response.js';
import { deployed, drainJobs } from '../../support/jobs.js';

/**
 * Walks ROUTES (not a hand list): every route × every role. A role outside `route.access` gets
 * 403 `forbidden` and changes nothing; a role inside it, aimed at objects in its own scope,
 * succeeds. Without a token every route is 401.
 */

let api: TestApi;
const tokens = {} as Record<Role, string>;
let serial = 0;
let healthy: Server;
let healthyUrl: string;
const unique = (prefix: string) => `${prefix}-${++serial}`;

/** What one call needs: path params, a body, and optionally a token other than the role's default one. */
interface Call {
  params?: Record<string, string>;
  body?: unknown;
  token?: string;
}

/** An active tenant in the role's scope, with a token that can reach it (tenant_admin scope is one tenant). */
async function freshTenant(role: Role): Promise<{ ref: string; token: string }> {
  const slug = unique('target');
  await api.admin.tenants.create({ slug, name: 'Target', reseller: role === 'reseller' ? 'matrix-reseller' : null });
  if (role !== 'tenant_admin') return { ref: slug, token: tokens[role] };
  const issued = await api.admin.tokens.create({ role: 'tenant_admin', tenant: slug, email: `${slug}@example.test` });
  return { ref: slug, token: issued.token };
}

/** A queued deployment in a fresh tenant of the role's scope. */
async function queuedDeployment(role: Role) {
  const { ref, token } = await freshTenant(role);
  const deployment = await api.admin.deployments.create({ tenant: ref, version: '1.0.0' });
  return { ref, token, deployment };
}

/** A fresh tenant of the role's scope whose current deployment answers GET /health (on loopback). */
async function probeableTenant(role: Role) {
  const { ref, token } = await freshTenant(role);
  await api.admin.deployments.create({ tenant: ref, version: '1.0.0', endpoint: healthyUrl });
  await drainJobs(api);
  return { ref, token };
}

/** The tenant every role's default token can see. */
const homeTenant = (role: Role) => (role === 'reseller' ? 'reseller-home' : 'matrix-home');

/** One entry per operationId in ROUTES: a route missing here fails the suite. */
const CALLS: Record<string, (role: Role) => Promise<Call>> = {
  listTenants: async () => ({}),
  getTenant: async (role) => ({ params: { ref: homeTenant(role) } }),
  createTenant: async () => ({ body: { slug: unique('created'), name: 'Created' } }),
  updateTenant: async (role) => ({ params: { ref: homeTenant(role) }, body: { name: unique('Renamed') } }),
  suspendTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { params: { ref }, token };
  },
  resumeTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    await api.admin.tenants.suspend(ref);
    return { params: { ref }, token };
  },
  deleteTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { params: { ref }, token };
  },
  listResellers: async () => ({}),
  getReseller: async () => ({ params: { ref: 'matrix-reseller' } }),
  createReseller: async () => ({ body: { slug: unique('partner'), name: 'Partner' } }),
  getMe: async () => ({}),
  createToken: async () => ({ body: { role: 'tenant_admin', tenant: 'matrix-home', label: 'matrix' } }),
  listTokens: async () => ({}),
  revokeToken: async () => {
    const victim = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'matrix-home', label: 'to revoke' });
    return { params: { jti: victim.jti } };
  },
  listAuditEvents: async () => ({}),
  verifyAuditChain: async () => ({}),
  getOverview: async () => ({}),
  listConfigs: async (role) => ({ params: { ref: homeTenant(role) } }),
  getConfig: async (role) => ({ params: { ref: homeTenant(role), key: 'billing.currency' } }),
  listConfigVersions: async (role) => ({ params: { ref: homeTenant(role) } }),
  changeConfigs: async (role) => ({ params: { ref: homeTenant(role) }, body: { values: { 'branding.motto': unique('motto') } } }),
  applyConfigs: async (role) => ({ params: { ref: homeTenant(role) }, body: { values: { 'branding.motto': unique('motto') } } }),
  diffConfigs: async (role) => ({ params: { ref: homeTenant(role) }, body: { values: { 'branding.motto': unique('motto') } } }),
  rollbackConfigs: async (role) => {
    const { ref, token } = await freshTenant(role);
    await api.admin.configs.change(ref, { values: { 'billing.currency': 'USD' } });
    await api.admin.configs.change(ref, { values: { 'billing.currency': 'EUR' } });
    return { params: { ref, version: '1' }, token };
  },
  listBackups: async (role) => ({ params: { ref: homeTenant(role) } }),
  createBackup: async (role) => ({ params: { ref: homeTenant(role) } }),
  setBackupSchedule: async (role) => ({ params: { ref: homeTenant(role) }, body: { every_seconds: 86400, keep: 7 } }),
  getBackupSchedule: async (role) => {
    await api.admin.backups.schedule(homeTenant(role), { every_seconds: 86400, keep: 7 });
    return { params: { ref: homeTenant(role) } };
  },
  getBackup: async (role) => ({ params: { backup: await homeBackup(role) } }),
  verifyBackup: async (role) => ({ params: { backup: await homeBackup(role) } }),
  downloadBackup: async (role) => ({ params: { backup: await homeBackup(role) } }),
  restoreBackup: async (role) => ({ params: { backup: await homeBackup(role) }, body: { dry_run: true } }),
  listDeployments: async () => ({}),
  getDeployment: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.id }, token };
  },
  listDeploymentEvents: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.id }, token };
  },
  createDeployment: async (role) => {
    const { ref, token } = await freshTenant(role);
    return { body: { tenant: ref, version: '2.0.0' }, token };
  },
  rollbackDeployment: async (role) => {
    const { ref, token } = await freshTenant(role);
    await deployed(api, ref, '1.0.0');
    await deployed(api, ref, '1.1.0');
    return { body: { tenant: ref }, token };
  },
  scaleTenant: async (role) => {
    const { ref, token } = await freshTenant(role);
    await deployed(api, ref, '1.0.0');
    return { params: { ref }, body: { replicas: 2 }, token };
  },
  listJobs: async () => ({}),
  getJob: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.job_id }, token };
  },
  retryJob: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    await api.admin.jobs.cancel(deployment.job_id);
    return { params: { id: deployment.job_id }, token };
  },
  cancelJob: async (role) => {
    const { token, deployment } = await queuedDeployment(role);
    return { params: { id: deployment.job_id }, token };
  },
  // an instance token pushes for its own tenant (matrix-home); master_admin for any
  pushMetrics: async () => ({ params: { tenant: 'matrix-home' }, body: { points: [{ metric: 'cpu', value: 12.5 }, { metric: 'subscribers', value: 40 }] } }),
  listHealth: async () => ({}),
  getTenantHealth: async (role) => ({ params: { ref: homeTenant(role) } }),
  probeHealth: async (role) => {
    const { ref, token } = await probeableTenant(role);
    return { body: { tenant: ref }, token };
  },
};

/** A backup of the role's home tenant, taken by the bootstrap admin. */
async function homeBackup(role: Role): Promise<string> {
  return (await api.admin.backups.create(homeTenant(role))).id;
}

const operationId = (route: ApiRoute) => String(route.config.operationId);
const label = (route: ApiRoute) => `${route.config.method.toUpperCase()} ${route.config.path} (${operationId(route)})`;

function pathOf(route: ApiRoute, params: Record<string, string> = {}): string {
  const path = route.config.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${label(route)}: no value for path parameter {${name}}`);
    return encodeURIComponent(value);
  });
  return path;
}

async function prepare(route: ApiRoute, role: Role): Promise<Call> {
  const build = CALLS[operationId(route)];
  if (!build) throw new Error(`${label(route)} has no entry in the role-matrix CALLS map; add one`);
  return build(role);
}

/** The same call made invalid: an unknown body field, and every query parameter out of range. */
function invalidCall(call: Call): Call & { query: Record<string, string> } {
  return { ...call, body: call.body === undefined ? undefined : { ...(call.body as object), unknown_field: true }, query: { limit: '0' } };
}

function send(route: ApiRoute, call: Call & { query?: Record<string, string> }, token: string | undefined) {
  return api.as(token).raw(route.config.method.toUpperCase(), pathOf(route, call.params), { body: call.body, query: call.query });
}

beforeAll(async () => {
  healthy = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => healthy.listen(0, '127.0.0.1', resolve));
  healthyUrl = `http://127.0.0.1:${(healthy.address() as AddressInfo).port}`;
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'matrix-reseller', name: 'Matrix Reseller' });
  await api.admin.tenants.create({ slug: 'matrix-home', name: 'Home' });
  await api.admin.tenants.create({ slug: 'reseller-home', name: 'Reseller Home', reseller: 'matrix-reseller' });
  for (const slug of ['matrix-home', 'reseller-home']) await api.admin.configs.change(slug, { values: { 'billing.currency': 'USD' } });
  tokens.master_admin = (await api.admin.tokens.create({ role: 'master_admin', email: 'matrix-admin@example.test' })).token;
  tokens.tenant_admin = (await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'matrix-home' })).token;
  tokens.reseller = (await api.admin.tokens.create({ role: 'reseller', reseller: 'matrix-reseller' })).token;
  tokens.instance = (await api.admin.tokens.create({ role: 'instance', tenant: 'matrix-home' })).token;
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => healthy.close(resolve));
});

describe('the role matrix covers the route table', () => {
  it('has a call for every route, and no call for a route that no longer exists', () => {
    const ids = ROUTES.map(operationId);
    expect(ids.filter((id) => !(id in CALLS))).toEqual([]);
    expect(Object.keys(CALLS).filter((id) => !ids.includes(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('pins who may call what, so a widened route shows up in review', () => {
    // people: every role but an instance agent's, which may only push metrics
    const everyone = ['master_admin', 'reseller', 'tenant_admin'];
    const staffAndResellers = ['master_admin', 'reseller'];
    const staff = ['master_admin'];
    const admins = ['master_admin', 'tenant_admin'];
    expect(Object.fromEntries(ROUTES.map((route) => [operationId(route), [...route.access].sort()]))).toEqual({
      listTenants: everyone,
      getTenant: everyone,
      createTenant: staffAndResellers,
      updateTenant: everyone,
      suspendTenant: staff,
      resumeTenant: staff,
      deleteTenant: staff,
      listResellers: staffAndResellers,
      getReseller: staffAndResellers,
      createReseller: staff,
      getMe: everyone,
      createToken: staff,
      listTokens: staff,
      revokeToken: staff,
      listAuditEvents: everyone,
      verifyAuditChain: staff,
      getOverview: everyone,
      listConfigs: everyone,
      getConfig: everyone,
      listConfigVersions: everyone,
      diffConfigs: everyone,
      changeConfigs: ['master_admin', 'tenant_admin'],
      applyConfigs: ['master_admin', 'tenant_admin'],
      rollbackConfigs: ['master_admin', 'tenant_admin'],
      listBackups: everyone,
      createBackup: admins,
      setBackupSchedule: admins,
      getBackupSchedule: admins,
      getBackup: everyone,
      verifyBackup: admins,
      downloadBackup: admins,
      restoreBackup: admins,
      listDeployments: everyone,
      getDeployment: everyone,
      listDeploymentEvents: everyone,
      createDeployment: admins,
      rollbackDeployment: admins,
      scaleTenant: admins,
      listJobs: everyone,
      getJob: everyone,
      retryJob: admins,
      cancelJob: admins,
      pushMetrics: ['instance', 'master_admin'],
      listHealth: everyone,
      getTenantHealth: everyone,
      probeHealth: admins,
    });
  });

  it('knows all four roles', () => {
    expect([...ROLES].sort()).toEqual(['instance', 'master_admin', 'reseller', 'tenant_admin']);
  });

  it('lets an instance token call nothing but its tenant\'s metrics', () => {
    expect(ROUTES.filter((route) => route.access.includes('instance')).map(operationId)).toEqual(['pushMetrics']);
  });
});

for (const route of ROUTES) {
  describe(label(route), () => {
    for (const role of ROLES) {
      if (route.access.includes(role)) {
        it(`lets ${role} through`, async () => {
          const call = await prepare(route, role);
          const res = await send(route, call, call.token ?? tokens[role]);
          expect(res.status, `${role} → ${res.status} ${res.body}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `${role} → ${res.status} ${res.body}`).toBeLessThan(300);
        });
      } else {
        it(`refuses ${role} with 403 and changes nothing`, async () => {
          const call = await prepare(route, role);
          const before = await auditCount(api);
          const res = await send(route, call, call.token ?? tokens[role]);
          expectProblem(res, 403, 'forbidden');
          expect(await auditCount(api)).toBe(before);
        });

        it(`refuses ${role} with 403 before looking at the request`, async () => {
          const call = await prepare(route, role);
          expectProblem(await send(route, invalidCall(call), call.token ?? tokens[role]), 403, 'forbidden');
        });
      }
    }

    it('refuses a caller without a token with 401', async () => {
      const call = await prepare(route, 'master_admin');
      const before = await auditCount(api);
      const res = await send(route, call, undefined);
      expectProblem(res, 401, 'unauthorized');
      expect(await auditCount(api)).toBe(before);
    });

    it('refuses a caller without a token with 401 before looking at the request', async () => {
      const call = await prepare(route, 'master_admin');
      expectProblem(await send(route, invalidCall(call), undefined), 401, 'unauthorized');
    });
  });
}
