import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { RESELLER_COLUMNS } from '../../cli/columns.js';
import type { Reseller } from '../../client/types.js';

export default class ResellersGet extends BaseCommand<typeof ResellersGet> {
  static override summary = 'Show one reseller';
  static override args = { reseller: Args.string({ description: 'reseller slug or id', required: true }) };

  async run(): Promise<Reseller> {
    const reseller = await (await this.factory.client()).resellers.get(this.args.reseller);
    this.printRecord(reseller, RESELLER_COLUMNS);
    return reseller;
  }
}
