import { ANONYMITY_NOTE, DistributionCommand } from '../../cli/analytics-command.js';

export default class AnalyticsTicketsByRegion extends DistributionCommand {
  static override summary = 'Open and breached tickets by region, over the whole platform';
  static override description = `Tenants (not cancelled) grouped by region: open tickets, those that breached a response SLA, tickets opened in 30 days, open per tenant. ${ANONYMITY_NOTE}`;
  static override examples = ['<%= config.bin %> analytics tickets-by-region', '<%= config.bin %> analytics tickets-by-region --csv'];
  protected readonly distribution = 'tickets-by-region';
  protected readonly columns = [{ key: 'key', header: 'region' }, { key: 'tenants' }, { key: 'open' }, { key: 'breached' }, { key: 'opened_30d', header: 'opened 30d' }, { key: 'open_per_tenant', header: 'open/tenant' }];
}
