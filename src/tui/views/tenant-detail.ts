import type { ApiClient } from '../../client/api-client.js';
import type { Configuration, Page, Deployment, TenantHealth } from '../../client/types.js';
import { sparkline } from '../../cli/sparkline.js';
import type { PaneRequest } from '../hooks/use-poll.js';
import { shortTime } from './fetching.js';
import type { TicketRow } from './tickets.js';

/** A titled block of lines on a detail screen, from one pane's answer. */
export interface Section {
  title: string;
  key: string;
  lines: (data: unknown, width: number) => string[];
  unavailable?: string;
}

/** A tenant's detail: health, configuration, deployments and tickets, one request each. */
export function tenantDetail(client: ApiClient, ref: string): { requests: PaneRequest[]; sections: Section[] } {
  const key = (pane: string) => `tenant:${ref}:${pane}`;
  const requests: PaneRequest[] = [
    { key: key('health'), fetch: () => client.health.get(ref) },
    { key: key('configs'), fetch: () => client.configs.list(ref) },
    { key: key('deployments'), fetch: () => client.deployments.list({ tenant: ref, limit: 5 }) },
    {
      key: key('tickets'),
      fetch: async () => (await client.call<Page<TicketRow>>('GET', '/v1/tickets', { query: { tenant: ref, limit: 50 } })).data,
    },
  ];
  const sections: Section[] = [
    {
      title: 'Health',
      key: key('health'),
      lines: (data, width) => {
        const h = data as TenantHealth;
        const latencies = h.recent.map((check) => check.latency_ms);
        const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
        return [
          `${h.status} · latency ${ms(h.latency_ms)} · p95 ${ms(h.p95_latency_ms)} · uptime 24h ${h.uptime_24h === null ? '-' : `${h.uptime_24h.toFixed(1)} %`} · checked ${shortTime(h.checked_at)}`,
          latencies.length ? `latency ${sparkline(latencies, Math.max(10, width - 20))}` : 'no probes yet',
        ];
      },
    },
    {
      title: 'Configuration',
      key: key('configs'),
      lines: (data) => {
        const c = data as Configuration;
        if (c.entries.length === 0) return ['(no keys set)'];
        return [`version ${c.version}: ${c.entries.map((e) => `${e.key}=${e.masked ? '••••' : JSON.stringify(e.value)}`).join('  ')}`];
      },
    },
    {
      title: 'Deployments',
      key: key('deployments'),
      lines: (data) => {
        const rows = (data as Page<Deployment>).data;
        return rows.length ? rows.map((d) => `${d.id}  ${d.kind} ${d.version}  ${d.status}  ${d.size}×${d.replicas}  ${shortTime(d.created_at)}`) : ['(none)'];
      },
    },
    {
      title: 'Tickets',
      key: key('tickets'),
      unavailable: 'tickets are not available on this API',
      lines: (data) => {
        const rows = data as TicketRow[];
        return rows.length ? rows.slice(0, 5).map((t) => `${t.id}  ${t.priority} ${t.status}  ${t.breached ? 'BREACHED ' : ''}${t.subject}`) : ['(none open)'];
      },
    },
  ];
  return { requests, sections };
}
