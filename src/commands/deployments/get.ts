import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { DEPLOYMENT_COLUMNS } from '../../cli/columns.js';
import type { Deployment } from '../../client/types.js';

export default class DeploymentsGet extends BaseCommand<typeof DeploymentsGet> {
  static override summary = 'Show one deployment';
  static override examples = ['<%= config.bin %> deployments get dep_01jf...'];
  static override args = { id: Args.string({ description: 'deployment id', required: true }) };

  async run(): Promise<Deployment> {
    const deployment = await (await this.factory.client()).deployments.get(this.args.id);
    this.printRecord(deployment, DEPLOYMENT_COLUMNS);
    return deployment;
  }
}
