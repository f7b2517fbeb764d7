import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TERRITORY_COLUMNS } from '../../cli/pipeline-columns.js';
import type { Territory } from '../../client/types.js';

export default class TerritoriesCreate extends BaseCommand<typeof TerritoriesCreate> {
  static override summary = 'Create a territory: a named list of region codes (master_admin)';
  static override examples = ['<%= config.bin %> territories create "US East" --regions us-east,us-central'];
  static override args = { name: Args.string({ description: 'territory name', required: true }) };
  static override flags = {
    regions: Flags.string({ description: 'comma-separated region codes, e.g. us-east,us-west', required: true }),
    ...reasonFlag,
  };

  async run(): Promise<Territory> {
    const regions = this.flags.regions.split(',').map((r) => r.trim()).filter((r) => r !== '');
    const territory = await (await this.writableClient()).territories.create({ name: this.args.name, regions }, this.flags.reason);
    this.note(`Created territory ${territory.name} (${territory.regions.join(', ')}); give it to a reseller with \`dotmac territories assign\``);
    this.printRecord(territory, TERRITORY_COLUMNS);
    return territory;
  }
}
