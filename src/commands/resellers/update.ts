import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { RESELLER_COLUMNS } from '../../cli/columns.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Reseller, UpdateReseller } from '../../client/types.js';

/** A whole number, or `none` to clear. */
const amountOrNone = (max: number) =>
  Flags.custom<number | null>({
    parse: async (input) => {
      if (input === 'none') return null;
      if (!/^\d+$/.test(input) || Number(input) > max) throw new Error(`takes a whole number from 0 to ${max}, or "none"`);
      return Number(input);
    },
  });

export default class ResellersUpdate extends BaseCommand<typeof ResellersUpdate> {
  static override summary = 'Change a reseller\'s partner settings: tier, quarterly quota, kind, default commission rate (staff)';
  static override examples = [
    '<%= config.bin %> resellers update acme --tier gold --quota 2500000',
    '<%= config.bin %> resellers update acme --tier auto --reason "back to revenue tiers"',
    '<%= config.bin %> resellers update scout --kind referral --default-bps none',
  ];
  static override args = { reseller: Args.string({ description: 'reseller slug or id', required: true }) };
  static override flags = {
    tier: Flags.string({ description: 'set the tier by hand, or auto to follow lifetime revenue', options: ['bronze', 'silver', 'gold', 'platinum', 'auto'] }),
    quota: amountOrNone(2_000_000_000)({ description: 'quarterly quota in cents (the bonus needs one); "none" to clear' }),
    kind: Flags.string({ description: 'reseller or referral partner', options: ['reseller', 'referral'] }),
    'default-bps': amountOrNone(10_000)({ description: 'default recurring commission rate in bps, before the tier table; "none" to clear' }),
    ...reasonFlag,
  };

  async run(): Promise<Reseller> {
    const f = this.flags;
    const patch: UpdateReseller = {};
    if (f.tier !== undefined) patch.tier = f.tier as UpdateReseller['tier'];
    if (f.quota !== undefined) patch.quota_cents = f.quota;
    if (f.kind !== undefined) patch.kind = f.kind as Reseller['kind'];
    if (f['default-bps'] !== undefined) patch.default_commission_bps = f['default-bps'];
    if (Object.keys(patch).length === 0) throw usageError('nothing to change', 'pass at least one of --tier, --quota, --kind, --default-bps');
    const outcome = await (await this.writableClient()).resellers.update(this.args.reseller, patch, f.reason);
    const reseller = outcome.value;
    this.reportChange(outcome, `Updated ${reseller.slug} (${Object.keys(patch).join(', ')})`, `${reseller.slug} already has those settings`);
    this.printRecord(reseller, RESELLER_COLUMNS);
    return reseller;
  }
}
