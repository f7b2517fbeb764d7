import { BaseCommand } from '../../cli/base-command.js';
import { PROBE_COLUMNS } from '../../cli/columns.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ProbeResults } from '../../client/types.js';

export default class HealthProbe extends BaseCommand<typeof HealthProbe> {
  static override summary = 'Probe now: GET {endpoint}/health of the current deployment, and record the result';
  static override description =
    'Probes the tenant\'s current (last succeeded) deployment at its endpoint_url, through the API (in local mode, in this process); without ' +
    '--tenant, every tenant you may probe that has one. Status: up, degraded (slower than the server\'s --probe-degraded-ms), or down ' +
    '(refused, timed out, or not a 2xx; redirects are not followed).';
  static override examples = ['<%= config.bin %> health probe --tenant fibernet', '<%= config.bin %> health probe --json'];
  static override operation = 'probeHealth';
  static override roles = ['master_admin', 'tenant_admin'] as const;
  static override flags = { ...tenantFlag, ...reasonFlag };

  async run(): Promise<ProbeResults['data']> {
    const client = await this.writableClient();
    const { data } = await client.health.probe(this.flags.tenant ? { tenant: this.flags.tenant } : {}, this.flags.reason);
    if (data.length === 0 && !this.jsonEnabled()) this.note('Nothing to probe: no tenant in scope has a succeeded deployment with an endpoint.');
    this.printList(data, PROBE_COLUMNS);
    return data;
  }
}
