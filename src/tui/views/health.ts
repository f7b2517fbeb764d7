import type { HealthSummary } from '../../client/types.js';
import { sparkline } from '../../cli/sparkline.js';
import { rowMatches } from './fetching.js';
import type { ListView, Row } from './types.js';

const ms = (value: number | null) => (value === null ? '-' : `${Math.round(value)} ms`);
const pct = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} %`);

export const healthView: ListView<HealthSummary> = {
  name: 'health',
  title: 'Health',
  roles: ['master_admin', 'tenant_admin', 'reseller'],
  columns: [
    { header: 'tenant', width: 22, value: (h) => h.tenant_slug },
    { header: 'status', width: 10, value: (h) => h.status },
    { header: 'latency', width: 10, value: (h) => ms(h.latency_ms) },
    { header: 'p95', width: 10, value: (h) => ms(h.p95_latency_ms) },
    { header: 'uptime 24h', width: 11, value: (h) => pct(h.uptime_24h) },
    { header: 'uptime 7d', width: 10, value: (h) => pct(h.uptime_7d) },
    { header: 'checked', width: 17, value: (h) => (h.checked_at ? h.checked_at.slice(0, 16).replace('T', ' ') : 'never') },
  ],
  // worst first; the route takes no text query, so the filter reads the longest list it gives
  fetch: async (client, q) => {
    const { data } = await client.health.list({ limit: q ? 500 : 100 });
    return q ? data.filter((row) => rowMatches(row as unknown as Row, q)) : data;
  },
  key: (h) => h.tenant_id,
  tenantOf: (h) => h.tenant_slug,
  sample: (rows) => {
    const answered = rows.map((h) => h.latency_ms).filter((v): v is number => v !== null);
    return answered.length ? answered.reduce((a, b) => a + b, 0) / answered.length : null;
  },
  summary: (rows, history) => {
    const down = rows.filter((h) => h.status === 'down').length;
    const latest = history.at(-1) ?? null;
    return `mean latency ${sparkline(history, 30)} ${ms(latest)} · ${down} down of ${rows.length}`;
  },
};
