import { z } from '@hono/zod-openapi';
import { CONFIG_CATEGORIES } from '../../../db/tables/configurations.js';
import { pageOf, PageQuery } from '../../routing.js';

export const MASK = '********';

const ConfigValue = z.unknown().openapi({ description: 'any JSON value; a secret\'s is "********" unless revealed' });

export const ConfigEntrySchema = z
  .strictObject({
    key: z.string().openapi({ example: 'billing.currency' }),
    category: z.enum(CONFIG_CATEGORIES),
    value: ConfigValue,
    secret: z.boolean(),
    /** true when `value` is the mask, not the value */
    masked: z.boolean(),
    version: z.number().int().openapi({ description: 'the configuration version that last wrote this key' }),
    updated_at: z.string(),
  })
  .openapi('ConfigEntry');

export const ConfigurationSchema = z
  .strictObject({
    tenant_id: z.string(),
    tenant_slug: z.string(),
    version: z.number().int().openapi({ description: 'the current version; 0 before the first change' }),
    entries: z.array(ConfigEntrySchema),
  })
  .openapi('Configuration');

export const CHANGE_KINDS = ['added', 'changed', 'removed'] as const;

export const ConfigDeltaSchema = z
  .strictObject({
    key: z.string(),
    change: z.enum(CHANGE_KINDS),
    secret: z.boolean(),
    before: z.unknown().optional().openapi({ description: 'the value before; absent for a secret, or when added' }),
    after: z.unknown().optional().openapi({ description: 'the value after; absent for a secret, or when removed' }),
  })
  .openapi('ConfigDelta');

export const ConfigChangeSchema = z
  .strictObject({
    tenant_id: z.string(),
    tenant_slug: z.string(),
    version: z.number().int().openapi({ description: 'the version after the change (unchanged: the current one)' }),
    changes: z.array(ConfigDeltaSchema),
    entries: z.array(ConfigEntrySchema),
  })
  .openapi('ConfigChange');

export const ConfigPlanSchema = z
  .strictObject({
    tenant_id: z.string(),
    tenant_slug: z.string(),
    version: z.number().int().openapi({ description: 'the current version the plan was made against' }),
    in_sync: z.boolean(),
    changes: z.array(ConfigDeltaSchema),
  })
  .openapi('ConfigPlan');

export const ConfigVersionSchema = z
  .strictObject({
    version: z.number().int(),
    action: z.enum(['set', 'apply', 'rollback']),
    restored_from: z.number().int().nullable(),
    actor: z.string(),
    created_at: z.string(),
    changes: z.array(ConfigDeltaSchema.omit({ before: true, after: true })),
  })
  .openapi('ConfigVersion');

export const ConfigVersionPageSchema = pageOf(ConfigVersionSchema, 'ConfigVersionPage');

const reveal = z.enum(['true', 'false']).optional().openapi({ description: 'show secrets unmasked (master_admin and the tenant\'s own admin; audited)' });

export const ConfigListQuery = z.object({ category: z.enum(CONFIG_CATEGORIES).optional(), reveal });
export const ConfigGetQuery = z.object({ reveal });
export const ConfigVersionQuery = z.object({ ...PageQuery });

const tenantRefField = z.string().min(1).max(100).openapi({ param: { name: 'ref', in: 'path' }, description: 'tenant id or slug' });
export const ConfigKeyParam = z.object({
  ref: tenantRefField,
  key: z.string().min(1).max(100).openapi({ param: { name: 'key', in: 'path' }, description: 'category.name, e.g. billing.currency' }),
});
export const ConfigVersionParam = z.object({
  ref: tenantRefField,
  version: z.coerce.number().int().min(1).max(1_000_000_000).openapi({ param: { name: 'version', in: 'path' }, type: 'integer' }),
});

export const IfMatchHeader = z.object({
  'if-match': z.string().max(40).optional().openapi({ description: 'the version the change expects, e.g. "7": a stale one is 409 and changes nothing' }),
});

const Values = z.record(z.string(), z.unknown()).openapi({ description: 'values by key (category.name)' });
const SecretKeys = z.array(z.string().max(100)).optional().openapi({ description: 'keys (of values) to hold as secrets; known secret keys always are' });

export const ChangeConfigsBody = z
  .strictObject({
    values: Values.optional(),
    secret: SecretKeys,
    unset: z.array(z.string().max(100)).optional().openapi({ description: 'keys to remove' }),
  })
  .openapi('ChangeConfigs');

export const ApplyConfigsBody = z
  .strictObject({
    values: Values,
    secret: SecretKeys,
    prune: z.boolean().default(false).openapi({ description: 'also remove the keys the file does not name' }),
  })
  .openapi('ApplyConfigs');

export type ConfigEntry = z.infer<typeof ConfigEntrySchema>;
export type Configuration = z.infer<typeof ConfigurationSchema>;
export type ConfigDelta = z.infer<typeof ConfigDeltaSchema>;
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;
export type ConfigPlan = z.infer<typeof ConfigPlanSchema>;
export type ConfigVersion = z.infer<typeof ConfigVersionSchema>;
export type ChangeConfigsInput = z.infer<typeof ChangeConfigsBody>;
export type ApplyConfigsInput = z.infer<typeof ApplyConfigsBody>;
