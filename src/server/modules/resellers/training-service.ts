import { invalid } from '../../../core/errors.js';
import { writeTransaction } from '../../../db/transaction.js';
import type { ServiceContext } from '../../context.js';
import type { Outcome } from '../../outcome.js';
import { recordAudit } from '../audit/service.js';
import { isDay } from '../../../core/calendar.js';
import { getReseller, visibleReseller } from './service.js';
import { requiredFor, TRAINING_CATALOGUE, TRAINING_MODULES, type TrainingModule } from './training.js';

export async function listTraining(ctx: ServiceContext, ref: string) {
  const reseller = await getReseller(ctx, ref);
  const done = await ctx.db.selectFrom('reseller_training').select(['module', 'completed_on']).where('reseller_id', '=', reseller.id).execute();
  const completed = new Map(done.map((row) => [row.module, row.completed_on]));
  const required = new Set(requiredFor(reseller.tier));
  const missing = [...required].filter((m) => !completed.has(m));
  return {
    reseller_id: reseller.id,
    tier: reseller.tier,
    certified: missing.length === 0,
    missing,
    modules: TRAINING_MODULES.map((module) => ({
      module,
      title: TRAINING_CATALOGUE[module].title,
      required_from: TRAINING_CATALOGUE[module].requiredFrom,
      required: required.has(module),
      completed_on: completed.get(module) ?? null,
    })),
  };
}

/** Records a completed module (master_admin); completing it again changes nothing. */
export async function completeTraining(ctx: ServiceContext, ref: string, input: { module: TrainingModule; on?: string }): Promise<Outcome<Awaited<ReturnType<typeof listTraining>>>> {
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const on = input.on ?? today;
  if (!isDay(on)) throw invalid(`"${on}" is not a day (YYYY-MM-DD)`);
  if (on > today) throw invalid(`${on} is in the future; a module is recorded once completed`);
  const changed = await writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const reseller = await visibleReseller(ctx, ref, trx);
    const exists = await trx.selectFrom('reseller_training').select('module').where('reseller_id', '=', reseller.id).where('module', '=', input.module).executeTakeFirst();
    if (exists) return false;
    await trx.insertInto('reseller_training').values({ reseller_id: reseller.id, module: input.module, completed_on: on, recorded_by: ctx.principal.userId }).execute();
    await recordAudit(trx, ctx, { action: 'reseller.training_complete', targetType: 'reseller', targetId: reseller.id, tenantId: null, resellerId: reseller.id, details: { module: input.module, on } });
    return true;
  });
  return { value: await listTraining(ctx, ref), changed };
}
