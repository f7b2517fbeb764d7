import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { DEPLOYMENT_LIST_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { DeploymentListItem } from '../../client/types.js';

export default class DeploymentsList extends BaseCommand<typeof DeploymentsList> {
  static override summary = 'List deployments, newest first';
  static override examples = ['<%= config.bin %> deployments list --tenant fibernet', '<%= config.bin %> deployments list --status failed --json', '<%= config.bin %> deployments list --search 2.1'];
  static override flags = {
    ...listFlags(DEPLOYMENT_LIST_COLUMNS),
    tenant: Flags.string({ description: 'only this tenant\'s (slug or id)', env: 'DOTMAC_TENANT' }),
    status: Flags.string({ description: 'only this status', options: ['queued', 'running', 'succeeded', 'failed', 'rolled_back'] }),
    search: Flags.string({ char: 's', description: 'text in the id, version or region, or the tenant\'s slug or name' }),
  };

  async run(): Promise<Partial<DeploymentListItem>[]> {
    const columns = parseColumns(this.flags.columns, DEPLOYMENT_LIST_COLUMNS);
    const client = await this.factory.client();
    const { tenant, status, search } = this.flags;
    const { rows, next } = await fetchList(client, (cursor, limit) => client.deployments.list({ tenant, status, q: search, cursor, limit }), this.flags);
    const listed = this.printList(rows, DEPLOYMENT_LIST_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More deployments: --cursor ${next} (or --all)`);
    return listed;
  }
}
