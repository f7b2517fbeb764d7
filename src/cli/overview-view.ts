import { formatCents } from '../core/money.js';
import type { MasterOverview, ResellerOverview, TenantOverview } from '../client/types.js';
import type { Column } from './output.js';

// What `dotmac overview` shows people, per role: sections of a title and a list or a record.
// --json prints the API's answer itself.

export interface Section {
  title: string;
  rows: object[];
  columns: Column[];
  /** a record (field per line) rather than a list */
  record?: boolean;
}

const money = (key: string, header?: string): Column => ({ key, header, get: (r: Record<string, unknown>) => (typeof r[key] === 'number' ? formatCents(r[key]) : '—') });
const pct = (bps: number | null) => (bps === null ? '—' : `${(bps / 100).toFixed(2)} %`);
const TICKETS: Column[] = [{ key: 'priority' }, { key: 'open' }, { key: 'breached' }];

export function masterSections(o: MasterOverview): Section[] {
  return [
    {
      title: 'Platform',
      record: true,
      rows: [
        {
          tenants: o.tenants,
          mrr: formatCents(o.revenue.mrr_cents),
          arr: formatCents(o.revenue.arr_cents),
          subscriptions: o.revenue.subscriptions_in_force,
          churn_30d: `${o.churn.subscriptions} (${formatCents(o.churn.mrr_cents)} MRR)`,
          nrr: `${pct(o.net_revenue_retention.bps)} (${o.net_revenue_retention.period} vs ${o.net_revenue_retention.base_period})`,
          deployments: `${o.deployments.running} running, ${o.deployments.queued} queued, ${o.deployments.failed_7d} failed in 7 days`,
          instances: `${o.instances.unhealthy} unhealthy, ${o.instances.degraded} degraded`,
          tickets: `${o.tickets.open} open, ${o.tickets.breached} breached`,
        },
      ],
      columns: ['tenants', 'mrr', 'arr', 'subscriptions', 'churn_30d', 'nrr', 'deployments', 'instances', 'tickets'].map((key) => ({ key, header: key.replace('_', ' ') })),
    },
    { title: 'Tenants by status', rows: o.by_status, columns: [{ key: 'key', header: 'status' }, { key: 'tenants' }] },
    { title: 'Tenants by plan', rows: o.by_plan, columns: [{ key: 'key', header: 'plan' }, { key: 'tenants' }] },
    { title: 'Open tickets by priority', rows: o.tickets.by_priority, columns: TICKETS },
    { title: 'Top resellers by MRR', rows: o.top_resellers, columns: [{ key: 'slug', header: 'reseller' }, { key: 'name', cut: true }, { key: 'customers' }, money('mrr_cents', 'mrr')] },
  ];
}

export function tenantSections(o: TenantOverview): Section[] {
  const h = o.health;
  return [
    {
      title: o.tenant.name,
      record: true,
      rows: [
        {
          tenant: o.tenant.slug,
          status: o.tenant.status,
          plan: o.tenant.plan,
          health: h ? h.status : 'unknown',
          uptime_24h: h?.uptime_24h == null ? '—' : `${h.uptime_24h} %`,
          uptime_7d: h?.uptime_7d == null ? '—' : `${h.uptime_7d} %`,
          invoices_due: `${o.invoices_due.count} (${formatCents(o.invoices_due.total_cents)}), ${o.invoices_due.overdue} overdue`,
          tickets: `${o.tickets.open} open, ${o.tickets.breached} breached`,
          branding: o.branding.company_name ?? '(default)',
        },
      ],
      columns: ['tenant', 'status', 'plan', 'health', 'uptime_24h', 'uptime_7d', 'invoices_due', 'tickets', 'branding'].map((key) => ({ key, header: key.replace('_', ' ') })),
    },
    {
      title: `Usage ${o.usage?.period ?? ''}`.trim(),
      rows: o.usage?.metrics ?? [],
      columns: [{ key: 'metric' }, { key: 'value', get: (r) => r.value ?? '—' }, { key: 'allowance', get: (r) => r.allowance ?? 'contract' }, { key: 'limit', get: (r) => r.limit ?? '' }, { key: 'percent', get: (r) => (r.percent === null ? '—' : `${r.percent} %`) }],
    },
    { title: 'Invoices due', rows: o.invoices_due.invoices, columns: [{ key: 'id' }, { key: 'period' }, { key: 'due_on', header: 'due' }, money('total_cents', 'total'), { key: 'overdue' }] },
    { title: 'Open tickets by priority', rows: o.tickets.by_priority, columns: TICKETS },
    { title: 'Last backups', rows: o.backups, columns: [{ key: 'id' }, { key: 'kind' }, { key: 'status' }, { key: 'created_at', header: 'created' }] },
  ];
}

export function resellerSections(o: ResellerOverview): Section[] {
  return [
    {
      title: o.reseller.name,
      record: true,
      rows: [
        {
          reseller: o.reseller.slug,
          tier: o.reseller.tier,
          customers: o.customers.tenants,
          pipeline: `${o.pipeline.open.count} open, ${formatCents(o.pipeline.open.weighted_cents)} weighted of ${formatCents(o.pipeline.open.value_cents)}`,
          quotes: `${o.quotes.open} open, ${o.quotes.expiring_this_week} expiring this week`,
          commissions: `${formatCents(o.commissions.earned_cents)} in ${o.commissions.period}`,
          next_payout: `${formatCents(o.next_payout.eligible_cents)} on ${o.next_payout.on} (${o.next_payout.outcome.replace('_', ' ')})`,
        },
      ],
      columns: ['reseller', 'tier', 'customers', 'pipeline', 'quotes', 'commissions', 'next_payout'].map((key) => ({ key, header: key.replace('_', ' ') })),
    },
    { title: 'Pipeline by stage', rows: o.pipeline.stages, columns: [{ key: 'stage' }, { key: 'count' }, money('value_cents', 'value'), money('weighted_cents', 'weighted')] },
    { title: 'Customers by health band', rows: o.customers.by_band, columns: [{ key: 'band' }, { key: 'tenants' }] },
  ];
}
