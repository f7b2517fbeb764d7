import { z } from '@hono/zod-openapi';

const Count = z.object({ key: z.string(), tenants: z.number().int() });

export const OverviewSchema = z
  .object({
    tenants: z.number().int(),
    by_status: z.array(Count),
    by_plan: z.array(Count),
    by_reseller: z.array(
      z.object({ reseller_id: z.string().nullable(), slug: z.string().nullable(), name: z.string().nullable(), tenants: z.number().int() }),
    ),
  })
  .openapi('Overview');
