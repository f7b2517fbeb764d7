import type { OpportunityStage } from '../../../db/tables/pipeline.js';

// The opportunity pipeline as pure rules: stage order, probabilities, weighted value, moves.

export const OPEN_STAGES = ['lead', 'qualified', 'proposal', 'negotiation'] as const satisfies readonly OpportunityStage[];
export const FINAL_STAGES = ['won', 'lost'] as const satisfies readonly OpportunityStage[];

/** Probability of closing, in basis points, by stage (issue 8: 10/25/50/75/100/0 %). */
export const STAGE_PROBABILITY_BPS: Readonly<Record<OpportunityStage, number>> = {
  lead: 1_000,
  qualified: 2_500,
  proposal: 5_000,
  negotiation: 7_500,
  won: 10_000,
  lost: 0,
};

/** round-half-up(value × bps / 10,000) in integer arithmetic: value cents are whole and non-negative. */
export function applyBps(cents: number, bps: number): number {
  return Math.floor((cents * bps + 5_000) / 10_000);
}

/** The opportunity's value × its stage's probability, rounded half-up to a cent. */
export function weightedValue(valueCents: number, stage: OpportunityStage): number {
  return applyBps(valueCents, STAGE_PROBABILITY_BPS[stage]);
}

export function isFinal(stage: OpportunityStage): boolean {
  return stage === 'won' || stage === 'lost';
}

const ORDER: readonly OpportunityStage[] = ['lead', 'qualified', 'proposal', 'negotiation', 'won'];

export type MoveCheck = { allowed: true; direction: 'forward' | 'back' | 'lost' | 'same' } | { allowed: false; why: string };

/**
 * The moves an opportunity may make: forward one or more stages (won included) from an open
 * stage; to lost from any open stage; back exactly one stage from qualified, proposal or
 * negotiation (a deal that slipped). Won and lost are final. Staying put is no move.
 */
export function checkMove(from: OpportunityStage, to: OpportunityStage): MoveCheck {
  if (from === to) return { allowed: true, direction: 'same' };
  if (isFinal(from)) return { allowed: false, why: `the opportunity is ${from}, which is final` };
  if (to === 'lost') return { allowed: true, direction: 'lost' };
  const at = ORDER.indexOf(from);
  const target = ORDER.indexOf(to);
  if (target > at) return { allowed: true, direction: 'forward' };
  if (target === at - 1) return { allowed: true, direction: 'back' };
  return { allowed: false, why: `an opportunity moves back one stage at a time: from ${from} only to ${ORDER[at - 1]}` };
}
