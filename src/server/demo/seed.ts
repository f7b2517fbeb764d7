import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { writeTransaction } from '../../db/transaction.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../modules/audit/service.js';
import { generateDemoData } from './generator.js';

const BATCH = 500;

/** Inserts demo data in batches, one transaction, with one audit event for the whole seed. */
export async function seedDemo(ctx: ServiceContext, tenantCount: number) {
  const data = generateDemoData(tenantCount, ctx.clock.now());
  await writeTransaction(ctx.db, ctx.dialect, async (trx: Kysely<Database>) => {
    for (let i = 0; i < data.resellers.length; i += BATCH) await trx.insertInto('resellers').values(data.resellers.slice(i, i + BATCH)).execute();
    for (let i = 0; i < data.tenants.length; i += BATCH) await trx.insertInto('tenants').values(data.tenants.slice(i, i + BATCH)).execute();
    await recordAudit(trx, ctx, {
      action: 'workspace.seed_demo',
      targetType: 'workspace',
      targetId: null,
      tenantId: null,
      details: { resellers: data.resellers.length, tenants: data.tenants.length },
    });
  });
  return { resellers: data.resellers.length, tenants: data.tenants.length };
}
