import { BaseCommand } from '../cli/base-command.js';
import { HEALTH_COLUMNS } from '../cli/columns.js';
import { tenantFlag } from '../cli/flags.js';
import { parseColumns } from '../cli/output.js';
import { sparkline } from '../cli/sparkline.js';
import { Flags } from '@oclif/core';
import type { HealthSummary, TenantHealth } from '../client/types.js';

export default class Health extends BaseCommand<typeof Health> {
  static override summary = 'Instance health: status, uptime over 24 h and 7 d, p95 latency, latest metrics';
  static override description =
    'With --tenant (or a tenant_admin token), one tenant, with a sparkline of its last probes\' latency on a terminal. Without, one row per tenant ' +
    'you may see, worst first (down, degraded, never probed, up; then lower 24 h uptime). Uptime is the share of recorded probes that found the ' +
    'instance up or degraded; p95 is the 95th percentile (nearest rank) of the answered probes\' latency over 24 h. --json gives the numbers.';
  static override examples = ['<%= config.bin %> health', '<%= config.bin %> health --tenant fibernet', '<%= config.bin %> health --tenant fibernet --json | jq .uptime_24h'];
  static override flags = {
    ...tenantFlag,
    limit: Flags.integer({ description: 'without --tenant: how many tenants, worst first (1–500)', default: 50, min: 1, max: 500 }),
    columns: Flags.string({ description: `comma-separated columns to show, in order: ${HEALTH_COLUMNS.map((c) => c.header ?? c.key).join(', ')}` }),
  };

  async run(): Promise<TenantHealth | Partial<HealthSummary>[]> {
    const client = await this.factory.client();
    let tenant = this.flags.tenant || undefined;
    if (!tenant) {
      const me = await this.caller();
      if (me.role === 'tenant_admin') tenant = (me.tenant_slug ?? me.tenant_id)!;
    }
    if (!tenant) {
      const { data } = await client.health.list({ limit: this.flags.limit });
      if (data.length === 0 && !this.jsonEnabled()) this.note('No tenants to show.');
      return this.printList(data, HEALTH_COLUMNS, { columns: parseColumns(this.flags.columns, HEALTH_COLUMNS) });
    }
    const health = await client.health.get(tenant);
    this.printRecord(health, HEALTH_COLUMNS);
    if (!this.jsonEnabled() && this.factory.io.stdoutIsTTY && health.recent.length > 0) {
      const latencies = health.recent.map((r) => r.latency_ms);
      this.log(`latency  ${sparkline(latencies)}  (last ${latencies.length} probes, blank: no answer)`);
    }
    if (health.status === 'unknown' && !this.jsonEnabled()) this.note(`Never probed: run \`dotmac health probe --tenant ${tenant}\`, or let a server's worker probe it every --probe-interval.`);
    return health;
  }
}
