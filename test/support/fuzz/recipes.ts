import fc from 'fast-check';
import type { RefKind, SymbolicRef } from './world.js';

/**
 * What the fuzz puts where a request names an object. Path parameters are keyed by the
 * collection they address and their name ("tenants.ref" in /v1/tenants/{ref}/suspend): a route
 * whose path parameter has no recipe here fails the fuzz, since pure schema strings would only
 * ever find "not found". Body and query fields that name objects have recipes too, optional:
 * without one a field gets only what its schema generates.
 */

export type PathValue = SymbolicRef | { literal: string; raw: boolean };

const ref = (kind: RefKind, form?: 'slug' | 'id'): fc.Arbitrary<SymbolicRef> =>
  fc.record({ '@ref': fc.constant(kind), pick: fc.nat({ max: 40 }), form: form ? fc.constant(form) : fc.constantFrom('slug' as const, 'id' as const), own: fc.boolean() });

const GARBAGE_TEXT = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ minLength: 101, maxLength: 300 }),
  fc.constantFrom(
    ...['', ' ', '.', '..', '%', '%2F', '%zz', '%00', '\u0000', 'a/b', '?', '#', '\u202e', '😀', 'null', '0', '-1'],
    ...['ten_', 'res_', 'tok_', 'usr_', 'bak_', 'bak_00000000000000000000000000', 'ten_00000000000000000000000000', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz', "x' or '1'='1", 'FZ-DIRECT', 'fz-direct '],
  ),
);

/** Garbage in a path segment, percent-encoded or (sometimes) exactly as written. */
const garbageSegment: fc.Arbitrary<PathValue> = fc.record({ literal: GARBAGE_TEXT, raw: fc.boolean() });

const aimed = (...ways: [number, fc.Arbitrary<PathValue>][]) => fc.oneof(...ways.map(([weight, arbitrary]) => ({ weight, arbitrary })));

export const PATH_RECIPES: Record<string, fc.Arbitrary<PathValue>> = {
  'tenants.ref': aimed([6, ref('tenant')], [1, ref('reseller')], [3, garbageSegment]),
  'resellers.ref': aimed([6, ref('reseller')], [1, ref('tenant')], [3, garbageSegment]),
  'tokens.jti': aimed([6, ref('token')], [1, ref('user')], [3, garbageSegment]),
  // keys the fuzz world sets on every tenant, known and free, and ones no tenant has
  'keys.key': aimed(
    [6, fc.constantFrom('billing.currency', 'network.radius_secret', 'branding.motto', 'security.mfa_required').map((literal) => ({ literal, raw: false }))],
    [1, fc.constantFrom('billing.unset_key', 'versions', 'apply', 'network.max_subscribers').map((literal) => ({ literal, raw: false }))],
    [3, garbageSegment],
  ),
  'versions.version': aimed([6, fc.integer({ min: 1, max: 4 }).map((n) => ({ literal: String(n), raw: false }))], [3, garbageSegment]),
  'backups.backup': aimed([7, ref('backup')], [1, ref('tenant')], [2, garbageSegment]),
  'deployments.id': aimed([6, ref('deployment')], [1, ref('job')], [3, garbageSegment]),
  'jobs.id': aimed([6, ref('job')], [1, ref('deployment')], [3, garbageSegment]),
  'instances.tenant': aimed([6, ref('tenant')], [1, ref('reseller')], [3, garbageSegment]),
};

/** Where one operation's path parameter wants other objects than its collection's recipe aims at. */
export const PATH_RECIPES_BY_OPERATION: Record<string, Record<string, fc.Arbitrary<PathValue>>> = {
  // scaling needs a tenant that has deployed and has nothing in progress
  scaleTenant: { ref: aimed([6, ref('deployed-tenant', 'id')], [3, ref('tenant')], [2, garbageSegment]) },
};

/** The recipe key of a path parameter: the collection segment before it, and its name. */
export function pathRecipeKey(path: string, param: string): string {
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return `${segments[at - 1] ?? ''}.${param}`;
}

