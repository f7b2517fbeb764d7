import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/client/api-client.js';
import type { AuditEvent } from '../../src/client/types.js';
import { startTestApi, type TestApi } from '../support/harness.js';

/**
 * An audit event belongs to the reseller that owned its tenant when it was written. A tenant
 * that moves to another reseller takes its future with it, not its past.
 */

let api: TestApi;
let before: ApiClient;
let after: ApiClient;
let tenantId: string;

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'first-partner', name: 'First partner' }, 'first partner signed');
  await api.admin.resellers.create({ slug: 'second-partner', name: 'Second partner' }, 'second partner signed');
  before = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'first-partner' })).token);
  after = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'second-partner' })).token);
  tenantId = (await before.tenants.create({ slug: 'moving', name: 'Moving' }, 'first era: won against the incumbent')).id;
  await before.tenants.update('moving', { name: 'Moving Ltd' }, 'first era: discount promised by our sales lead');
  await api.admin.tenants.update('moving', { reseller: 'second-partner' }, 'customer asked to change partner');
  await after.tenants.update('moving', { contact_email: 'noc@moving.example' }, 'second era: new contact');
});
afterAll(() => api.close());

const reasons = (events: AuditEvent[]) => events.map((event) => event.reason);

describe('audit events of a tenant that changed reseller', () => {
  it('are not shown to the new reseller from before the move, nor their reasons', async () => {
    const seen = (await after.audit.list({ limit: 500 })).data;
    expect(reasons(seen)).not.toContain('first era: won against the incumbent');
    expect(reasons(seen)).not.toContain('first era: discount promised by our sales lead');
    expect(JSON.stringify(seen)).not.toMatch(/first era/);
    expect(reasons(seen)).toContain('second era: new contact');
    expect((await after.audit.list({ tenant: tenantId, action: 'tenant.create' })).data).toEqual([]);
  });

  it('stay visible to the reseller that owned the tenant then, without what came after', async () => {
    const seen = (await before.audit.list({ limit: 500 })).data;
    expect(reasons(seen)).toEqual(expect.arrayContaining(['first era: won against the incumbent', 'first era: discount promised by our sales lead']));
    expect(reasons(seen)).not.toContain('second era: new contact');
  });

  it('record the owning reseller on each event as it is written', async () => {
    const [firstId, secondId] = await Promise.all(['first-partner', 'second-partner'].map(async (slug) => (await api.admin.resellers.get(slug)).id));
    const events = (await api.admin.audit.list({ limit: 500 })).data.reverse();
    const owners = events.map((event) => [event.action, event.reseller_id]);
    expect(owners).toEqual([
      ['token.create', null],
      ['reseller.create', firstId],
      ['reseller.create', secondId],
      ['token.create', firstId],
      ['token.create', secondId],
      ['tenant.create', firstId],
      ['tenant.update', firstId],
      ['tenant.update', secondId],
      ['tenant.update', secondId],
    ]);
  });
});
