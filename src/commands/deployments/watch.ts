import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { followDeployment } from '../../cli/deployment-progress.js';
import { jsonText } from '../../cli/output.js';

export default class DeploymentsWatch extends BaseCommand<typeof DeploymentsWatch> {
  static override summary = 'Follow a deployment until it ends';
  static override description =
    'On a terminal: a progress bar with the step\'s name. Otherwise: one JSON line per event ({seq, at, type, status, step, progress, message}), then a last ' +
    'line {"deployment": ...} with its final state. Exits 0 when it succeeded, 1 when it failed. In local mode a queued deployment\'s job runs in this process.';
  static override examples = ['<%= config.bin %> deployments watch dep_01jf...', '<%= config.bin %> deployments watch dep_01jf... | jq -c .'];
  static override enableJsonFlag = false;
  static override args = { id: Args.string({ description: 'deployment id', required: true }) };

  async run(): Promise<void> {
    const client = await this.factory.client();
    const tty = this.factory.io.stdoutIsTTY;
    const ended = await followDeployment(client, this.args.id, tty ? 'bar' : 'json-lines', process.stdout);
    if (tty) this.log(`Deployment ${ended.id} ${ended.status}${ended.status === 'failed' ? `: ${ended.failure_reason ?? ''}` : ended.endpoint_url ? `: ${ended.endpoint_url}` : ''}`);
    else process.stdout.write(`${jsonText({ deployment: ended })}\n`);
    if (ended.status === 'failed') process.exitCode = 1;
  }
}
