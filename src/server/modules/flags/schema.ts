import { z } from '@hono/zod-openapi';
import { humanText } from '../../human-text.js';
import { rolloutToBps } from './bucket.js';

/** A flag key: a lower-case letter, then up to 63 lower-case letters, digits, `_`, `.` or `-`. */
export const FLAG_KEY = /^[a-z][a-z0-9_.-]{0,63}$/;
export const FLAG_KEY_RULE = 'a flag key: a lower-case letter, then at most 63 lower-case letters, digits, "_", "." or "-", e.g. new-billing';
/** `GET /v1/flags/evaluate` is a route of its own, so no flag may be called that. */
export const RESERVED_KEYS = ['evaluate'] as const;

export const FlagKey = z.string().regex(FLAG_KEY, FLAG_KEY_RULE).openapi({ example: 'new-billing' });

export const RolloutPercent = z
  .number()
  .min(0, 'a rollout is a percentage from 0 to 100')
  .max(100, 'a rollout is a percentage from 0 to 100')
  .refine((p) => rolloutToBps(p) !== null, 'a rollout is a percentage from 0 to 100 with at most 2 decimals, e.g. 12.5')
  .openapi({ description: 'percentage of tenants, 0–100, at most 2 decimals', example: 25 });

const TenantRefs = z
  .array(z.string().min(1).max(100))
  .max(1000)
  .openapi({ description: 'tenant slugs or ids; [] clears the list' });

const FlagTenant = z.object({ id: z.string(), slug: z.string() }).openapi('FlagTenant');

export const FeatureFlagSchema = z
  .object({
    id: z.string().openapi({ example: 'flg_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    key: z.string(),
    description: z.string().nullable(),
    state: z.enum(['off', 'partial', 'on']).openapi({ description: 'off: on for no tenant by rule; on: for every tenant; partial: anything between' }),
    rollout: z.number().openapi({ description: 'percentage of tenants (by hash bucket) the flag is on for, 0–100' }),
    tenants: z.array(FlagTenant).openapi({ description: 'always on for these tenants' }),
    except: z.array(FlagTenant).openapi({ description: 'always off for these tenants (beats `tenants` and the rollout)' }),
    enabled_tenants: z.number().int().openapi({ description: 'how many tenants that are not cancelled the flag is on for now' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('FeatureFlag');

export const FeatureFlagListSchema = z.object({ data: z.array(FeatureFlagSchema) }).openapi('FeatureFlagList');

export const FlagKeyParam = z.object({
  key: z.string().min(1).max(100).openapi({ param: { name: 'key', in: 'path' }, description: 'flag key' }),
});

export const CreateFlagBody = z
  .strictObject({
    key: FlagKey.refine((key) => !(RESERVED_KEYS as readonly string[]).includes(key), 'a key other than "evaluate", which names the evaluate route'),
    description: humanText(500).nullable().optional(),
  })
  .openapi('CreateFeatureFlag');

export const SetFlagBody = z
  .strictObject({
    rollout: RolloutPercent.optional(),
    tenants: TenantRefs.optional(),
    except: TenantRefs.optional(),
  })
  .refine((body) => body.rollout !== undefined || body.tenants !== undefined || body.except !== undefined, 'name what to change: rollout, tenants or except')
  .openapi('SetFeatureFlag');

export const EvaluateQuery = z.object({
  tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant slug or id; master_admin must give it, others may name only their own tenant' }),
});

export const FlagEvaluationSchema = z
  .object({
    tenant_id: z.string(),
    flags: z.record(z.string(), z.boolean()).openapi({ description: 'every flag by key: whether it is on for the tenant' }),
  })
  .openapi('FlagEvaluation');

export type FeatureFlag = z.infer<typeof FeatureFlagSchema>;
export type CreateFlagInput = z.infer<typeof CreateFlagBody>;
export type SetFlagInput = z.infer<typeof SetFlagBody>;
export type FlagEvaluation = z.infer<typeof FlagEvaluationSchema>;
