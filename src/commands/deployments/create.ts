import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { DEPLOYMENT_COLUMNS } from '../../cli/columns.js';
import { afterQueued, refuseBadLocalDriver } from '../../cli/deployment-progress.js';
import { reasonFlag, tenantFlag, waitFlag } from '../../cli/flags.js';
import type { Deployment } from '../../client/types.js';

export const SIZES = ['micro', 'small', 'medium', 'large', 'xlarge'];

export default class DeploymentsCreate extends BaseCommand<typeof DeploymentsCreate> {
  static override summary = 'Deploy a version of a tenant\'s instance';
  static override description =
    'Queues a deployment (queued → running → succeeded | failed) and its job. A worker runs its steps (validate, provision, configure, health_check) through the ' +
    'server\'s provisioning driver. With --wait it is followed to the end (in local mode its job runs in this process).';
  static override examples = [
    '<%= config.bin %> deployments create --tenant fibernet --version 2.4.1 --wait',
    '<%= config.bin %> deployments create --tenant fibernet --version 2.4.1 --size medium --replicas 3 --region eu-west',
    '<%= config.bin %> deployments create --tenant fibernet --version 2.4.1 --endpoint https://isp.fibernet.example',
  ];
  static override flags = {
    ...tenantFlag,
    version: Flags.string({ description: 'the version to deploy, e.g. 2.4.1', required: true }),
    region: Flags.string({ description: 'region (default: the tenant\'s)' }),
    size: Flags.string({ description: 'instance size', options: SIZES }),
    replicas: Flags.integer({ description: 'replicas (limits: micro 2, small 3, medium 5, large 8, xlarge 12)', min: 1 }),
    endpoint: Flags.string({ description: 'the instance\'s http(s) URL, instead of the driver\'s (master_admin only)', parse: async (value) => httpUrl(value) }),
    ...waitFlag,
    ...reasonFlag,
  };

  async run(): Promise<Deployment> {
    const f = this.flags;
    const client = await this.writableClient();
    refuseBadLocalDriver(client, f.wait, this.factory.env);
    const tenant = await this.tenantRef(f.tenant);
    const deployment = await client.deployments.create(
      { tenant, version: f.version, region: f.region, size: f.size as Deployment['size'] | undefined, replicas: f.replicas, endpoint: f.endpoint },
      f.reason,
    );
    const shown = await afterQueued(client, deployment, f.wait, (line) => this.note(line));
    this.printRecord(shown, DEPLOYMENT_COLUMNS);
    return shown;
  }
}

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${value}" is not a URL; it must be an http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`must be an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) throw new Error('must not hold a user name or password: an endpoint is stored and shown to the tenant\'s people');
  return value;
}
