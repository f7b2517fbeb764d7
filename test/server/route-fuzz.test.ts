import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/server/routes.js';
import type { ApiRoute } from '../../src/server/routing.js';
import { describeExchange, judge, reachesOperation, send } from '../support/fuzz/exchange.js';
import { FEEDERS } from '../support/fuzz/recipes.js';
import { operationsOf, requestsFor, type OpenApiDocument, type Operation } from '../support/fuzz/requests.js';
import { SchemaArbitraries } from '../support/fuzz/schema-arbitraries.js';
import { FuzzWorld } from '../support/fuzz/world.js';
import { startTestApi, type TestApi } from '../support/harness.js';

/**
 * Fuzzing from the published OpenAPI document: every operation gets valid and invalid path
 * parameters, query parameters and bodies derived from its schemas, from every kind of caller
 * (master_admin, tenant_admin, reseller, no token, forged tokens). Whatever is sent, no answer is
 * 5xx, every 2xx matches its route's zod schema and holds nothing outside the caller's scope, and
 * every 4xx is problem JSON. DOTMAC_FUZZ_RUNS sets the number of requests (10,000 by default),
 * DOTMAC_FUZZ_SEED the seed (chosen at random otherwise; every failure names the one it ran with,
 * the after-check of operations that never succeeded included).
 */

const RUNS = Number(process.env.DOTMAC_FUZZ_RUNS ?? 10_000);
/** the seed a failure reports, to run the same requests again */
const SEED = process.env.DOTMAC_FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.DOTMAC_FUZZ_SEED);
const REPLAY = `DOTMAC_FUZZ_SEED=${SEED} repeats this run`;
/** at most this many more requests for an operation that never succeeded in the runs */
const EXTRA_TRIES = 2_000;

let api: TestApi;
let world: FuzzWorld;
let operations: Operation[];
let schemas: SchemaArbitraries;
const internalErrors: string[] = [];

beforeAll(async () => {
  api = await startTestApi({ onInternalError: (where, error) => internalErrors.push(`${where}: ${(error as Error)?.stack ?? String(error)}`) });
  world = new FuzzWorld(api);
  await world.seed();
  const doc = (await (await api.app.request('/v1/openapi.json')).json()) as OpenApiDocument;
  operations = operationsOf(doc);
  schemas = new SchemaArbitraries(doc.components?.schemas ?? {});
});
afterAll(() => api.close());

const routeOf = (id: string) => ROUTES.find((route) => route.config.operationId === id);

describe('the fuzz covers the route table', () => {
  it('finds every route of ROUTES in the published document, and nothing else', () => {
    expect(operations.map((op) => op.id).sort()).toEqual(ROUTES.map((route) => String(route.config.operationId)).sort());
  });

  it('can build requests for every operation (every path parameter has a recipe, every schema keyword is known)', () => {
    for (const op of operations) expect(() => requestsFor(op, schemas), op.id).not.toThrow();
  });
});

describe('fuzzing every operation', () => {
  it(`answers ${RUNS} generated requests without a 5xx, off-schema 2xx, leak or non-problem 4xx`, { timeout: Math.max(120_000, RUNS * 60) }, async () => {
    const perOperation = fc.oneof(...operations.map((op) => requestsFor(op, schemas)));
    const outcomes = new Map<string, Map<number, number>>(operations.map((op) => [op.id, new Map()]));
    /** Sends one request, counts its status and judges the answer; throws on anything wrong. */
    const exchange = async (aimed: Operation, request: Parameters<typeof send>[2]): Promise<number> => {
      // a little time passes between requests, as it would: what is published later is newer
      api.clock.advance(10);
      const { sent, res } = await send(world, aimed, request);
      // ".." in a path segment can land on another route once the URL is resolved
      // (/v1/tenants/../health is /v1/health): the answer is that route's, and judged as such.
      const op = operations.find((o) => o.method === aimed.method && reachesOperation(o, sent.url)) ?? aimed;
      if (op.method !== 'GET' && res.status < 300) world.changed();
      const counts = outcomes.get(op.id)!;
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      const wrong = judge(op, routeOf(op.id) as ApiRoute, sent, res, await world.snapshot());
      if (internalErrors.length) wrong.push(`internal error logged: ${internalErrors.splice(0).join('\n')}`);
      if (wrong.length) throw new Error(`${op.id}: ${wrong.join('; ')}\n  ${describeExchange(sent, res)}\n  (${REPLAY})`);
      return res.status;
    };
    await fc.assert(
      fc.asyncProperty(perOperation, async (request) => {
        await exchange(operations.find((o) => o.id === request.operation)!, request);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // A fuzz that never got past validation or scoping would prove little: every operation must
    // succeed sometimes. With dozens of operations sharing the runs, the rarest (a valid body for
    // a tenant with no deployment in progress, say) may not have in this run: such an operation
    // gets more of its own generated requests, judged the same way, until one succeeds (short
    // runs skip this).
    if (RUNS < 5_000) return;
    const succeeded = (id: string) => [...outcomes.get(id)!.keys()].some((s) => s >= 200 && s < 300);
    // the runs queue deployments that no worker ran and use up seeded objects: restock first
    if (operations.some((o) => !succeeded(o.id))) await world.replenish();
    for (const op of operations.filter((o) => !succeeded(o.id))) {
      // taking turns with the operations that make what it acts on (FEEDERS), in case the runs used it all up
      const feeders = (FEEDERS[op.id] ?? []).map((id) => operations.find((o) => o.id === id)!);
      const fed = fc.oneof({ weight: 2, arbitrary: requestsFor(op, schemas) }, ...feeders.map((f) => ({ weight: 1, arbitrary: requestsFor(f, schemas) })));
      for (const request of fc.sample(fed, { numRuns: EXTRA_TRIES, seed: SEED })) {
        const sentTo = operations.find((o) => o.id === request.operation)!;
        if ((await exchange(sentTo, request)) < 300 && sentTo === op) break;
      }
      if (!succeeded(op.id)) await world.replenish();
    }
    const table = [...outcomes].map(([id, counts]) => `${id}: ${[...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    if (process.env.DOTMAC_FUZZ_RUNS) console.log(table.join('\n'));
    expect(operations.map((op) => op.id).filter((id) => !succeeded(id)), `never succeeded (${REPLAY}):\n${table.join('\n')}`).toEqual([]);
  });
});
