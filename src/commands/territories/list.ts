import { BaseCommand } from '../../cli/base-command.js';
import { parseColumns } from '../../cli/output.js';
import { TERRITORY_COLUMNS } from '../../cli/pipeline-columns.js';
import { Flags } from '@oclif/core';
import type { Territory } from '../../client/types.js';

export default class TerritoriesList extends BaseCommand<typeof TerritoriesList> {
  static override summary = 'List territories: staff see all, with the territories each overlaps; a reseller sees its own';
  static override description =
    'A territory is a named list of region codes held by one reseller (a reseller may hold several). A reseller quotes and opens opportunities only ' +
    'in its territories\' regions. For master_admin, `overlaps` names the other territories sharing a region, and which regions.';
  static override examples = ['<%= config.bin %> territories list', '<%= config.bin %> territories list --json | jq \'.[] | select(.overlaps | length > 0)\''];
  static override flags = {
    csv: Flags.boolean({ description: 'print CSV', default: false, exclusive: ['json'] }),
    columns: Flags.string({ description: `comma-separated columns to show, in order: ${TERRITORY_COLUMNS.map((c) => c.header ?? c.key).join(', ')}` }),
  };

  async run(): Promise<Partial<Territory>[]> {
    const columns = parseColumns(this.flags.columns, TERRITORY_COLUMNS);
    const { data } = await (await this.factory.client()).territories.list();
    if (data.length === 0 && !this.jsonEnabled()) this.note('No territories. Staff create them with `dotmac territories create NAME --regions a,b`.');
    return this.printList(data, TERRITORY_COLUMNS, { csv: this.flags.csv, columns });
  }
}
