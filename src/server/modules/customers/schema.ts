import { z } from '@hono/zod-openapi';
import { humanText } from '../../human-text.js';
import { HEALTH_BANDS, HEALTH_COMPONENTS } from './health-score.js';

export const ComponentScoreSchema = z
  .object({
    component: z.enum(HEALTH_COMPONENTS),
    weight: z.number().int(),
    score: z.number().int().openapi({ description: '0–100; 50 (neutral) when the platform holds no data for it' }),
    no_data: z.boolean().openapi({ description: 'true when the platform holds no data for it (the reason says which)' }),
    input: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).openapi({ description: 'what the score was computed from' }),
    reason: z.string(),
  })
  .openapi('HealthComponentScore');

export const CustomerHealthSchema = z
  .object({
    tenant_id: z.string(),
    tenant_slug: z.string(),
    tenant_name: z.string(),
    plan: z.string(),
    reseller_id: z.string().nullable(),
    score: z.number().int().openapi({ description: '0–100: round-half-up(Σ weight × component score / 100)' }),
    band: z.enum(HEALTH_BANDS).openapi({ description: 'green ≥ 70, yellow 50–69, red < 50, or red when forced' }),
    forced_red: z.array(z.string()).openapi({ description: 'why the band is red whatever the score' }),
    expansion_opportunity: z.boolean(),
    upgrade_required: z.boolean(),
    flags: z.array(z.string()).openapi({ description: 'why each flag is set' }),
    components: z.array(ComponentScoreSchema),
  })
  .openapi('CustomerHealth');

export const CustomerHealthListSchema = z.object({ data: z.array(CustomerHealthSchema), computed_at: z.string() }).openapi('CustomerHealthList');

export const CustomerHealthQuery = z.object({
  reseller: z.string().min(1).max(100).optional().openapi({ description: 'reseller id or slug: its customers (staff; a reseller may name only itself)' }),
  band: z.enum(HEALTH_BANDS).optional(),
  tenant: z.string().min(1).max(100).optional().openapi({ description: 'one tenant, by id or slug' }),
});

export const NpsResponseSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    tenant_slug: z.string(),
    score: z.number().int(),
    comment: z.string().nullable(),
    recorded_by: z.string(),
    recorded_at: z.string(),
  })
  .openapi('NpsResponse');

export const RecordNpsBody = z
  .strictObject({
    score: z.number().int().min(0).max(10).openapi({ description: 'how likely the customer is to recommend, 0–10' }),
    comment: humanText(1000).optional(),
  })
  .openapi('RecordNps');

export type CustomerHealth = z.infer<typeof CustomerHealthSchema>;
export type CustomerHealthFilter = z.infer<typeof CustomerHealthQuery>;
export type NpsResponse = z.infer<typeof NpsResponseSchema>;
export type RecordNpsInput = z.infer<typeof RecordNpsBody>;
