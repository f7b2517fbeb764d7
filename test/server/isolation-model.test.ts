import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/server/routes.js';
import { ownershipOf, type Model } from '../support/isolation/model.js';
import { BACKUP_STEPS } from '../support/isolation/backup-steps.js';
import { PLATFORM_STEPS } from '../support/isolation/platform-steps.js';
import { routeOf, type AnyStep, type Real, type StepContext } from '../support/isolation/step.js';
import { TENANT_STEPS } from '../support/isolation/tenant-steps.js';
import { CONFIG_STEPS } from '../support/isolation/config-steps.js';
import { DEPLOYMENT_STEPS } from '../support/isolation/deployment-steps.js';
import { HEALTH_STEPS } from '../support/isolation/health-steps.js';
import { PIPELINE_STEPS } from '../support/isolation/pipeline-steps.js';
import { PARTNER_STEPS } from '../support/isolation/partner-steps.js';
import { BILLING_STEPS } from '../support/isolation/billing-steps.js';
import { QUOTE_STEPS } from '../support/isolation/quote-steps.js';
import { TICKET_STEPS } from '../support/isolation/ticket-steps.js';
import { BRANDING_STEPS } from '../support/isolation/branding-steps.js';
import { FLAG_STEPS } from '../support/isolation/flag-steps.js';
import { USER_STEPS } from '../support/isolation/user-steps.js';
import { expectSystemMatches, IsolationWorld, SLOTS } from '../support/isolation/world.js';
import { scopeViolations } from '../support/scope-oracle.js';

/**
 * Model-based isolation: random sequences of operations by random principals (master, three
 * tenant admins, two resellers, an instance agent) against a small model of tenants, resellers, tokens and audit
 * events. Every answer is predicted by the model; no answer carries a row outside the caller's
 * scope; after every step the system, read back as master, equals the model.
 * DOTMAC_ISOLATION_RUNS sets the number of sequences (200 by default), DOTMAC_ISOLATION_SEED the
 * seed (a failure prints the one it ran with).
 */

const SEQUENCES = Number(process.env.DOTMAC_ISOLATION_RUNS ?? 200);
/** the seed a failure reports, to run the same sequences again */
const SEED = process.env.DOTMAC_ISOLATION_SEED === undefined ? undefined : Number(process.env.DOTMAC_ISOLATION_SEED);
/** Runs share a database, a fresh one every this many, so lists stay short. */
const RUNS_PER_DATABASE = 25;

/** One step per operationId in ROUTES: a route without one fails the suite. */
const STEPS: Record<string, AnyStep> = { ...TENANT_STEPS, ...PLATFORM_STEPS, ...CONFIG_STEPS, ...BACKUP_STEPS, ...DEPLOYMENT_STEPS, ...HEALTH_STEPS, ...PIPELINE_STEPS, ...PARTNER_STEPS, ...BILLING_STEPS, ...QUOTE_STEPS, ...TICKET_STEPS, ...BRANDING_STEPS, ...FLAG_STEPS, ...USER_STEPS };

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly operationId: string,
    readonly who: number,
    readonly args: unknown,
  ) {}

  check(): boolean {
    return true;
  }

  async run(m: Model, r: Real): Promise<void> {
    const p = m.principals[this.who]!;
    const ctx: StepContext<unknown> = { m, r, p, args: this.args, route: routeOf(this.operationId), answers: [] };
    await STEPS[this.operationId]!.perform(ctx);
    for (const answer of ctx.answers) {
      if (answer.status < 300) expect(scopeViolations(answer.body, p, ownershipOf(m)), `outside ${p.name}'s scope`).toEqual([]);
    }
    await expectSystemMatches(m, r);
  }

  toString(): string {
    return `${this.operationId} as ${SLOTS[this.who]!.name} ${JSON.stringify(this.args)}`;
  }
}

/** Master's changes (moves, suspensions, cancellations, revocations) are what the others' scopes must follow: it acts twice as often. */
const principal = fc.oneof(...SLOTS.map((slot, i) => ({ weight: slot.role === 'master_admin' ? 2 : 1, arbitrary: fc.constant(i) })));
const steps = Object.entries(STEPS).map(([operationId, step]) => fc.tuple(principal, step.args).map(([who, args]) => new Step(operationId, who, args)));

let world: IsolationWorld | undefined;
let runs = 0;
async function worldForRun(): Promise<IsolationWorld> {
  if (!world || runs++ % RUNS_PER_DATABASE === 0) {
    await world?.close();
    world = await IsolationWorld.open();
  }
  return world;
}
afterAll(() => world?.close());

describe('the isolation model covers the route table', () => {
  it('has a step for every route, and none for a route that no longer exists', () => {
    const ids = ROUTES.map((route) => String(route.config.operationId));
    expect(ids.filter((id) => !(id in STEPS))).toEqual([]);
    expect(Object.keys(STEPS).filter((id) => !ids.includes(id))).toEqual([]);
  });
});

describe('isolation under random sequences of operations', () => {
  it(`keeps every principal in its scope and the system equal to the model over ${SEQUENCES} sequences`, { timeout: Math.max(120_000, SEQUENCES * 2_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(steps, { maxCommands: 12 }), async (commands) => {
        const shared = await worldForRun();
        await fc.asyncModelRun(() => shared.setup(), commands);
      }),
      { numRuns: SEQUENCES, seed: SEED },
    );
  });
});
