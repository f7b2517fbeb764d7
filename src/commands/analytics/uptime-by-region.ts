import { ANONYMITY_NOTE, DistributionCommand } from '../../cli/analytics-command.js';

export default class AnalyticsUptimeByRegion extends DistributionCommand {
  static override summary = 'Probe uptime over the last 7 days by region, over the whole platform';
  static override description = `Tenants (not cancelled) probed in the last 7 days, grouped by region: probes and the percent that found the instance up or degraded. ${ANONYMITY_NOTE}`;
  static override examples = ['<%= config.bin %> analytics uptime-by-region', '<%= config.bin %> analytics uptime-by-region --json'];
  protected readonly distribution = 'uptime-by-region';
  protected readonly columns = [{ key: 'key', header: 'region' }, { key: 'tenants' }, { key: 'checks' }, { key: 'uptime_pct', header: 'uptime %', get: (r: { uptime_pct: number | null }) => r.uptime_pct ?? '—' }];
}
