import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { DEPLOYMENT_COLUMNS } from '../../cli/columns.js';
import { afterQueued, refuseBadLocalDriver } from '../../cli/deployment-progress.js';
import { reasonFlag, tenantFlag, waitFlag } from '../../cli/flags.js';
import type { Deployment } from '../../client/types.js';

export default class DeploymentsRollback extends BaseCommand<typeof DeploymentsRollback> {
  static override summary = 'Deploy an earlier deployment again';
  static override description =
    'Queues a deployment of the version, size and replicas of --to (default: the last succeeded deployment before the current one). When it succeeds, ' +
    'the deployment it replaced becomes rolled_back.';
  static override examples = ['<%= config.bin %> deployments rollback --tenant fibernet --wait', '<%= config.bin %> deployments rollback --tenant fibernet --to dep_01jf...'];
  static override flags = {
    ...tenantFlag,
    to: Flags.string({ description: 'the succeeded deployment to return to (id)' }),
    ...waitFlag,
    ...reasonFlag,
  };

  async run(): Promise<Deployment> {
    const client = await this.writableClient();
    refuseBadLocalDriver(client, this.flags.wait, this.factory.env);
    const tenant = await this.tenantRef(this.flags.tenant);
    const deployment = await client.deployments.rollback({ tenant, to: this.flags.to }, this.flags.reason);
    const shown = await afterQueued(client, deployment, this.flags.wait, (line) => this.note(line));
    this.printRecord(shown, DEPLOYMENT_COLUMNS);
    return shown;
  }
}
