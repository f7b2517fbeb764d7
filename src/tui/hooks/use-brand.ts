import { useEffect, useState } from 'react';
import type { ApiClient } from '../../client/api-client.js';
import type { Me } from '../../client/types.js';
import type { Brand } from '../theme.js';

/** A tenant admin's brand colours (GET /v1/tenants/{ref}/branding), asked once; none where the API has no branding. */
export function useBrand(client: ApiClient, me: Me): Brand | undefined {
  const [brand, setBrand] = useState<Brand>();
  const tenant = me.role === 'tenant_admin' ? (me.tenant_slug ?? me.tenant_id) : null;
  useEffect(() => {
    if (!tenant) return;
    let alive = true;
    client.call<Brand>('GET', `/v1/tenants/${encodeURIComponent(tenant)}/branding`).then(
      (answer) => alive && setBrand(answer),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client, tenant]);
  return brand;
}
