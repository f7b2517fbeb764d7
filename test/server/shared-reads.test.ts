// Identical aggregate reads made close together share one computation, never across scopes, never
// across a change the server answered, and never for longer than the freshness they are given.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedReads } from '../../src/server/shared-reads.js';
import { startTestApi, type TestApi } from '../support/harness.js';

/** A computation that finishes when told to, counting how often it was started. */
function held<T>(value: T) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const counter = { starts: 0 };
  const compute = async () => {
    counter.starts++;
    await gate;
    return value;
  };
  return { compute, release, counter };
}

describe('shared reads', () => {
  it('share one computation among concurrent reads of a key, and with freshness 0 keep nothing once it ends', async () => {
    const reads = new SharedReads(0);
    const first = held({ n: 1 });
    const a = reads.read('k', first.compute);
    const b = reads.read('k', first.compute);
    expect(first.counter.starts).toBe(1);
    first.release();
    expect(await a).toBe(await b);
    const later = held({ n: 2 });
    later.release();
    expect(await reads.read('k', later.compute)).toEqual({ n: 2 });
    expect(later.counter.starts).toBe(1);
  });

  it('keep a finished answer for its freshness, and compute again after it', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const reads = new SharedReads(1_000);
      let computed = 0;
      const compute = async () => ++computed;
      expect(await reads.read('k', compute)).toBe(1);
      vi.advanceTimersByTime(999);
      expect(await reads.read('k', compute)).toBe(1);
      vi.advanceTimersByTime(2);
      expect(await reads.read('k', compute)).toBe(2);
      reads.changed();
      expect(await reads.read('k', compute)).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never share between keys', async () => {
    const reads = new SharedReads(0);
    const one = held('one');
    const two = held('two');
    const a = reads.read('tenant_admin:ten_a', one.compute);
    const b = reads.read('tenant_admin:ten_b', two.compute);
    one.release();
    two.release();
    expect([await a, await b]).toEqual(['one', 'two']);
  });

  it('start afresh for a read that comes after a change, and the earlier read still ends', async () => {
    const reads = new SharedReads(0);
    const before = held('before');
    const a = reads.read('k', before.compute);
    reads.changed();
    const after = held('after');
    const b = reads.read('k', after.compute);
    // a third read joins the computation begun after the change, not the one before it
    const c = reads.read('k', after.compute);
    expect(after.counter.starts).toBe(1);
    before.release();
    after.release();
    expect([await a, await b, await c]).toEqual(['before', 'after', 'after']);
  });

  it('share a failure with those waiting on it, and compute again afterwards', async () => {
    const reads = new SharedReads(0);
    let calls = 0;
    const failing = async () => {
      calls++;
      await Promise.resolve();
      throw new Error('database went away');
    };
    const results = await Promise.allSettled([reads.read('k', failing), reads.read('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(await reads.read('k', async () => 'back')).toBe('back');
  });
});

describe('the overview under concurrent callers', () => {
  let api: TestApi;
  beforeEach(async () => {
    // answers kept far longer than any test runs: only a change ends the sharing
    api = await startTestApi({ sharedReadsMs: 3_600_000 });
    await api.admin.tenants.create({ slug: 'acme', name: 'Acme ISP' });
    await api.admin.tenants.create({ slug: 'beta', name: 'Beta Net' });
  });
  afterEach(() => api.close());

  it('answers each tenant admin its own tenant, however many ask at once', async () => {
    const acme = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'acme' })).token);
    const beta = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'beta' })).token);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? acme : beta).analytics.overview()));
    answers.forEach((answer, i) => {
      expect(answer.role).toBe('tenant_admin');
      expect(answer.role === 'tenant_admin' && answer.tenant.slug).toBe(i % 2 === 0 ? 'acme' : 'beta');
    });
  });

  it('counts a tenant created while other overviews were being computed', async () => {
    const reading = Promise.all([api.admin.analytics.overview(), api.admin.analytics.overview()]);
    await api.admin.tenants.create({ slug: 'gamma', name: 'Gamma Fiber' });
    const after = await api.admin.analytics.overview();
    await reading;
    expect(after.role === 'master_admin' && after.tenants).toBe(3);
  });

  it('answers at once what a change through the API made, and what changed elsewhere once the answer is no longer fresh', async () => {
    const tenants = async () => {
      const answer = await api.admin.analytics.overview();
      return answer.role === 'master_admin' ? answer.tenants : -1;
    };
    expect(await tenants()).toBe(2);
    await api.admin.tenants.create({ slug: 'gamma', name: 'Gamma Fiber' });
    expect(await tenants()).toBe(3);
    // a row written beside the API (the worker, another process) is not a change this server answered
    await api.connection.db.deleteFrom('tenants').where('slug', '=', 'gamma').execute();
    expect(await tenants()).toBe(3);
    await api.admin.tenants.create({ slug: 'delta', name: 'Delta Link' });
    expect(await tenants()).toBe(3);
  });

  it('never hands one tenant admin another tenant\'s kept answer', async () => {
    const acme = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'acme' })).token);
    const beta = api.as((await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'beta' })).token);
    const first = await acme.analytics.overview();
    const second = await beta.analytics.overview();
    expect(first.role === 'tenant_admin' && first.tenant.slug).toBe('acme');
    expect(second.role === 'tenant_admin' && second.tenant.slug).toBe('beta');
  });
});
