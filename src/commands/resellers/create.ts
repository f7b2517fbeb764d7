import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { RESELLER_COLUMNS } from '../../cli/columns.js';
import { reasonFlag } from '../../cli/flags.js';
import type { Reseller } from '../../client/types.js';

export default class ResellersCreate extends BaseCommand<typeof ResellersCreate> {
  static override summary = 'Create a reseller (a channel partner that can own tenants)';
  static override examples = ['<%= config.bin %> resellers create --slug acme --name "Acme Channel" --territory "East Africa"'];
  static override flags = {
    slug: Flags.string({ description: 'unique short name', required: true }),
    name: Flags.string({ description: 'display name', required: true }),
    territory: Flags.string({ description: 'sales territory' }),
    tier: Flags.string({ description: 'partner tier set by hand; left out, the tier follows lifetime revenue from bronze', options: ['bronze', 'silver', 'gold', 'platinum'] }),
    kind: Flags.string({ description: 'reseller, or referral partner', options: ['reseller', 'referral'] }),
    ...reasonFlag,
  };

  async run(): Promise<Reseller> {
    const f = this.flags;
    const reseller = await (await this.writableClient()).resellers.create(
      { slug: f.slug, name: f.name, territory: f.territory, tier: f.tier as Reseller['tier'] | undefined, kind: f.kind as Reseller['kind'] | undefined },
      f.reason,
    );
    this.note(`Created reseller ${reseller.slug}`);
    this.printRecord(reseller, RESELLER_COLUMNS);
    return reseller;
  }
}
