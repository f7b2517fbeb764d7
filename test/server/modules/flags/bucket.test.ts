import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, countOn, flagOn, rolloutToBps, type FlagRule } from '../../../../src/server/modules/flags/bucket.js';

const rule = (key: string, rolloutBps: number, tenants: string[] = [], except: string[] = []): FlagRule => ({ key, rolloutBps, tenants: new Set(tenants), except: new Set(except) });

/** Tenant ids shaped like the real ones (ten_ + 26 base32 characters). */
const tenantId = fc.string({ unit: fc.constantFrom(...'0123456789abcdefghjkmnpqrstvwxyz'), minLength: 26, maxLength: 26 }).map((s) => `ten_${s}`);
const tenantIds = (n: number) => fc.uniqueArray(tenantId, { minLength: n, maxLength: n });
const flagKey = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,20}$/);

describe('bucketOf', () => {
  it('is the first 32 bits of SHA-256(key:tenant), big-endian, mod 10,000', () => {
    const digest = createHash('sha256').update('new-billing:ten_01abc').digest();
    const first32 = ((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]!;
    expect(bucketOf('new-billing', 'ten_01abc')).toBe(first32 % 10_000);
  });

  it('is deterministic and in 0–9,999', () => {
    fc.assert(
      fc.property(flagKey, tenantId, (key, id) => {
        const bucket = bucketOf(key, id);
        expect(bucket).toBe(bucketOf(key, id));
        expect(Number.isInteger(bucket) && bucket >= 0 && bucket < BUCKETS).toBe(true);
      }),
    );
  });

  it('differs by flag, so one flag\'s early tenants are not every flag\'s', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `ten_${String(i).padStart(26, '0')}`);
    const a = ids.filter((id) => flagOn(rule('alpha', 1000), id));
    const b = ids.filter((id) => flagOn(rule('beta', 1000), id));
    const both = a.filter((id) => b.includes(id)).length;
    expect(both).toBeLessThan(a.length / 2);
  });
});

describe('a rollout of P %', () => {
  it('turns the flag on for between P − 2 and P + 2 % of 10,000 random tenants', () => {
    fc.assert(
      fc.property(tenantIds(10_000), flagKey, fc.integer({ min: 0, max: 10_000 }), (ids, key, bps) => {
        const on = countOn(rule(key, bps), ids);
        const percent = (on / ids.length) * 100;
        expect(percent).toBeGreaterThanOrEqual(bps / 100 - 2);
        expect(percent).toBeLessThanOrEqual(bps / 100 + 2);
      }),
      { numRuns: 20 },
    );
  });

  it('never turns a tenant off when it is raised', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tenantId, { minLength: 1, maxLength: 500 }), flagKey, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (ids, key, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        for (const id of ids) if (flagOn(rule(key, low), id)) expect(flagOn(rule(key, high), id)).toBe(true);
      }),
    );
  });

  it('is on for nobody at 0 and everybody at 100', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tenantId, { maxLength: 200 }), flagKey, (ids, key) => {
        expect(countOn(rule(key, 0), ids)).toBe(0);
        expect(countOn(rule(key, BUCKETS), ids)).toBe(ids.length);
      }),
    );
  });
});

describe('tenant lists', () => {
  it('turn a tenant on whatever the rollout, and except turns it off whatever else says', () => {
    fc.assert(
      fc.property(tenantId, flagKey, fc.integer({ min: 0, max: 10_000 }), (id, key, bps) => {
        expect(flagOn(rule(key, bps, [id]), id)).toBe(true);
        expect(flagOn(rule(key, bps, [], [id]), id)).toBe(false);
        expect(flagOn(rule(key, bps, [id], [id]), id)).toBe(false);
        expect(flagOn(rule(key, BUCKETS, [id], [id]), id)).toBe(false);
      }),
    );
  });
});

describe('rolloutToBps', () => {
  it('takes 0–100 with at most two decimals, in basis points', () => {
    expect(rolloutToBps(0)).toBe(0);
    expect(rolloutToBps(100)).toBe(10_000);
    expect(rolloutToBps(12.5)).toBe(1250);
    expect(rolloutToBps(12.34)).toBe(1234);
    expect(rolloutToBps(0.01)).toBe(1);
    expect(rolloutToBps(33.33)).toBe(3333);
  });

  it('refuses anything else', () => {
    for (const p of [-0.01, 100.01, 12.345, Number.NaN, Number.POSITIVE_INFINITY, 1e-9]) expect(rolloutToBps(p), String(p)).toBeNull();
  });

  it('round-trips every two-decimal percentage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bps) => {
        expect(rolloutToBps(Number((bps / 100).toFixed(2)))).toBe(bps);
      }),
    );
  });
});