type FieldRecipe = (schemaValues: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>;
/** One part values from the schema, three parts real references. */
const mixed =
  (...refs: fc.Arbitrary<unknown>[]): FieldRecipe =>
  (schemaValues) =>
    fc.oneof({ weight: 1, arbitrary: schemaValues }, { weight: 3, arbitrary: fc.oneof(...refs) });

/** Body and query fields, by name, that name an object: schema values mixed with real ones. */
export const FIELD_RECIPES: Record<string, FieldRecipe> = {
  reseller: mixed(ref('reseller')),
  tenant: mixed(ref('tenant')),
  to: mixed(ref('deployment')),
  target: mixed(ref('tenant'), ref('reseller'), ref('token'), ref('user')),
  cursor: mixed(ref('tenant-cursor'), ref('seq-cursor')),
  // configuration values: known keys with good and bad values, free keys, near-misses of known keys
  values: (schemaValues) =>
    fc.oneof(
      { weight: 1, arbitrary: schemaValues },
      {
        weight: 3,
        arbitrary: fc.dictionary(
          fc.constantFrom('billing.currency', 'network.radius_secret', 'security.session_timeout_minutes', 'security.mfa_required', 'branding.motto', 'network.max_subscribers', 'network.radius_secet', 'nope.key'),
          fc.oneof(fc.constantFrom('USD', 'usd', 30, 2, true, 'a-long-enough-secret', { en: 'x' }, null, 1000), fc.jsonValue({ maxDepth: 2 })),
          { maxKeys: 4 },
        ),
      },
    ),
  unset: (schemaValues) => fc.oneof(schemaValues, fc.array(fc.constantFrom('billing.currency', 'branding.motto', 'network.max_subscribers', 'billing.nothing'), { maxLength: 3 })),
  slug: (schemaValues) => fc.oneof({ weight: 4, arbitrary: schemaValues }, { weight: 1, arbitrary: ref('tenant', 'slug') }, { weight: 1, arbitrary: ref('reseller', 'slug') }),
};

/**
 * Bodies whose fields only work together (a token's role and its scope), by operationId: mixed
 * with the schema's own values, so that the fuzz also reaches the operation's success.
 */
export const BODY_RECIPES: Record<string, (valid: fc.Arbitrary<Record<string, unknown>>) => fc.Arbitrary<unknown>> = {
  // a shape that mostly fits the limits, so that scaling gets through
  scaleTenant: (valid) =>
    fc
      .tuple(valid, fc.integer({ min: 1, max: 3 }), fc.constantFrom(undefined, 'small', 'medium'))
      .map(([body, replicas, size]) => ({ ...body, replicas, ...(size ? { size } : {}) })),
  // a shape within the limits and mostly no endpoint (random text is no URL, and only master may
  // give one), so that creates get through often enough with more callers and routes to share the run
  createDeployment: (valid) =>
    fc
      .tuple(valid, fc.nat({ max: 3 }), fc.integer({ min: 1, max: 2 }), fc.constantFrom(undefined, 'small', 'medium'))
      .map(([body, keep, replicas, size]) => {
        const { endpoint, replicas: _replicas, size: _size, ...rest } = body;
        return { ...rest, replicas, ...(size ? { size } : {}), ...(keep === 0 && endpoint !== undefined ? { endpoint } : {}) };
      }),
  // a tenant that has deployments, and mostly no `to`: the default rollback
  rollbackDeployment: (valid) =>
    fc.tuple(valid, ref('deployed-tenant'), fc.boolean()).map(([body, tenant, keepTo]) => {
      const { to, ...rest } = body;
      return { ...rest, tenant, ...(keepTo && to !== undefined ? { to } : {}) };
    }),
  // mostly batches that fit the metrics' bounds, so that pushes get through; the schema's own values test the refusals
  pushMetrics: (valid) =>
    fc.oneof(
      { weight: 1, arbitrary: valid },
      {
        weight: 2,
        arbitrary: fc.record({
          points: fc.array(
            fc.oneof(
              fc.record({ metric: fc.constantFrom('cpu', 'memory', 'disk'), value: fc.double({ min: 0, max: 100, noNaN: true }) }),
              fc.record({ metric: fc.constant('subscribers'), value: fc.nat({ max: 1_000_000 }) }),
              fc.record({ metric: fc.constant('bandwidth_mbps'), value: fc.double({ min: 0, max: 100_000, noNaN: true }) }),
            ),
            { minLength: 1, maxLength: 20 },
          ),
        }),
      },
    ),
  createToken: (valid) =>
    fc
      .tuple(valid, fc.oneof(fc.constant({ role: 'master_admin' }), ref('tenant').map((tenant) => ({ role: 'tenant_admin', tenant })), ref('tenant').map((tenant) => ({ role: 'instance', tenant })), ref('reseller').map((reseller) => ({ role: 'reseller', reseller }))))
      .map(([body, scope]) => {
        const { role: _role, tenant: _tenant, reseller: _reseller, ...rest } = body;
        return { ...rest, ...scope };
      }),
};
