import type { DeploymentListItem } from '../../client/types.js';
import { PAGE, shortTime } from './fetching.js';
import type { ListView } from './types.js';

export const deploymentsView: ListView<DeploymentListItem> = {
  name: 'deployments',
  title: 'Deployments',
  roles: ['master_admin', 'tenant_admin', 'reseller'],
  columns: [
    { header: 'id', width: 30, value: (d) => d.id },
    { header: 'tenant', width: 20, value: (d) => d.tenant_slug },
    { header: 'kind', width: 9, value: (d) => d.kind },
    { header: 'version', width: 10, value: (d) => d.version },
    { header: 'status', width: 12, value: (d) => d.status },
    { header: 'size', width: 8, value: (d) => `${d.size}×${d.replicas}` },
    { header: 'created', width: 17, value: (d) => shortTime(d.created_at) },
  ],
  // the filter searches the whole list through the API (id, version, region, tenant slug and name)
  fetch: async (client, q) => (await client.deployments.list({ limit: PAGE, q: q || undefined })).data,
  key: (d) => d.id,
  tenantOf: (d) => d.tenant_id,
  actions: (d) =>
    d.status === 'failed'
      ? [
          {
            key: 't',
            label: `retry job ${d.job_id}`,
            command: `dotmac jobs retry ${d.job_id}`,
            roles: ['master_admin', 'tenant_admin'],
            run: async (client) => ((await client.jobs.retry(d.job_id)).changed ? `retried job ${d.job_id}` : `job ${d.job_id} needed no retry`),
          },
        ]
      : [],
};
