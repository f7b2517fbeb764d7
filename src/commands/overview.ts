import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { masterSections, resellerSections, tenantSections, type Section } from '../cli/overview-view.js';
import { initDemoIfNew } from '../cli/workspace.js';
import type { Overview as OverviewData } from '../client/types.js';

export default class Overview extends BaseCommand<typeof Overview> {
  static override summary = 'Your overview: the platform for staff, your instance for a tenant admin, your business for a reseller';
  static override description =
    'master_admin: tenants by status and plan, MRR/ARR, 30-day churn, net revenue retention, deployments, unhealthy instances, open tickets with SLA breaches, top resellers. ' +
    'tenant_admin: instance health and uptime, usage against the plan, invoices due, tickets, last backups, branding. ' +
    'reseller: pipeline by stage with weighted value, open and expiring quotes, commissions this month and the next payout, customers by health band. ' +
    '--json prints the API\'s answer (GET /v1/overview), whose `role` says which of the three it is.';
  static override examples = ['<%= config.bin %> overview', '<%= config.bin %> overview --json', '<%= config.bin %> overview --init-demo'];
  static override flags = {
    'init-demo': Flags.boolean({ description: 'with no profile yet, first create a local workspace with demo data', default: false }),
  };

  async run(): Promise<OverviewData> {
    if (this.flags['init-demo']) await initDemoIfNew(this.factory, (line) => this.note(line));
    const overview = await (await this.factory.client()).analytics.overview();
    if (this.jsonEnabled()) return overview;
    const sections: Section[] = overview.role === 'master_admin' ? masterSections(overview) : overview.role === 'tenant_admin' ? tenantSections(overview) : resellerSections(overview);
    sections.forEach((section, i) => {
      this.log(`${i > 0 ? '\n' : ''}${section.title}`);
      if (section.record) this.printRecord(section.rows[0]!, section.columns);
      else if (section.rows.length === 0) this.log('  (none)');
      else this.printList(section.rows, section.columns);
    });
    return overview;
  }
}
