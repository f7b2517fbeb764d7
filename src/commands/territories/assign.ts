import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag } from '../../cli/flags.js';
import { TERRITORY_COLUMNS } from '../../cli/pipeline-columns.js';
import type { Territory } from '../../client/types.js';

export default class TerritoriesAssign extends BaseCommand<typeof TerritoriesAssign> {
  static override summary = 'Give a territory to a reseller, or take it back with --unassign (master_admin)';
  static override description = 'A territory has one holder at a time; a reseller may hold several. Assigning it to another reseller moves it.';
  static override examples = ['<%= config.bin %> territories assign "US East" --reseller acme', '<%= config.bin %> territories assign "US East" --unassign'];
  static override args = { territory: Args.string({ description: 'territory name or id', required: true }) };
  static override flags = {
    reseller: Flags.string({ description: 'reseller slug or id', exclusive: ['unassign'] }),
    unassign: Flags.boolean({ description: 'leave the territory without a reseller', default: false }),
    ...reasonFlag,
  };

  async run(): Promise<Territory> {
    const { reseller, unassign } = this.flags;
    if (!reseller && !unassign) throw usageError('name the reseller with --reseller, or take the territory back with --unassign', 'see `dotmac territories assign --help`');
    const outcome = await (await this.writableClient()).territories.assign(this.args.territory, { reseller: unassign ? null : reseller! }, this.flags.reason);
    const t = outcome.value;
    this.reportChange(outcome, t.reseller_slug ? `Assigned ${t.name} to ${t.reseller_slug}` : `${t.name} is now unassigned`, t.reseller_slug ? `${t.name} is already held by ${t.reseller_slug}` : `${t.name} is already unassigned`);
    this.printRecord(t, TERRITORY_COLUMNS);
    return t;
  }
}
