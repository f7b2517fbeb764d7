import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/client/api-client.js';
import { AppError } from '../../src/core/errors.js';
import { writeTransaction } from '../../src/db/transaction.js';
import { startTestApi, type TestApi } from '../support/harness.js';
import { expectProblem } from './problem-response.js';

/**
 * Slugs are unique, so creating one that is taken must fail; the refusal says only that the slug
 * is not available, the same whoever holds it, and never that a tenant the caller cannot see
 * exists.
 */

let api: TestApi;
let reseller: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'oracle-partner', name: 'Partner' });
  await api.admin.tenants.create({ slug: 'alpha', name: 'Someone else\'s' });
  reseller = api.as((await api.admin.tokens.create({ role: 'reseller', reseller: 'oracle-partner' })).token);
  await reseller.tenants.create({ slug: 'own', name: 'Own' });
});
afterAll(() => api.close());

const unavailable = (slug: string) => `the slug "${slug}" is not available; choose another`;

describe('a taken slug', () => {
  it('is refused alike for a tenant the reseller cannot see and for its own', async () => {
    expectProblem(await reseller.raw('GET', '/v1/tenants/alpha'), 404, 'not_found');
    const hidden = expectProblem(await reseller.raw('POST', '/v1/tenants', { body: { slug: 'alpha', name: 'Probe' } }), 409, 'conflict');
    const own = expectProblem(await reseller.raw('POST', '/v1/tenants', { body: { slug: 'own', name: 'Probe' } }), 409, 'conflict');
    expect(hidden.detail).toBe(unavailable('alpha'));
    expect(own.detail).toBe(unavailable('own'));
    expect(hidden.detail).not.toMatch(/tenant|exist/i);
  });

  it('is worded the same for resellers', async () => {
    const taken = expectProblem(await api.admin.raw('POST', '/v1/resellers', { body: { slug: 'oracle-partner', name: 'Again' } }), 409, 'conflict');
    expect(taken.detail).toBe(unavailable('oracle-partner'));
  });

  it('is worded without naming what holds it when two requests race for it', async () => {
    const row = { id: 'res_race', slug: 'oracle-partner', name: 'Race', territory: null, tier: 'registered' as const, created_at: '', updated_at: '' };
    const race = writeTransaction(api.connection.db, api.connection.dialect, (trx) => trx.insertInto('resellers').values(row).execute());
    const error = await race.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('conflict');
    expect((error as AppError).message).toMatch(/not available/);
    expect((error as AppError).message).not.toMatch(/exist|tenant|reseller/i);
  });
});
