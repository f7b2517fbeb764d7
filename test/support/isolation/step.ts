import fc from 'fast-check';
import { expect } from 'vitest';
import type { ApiResponse } from '../../../src/client/transport.js';
import { ROUTES } from '../../../src/server/routes.js';
import type { ApiRoute } from '../../../src/server/routing.js';
import type { TestApi } from '../harness.js';
import { byId, refusal, type Model, type Principal, type ResellerState, type TenantState, type TokenState } from './model.js';

/** The system side of a model run: the API, the principals' JWTs, and a counter for fresh slugs. */
export interface Real {
  api: TestApi;
  jwts: Map<string, string>;
  serial: { next: number };
}

/** What one step sends and gets, kept for the scope check after the model has taken the change in. */
export interface Answer {
  status: number;
  body: unknown;
  text: string;
}

export interface StepContext<A> {
  m: Model;
  r: Real;
  p: Principal;
  args: A;
  route: ApiRoute;
  answers: Answer[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of steps whose arguments differ
export type AnyStep = StepKind<any>;

export interface StepKind<A> {
  args: fc.Arbitrary<A>;
  perform(ctx: StepContext<A>): Promise<void>;
}

export const routeOf = (operationId: string): ApiRoute => {
  const route = ROUTES.find((r) => r.config.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  return route;
};

/** Sends one request as the principal, through the product's own client. */
export async function call(ctx: StepContext<unknown>, method: string, path: string, options: { query?: Record<string, string | number | undefined>; body?: unknown; ifMatch?: number } = {}): Promise<Answer> {
  const res: ApiResponse = await ctx.r.api.as(ctx.r.jwts.get(ctx.p.jti)).raw(method, path, options);
  const answer = { status: res.status, text: res.body, body: JSON.parse(res.body) as unknown };
  ctx.answers.push(answer);
  return answer;
}

/**
 * The refusal every step starts with: the token (revoked, its tenant cancelled or, for a write,
 * suspended), then the route's roles. Null when the principal gets through.
 */
export function gate(ctx: StepContext<unknown>, write: boolean): { status: number; code: string } | null {
  return refusal(ctx.m, ctx.p, write) ?? (ctx.route.access.includes(ctx.p.role) ? null : { status: 403, code: 'forbidden' });
}

export function expectStatus(answer: Answer, status: number, code?: string): void {
  expect(answer.status, answer.text).toBe(status);
  if (code) expect((answer.body as { code?: string }).code, answer.text).toBe(code);
}

/** A reference to an object: the pick-th (of those the principal sees, when `own`), by slug or id; or one that does not exist. */
export type Target = { pick: number; form: 'slug' | 'id'; own: boolean } | 'unknown';

export const targetArb: fc.Arbitrary<Target> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ pick: fc.nat({ max: 60 }), form: fc.constantFrom('slug' as const, 'id' as const), own: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant('unknown' as const) },
);

function choose<T extends { id: string }>(rows: T[], pick: Target, visible: (row: T) => boolean): T | undefined {
  if (pick === 'unknown') return undefined;
  const all = byId(rows);
  const pool = pick.own && all.some(visible) ? all.filter(visible) : all;
  return pool[pick.pick % pool.length];
}

/** The tenant a pick names (undefined: none), and the text the request carries for it. */
export function pickTenant(m: Model, pick: Target, visible: (t: TenantState) => boolean): { tenant?: TenantState; ref: string } {
  const tenant = choose(m.tenants, pick, visible);
  if (!tenant || pick === 'unknown') return { ref: 'no-such-tenant' };
  return { tenant, ref: pick.form === 'slug' ? tenant.slug : tenant.id };
}

export function pickReseller(m: Model, pick: Target, visible: (r: ResellerState) => boolean): { reseller?: ResellerState; ref: string } {
  const reseller = choose(m.resellers, pick, visible);
  if (!reseller || pick === 'unknown') return { ref: 'no-such-reseller' };
  return { reseller, ref: pick.form === 'slug' ? reseller.slug : reseller.id };
}

/** A token other than the harness's own bootstrap one. */
export function pickToken(m: Model, pick: Target): TokenState | undefined {
  if (pick === 'unknown') return undefined;
  const tokens = m.tokens.filter((t) => t.jti !== m.bootstrapJti).sort((a, b) => (a.jti < b.jti ? -1 : 1));
  return tokens[pick.pick % tokens.length];
}

/** A slug for a create: new, or one a tenant or a reseller already holds. */
export type SlugChoice = 'fresh' | { tenant: number } | { reseller: number };
export const slugArb: fc.Arbitrary<SlugChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('fresh' as const) },
  { weight: 1, arbitrary: fc.record({ tenant: fc.nat({ max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ reseller: fc.nat({ max: 60 }) }) },
);

export function slugOf(m: Model, r: Real, choice: SlugChoice): string {
  if (choice === 'fresh') return `m-${r.serial.next++}`;
  if ('tenant' in choice) return byId(m.tenants)[choice.tenant % m.tenants.length]!.slug;
  return byId(m.resellers)[choice.reseller % m.resellers.length]!.slug;
}

export const nameArb = fc.constantFrom('Acme Fibre', 'Ünïcode Net', '東京 ISP', 'O\'Brien & Sons', 'x'.repeat(200));
export const emailArb = fc.constantFrom(null, 'noc@acme.test', 'ops@example.test');
