import { z } from '@hono/zod-openapi';
import { OPPORTUNITY_STAGES } from '../../../db/tables/pipeline.js';
import { humanText } from '../../human-text.js';
import { PageQuery } from '../../routing.js';
import { RegionCode } from '../territories/schema.js';
import { OPEN_STAGES } from './stages.js';

/** At most $20,000,000.00: a 32-bit integer column on PostgreSQL, and more than any deal here. */
export const MAX_VALUE_CENTS = 2_000_000_000;

const Stage = z.enum(OPPORTUNITY_STAGES);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a real calendar date');

export const StageChangeSchema = z
  .object({
    from_stage: Stage.nullable(),
    to_stage: Stage,
    reason: z.string().nullable(),
    actor: z.string(),
    actor_role: z.string(),
    at: z.string(),
  })
  .openapi('OpportunityStageChange');

export const OpportunitySchema = z
  .object({
    id: z.string().openapi({ example: 'opp_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    reseller_id: z.string(),
    reseller_slug: z.string(),
    prospect_name: z.string(),
    prospect_email: z.string().nullable(),
    region: z.string(),
    territory_id: z.string().nullable(),
    value_cents: z.number().int(),
    stage: Stage,
    probability_bps: z.number().int().openapi({ description: 'the stage\'s probability: 1000, 2500, 5000, 7500, 10000, 0' }),
    weighted_cents: z.number().int().openapi({ description: 'value × probability, rounded half-up to a cent' }),
    close_date: z.string().nullable(),
    quote_id: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    closed_at: z.string().nullable(),
  })
  .openapi('Opportunity');

export const OpportunityDetailSchema = OpportunitySchema.extend({
  history: z.array(StageChangeSchema).openapi({ description: 'every stage change, oldest first (creation is the first, from null)' }),
}).openapi('OpportunityDetail');

export const StageTotalSchema = z
  .object({ stage: Stage, count: z.number().int(), value_cents: z.number().int(), weighted_cents: z.number().int() })
  .openapi('PipelineStageTotal');

export const OpportunityPageSchema = z
  .object({
    data: z.array(OpportunitySchema),
    next_cursor: z.string().nullable(),
    totals: z.array(StageTotalSchema).openapi({ description: 'over every opportunity the filters match (not only this page), by stage in pipeline order' }),
    total: z.object({ count: z.number().int(), value_cents: z.number().int(), weighted_cents: z.number().int() }).openapi({ description: 'the sums of the stage totals' }),
  })
  .openapi('OpportunityPage');

export const OpportunityListQuery = z.object({
  ...PageQuery,
  stage: Stage.optional(),
  reseller: z.string().min(1).max(100).optional().openapi({ description: 'reseller id or slug (staff; a reseller may name only itself)' }),
});

export const OpportunityIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'opportunity id' }),
});

export const CreateOpportunityBody = z
  .strictObject({
    prospect_name: humanText(200).min(1),
    prospect_email: z.email().max(254).optional(),
    region: RegionCode,
    value_cents: z.number().int().min(0).max(MAX_VALUE_CENTS).openapi({ description: 'expected monthly or contract value, integer cents' }),
    close_date: isoDate.optional().openapi({ description: 'expected close, YYYY-MM-DD' }),
    stage: z.enum(OPEN_STAGES).default('lead'),
    reseller: z.string().min(1).max(100).optional().openapi({ description: 'staff: the reseller that owns it (required); a reseller leaves it out' }),
    quote_id: z.string().min(1).max(100).optional().openapi({ description: 'the quote made for it, if any' }),
  })
  .openapi('CreateOpportunity');

export const MoveOpportunityBody = z
  .strictObject({
    stage: Stage,
    reason: humanText(500).optional().openapi({ description: 'why, kept in the stage history' }),
  })
  .openapi('MoveOpportunity');

export type Opportunity = z.infer<typeof OpportunitySchema>;
export type OpportunityDetail = z.infer<typeof OpportunityDetailSchema>;
export type CreateOpportunityInput = z.infer<typeof CreateOpportunityBody>;
export type MoveOpportunityInput = z.infer<typeof MoveOpportunityBody>;
export type OpportunityListFilter = z.infer<typeof OpportunityListQuery>;
