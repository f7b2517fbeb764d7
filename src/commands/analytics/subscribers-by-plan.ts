import { ANONYMITY_NOTE, DistributionCommand } from '../../cli/analytics-command.js';

export default class AnalyticsSubscribersByPlan extends DistributionCommand {
  static override summary = 'Tenants and subscribers by plan, over the whole platform';
  static override description = `Subscriptions in force (not cancelled), grouped by plan. ${ANONYMITY_NOTE}`;
  static override examples = ['<%= config.bin %> analytics subscribers-by-plan', '<%= config.bin %> analytics subscribers-by-plan --json'];
  protected readonly distribution = 'subscribers-by-plan';
  protected readonly columns = [{ key: 'key', header: 'plan' }, { key: 'tenants' }, { key: 'subscribers' }, { key: 'average_subscribers', header: 'average' }];
}
