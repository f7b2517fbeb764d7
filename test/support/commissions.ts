// Commission events as the commission run will record them, for tests of the partner side before
// the run exists (the contract: recordCommissionEvents).
import { recordCommissionEvents } from '../../src/server/modules/commissions/service.js';
import type { NewCommissionEvent } from '../../src/server/modules/commissions/rules.js';
import type { TestApi } from './harness.js';

export interface PartnerEventSpec {
  /** the reseller's slug or id */
  reseller: string;
  key: string;
  period: string;
  eligible_on?: string;
  amount_cents?: number;
  tenant_id?: string | null;
  type?: NewCommissionEvent['type'];
}

/** Records one event for a reseller and returns its id. */
export async function recordPartnerEvent(api: TestApi, spec: PartnerEventSpec): Promise<string> {
  const db = api.connection.db;
  const reseller = await db.selectFrom('resellers').select('id').where((eb) => eb.or([eb('slug', '=', spec.reseller), eb('id', '=', spec.reseller)])).executeTakeFirstOrThrow();
  const amount = spec.amount_cents ?? 1_500;
  await db.transaction().execute((trx) =>
    recordCommissionEvents(trx, [
      {
        key: spec.key,
        reseller_id: reseller.id,
        tenant_id: spec.tenant_id ?? null,
        subscription_id: null,
        invoice_id: `inv_${spec.key}`,
        type: spec.type ?? 'recurring',
        period: spec.period,
        base_cents: amount * 10,
        rate_bps: 1_000,
        amount_cents: amount,
        basis: { source: 'tier', description: 'bronze reseller recurring rate' },
        eligible_on: spec.eligible_on ?? `${spec.period}-28`,
        reverses_id: null,
      },
    ]),
  );
  const row = await db.selectFrom('commission_events').select('id').where('reseller_id', '=', reseller.id).where('key', '=', spec.key).executeTakeFirstOrThrow();
  return row.id;
}
