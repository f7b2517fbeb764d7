import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { healthUrl } from '../../../../src/server/modules/health/probe.js';
import { answeringShare, classify, hourOf, percentile, uptimePercent, worstFirst, type Ranked } from '../../../../src/server/modules/health/stats.js';

describe('uptime: the share of recorded probes that found the instance up or degraded', () => {
  it('counts degraded as up and down as down', () => {
    expect(uptimePercent(...answeringShare(['up', 'degraded', 'down', 'up']))).toBe(75);
    expect(uptimePercent(...answeringShare(['down', 'down', 'down']))).toBe(0);
    expect(uptimePercent(...answeringShare(['up', 'up', 'down']))).toBe(66.67);
  });

  it('is null without probes, not 0 or 100', () => {
    expect(uptimePercent(0, 0)).toBeNull();
  });

  it('is always between 0 and 100 and 100 exactly when nothing was down', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('up' as const, 'degraded' as const, 'down' as const), { minLength: 1, maxLength: 300 }), (statuses) => {
        const uptime = uptimePercent(...answeringShare(statuses))!;
        expect(uptime).toBeGreaterThanOrEqual(0);
        expect(uptime).toBeLessThanOrEqual(100);
        expect(uptime === 100).toBe(!statuses.includes('down'));
      }),
    );
  });
});

describe('percentile (nearest rank)', () => {
  it('takes the value at rank ceil(p/100 × n)', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200], 95)).toBe(190);
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 95)).toBeNull();
  });

  it('is one of the values, with at least p % of them at or below it and fewer than p % below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 500 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const q = percentile(values, p)!;
        expect(values).toContain(q);
        expect(values.filter((v) => v <= q).length / values.length).toBeGreaterThanOrEqual(p / 100);
        expect(values.filter((v) => v < q).length / values.length).toBeLessThan(p / 100);
      }),
    );
  });
});

describe('classify', () => {
  it('is down without a 2xx answer, degraded when slower than the threshold, up otherwise', () => {
    expect(classify({ httpStatus: 200, latencyMs: 10 }, 100)).toBe('up');
    expect(classify({ httpStatus: 204, latencyMs: 100 }, 100)).toBe('up');
    expect(classify({ httpStatus: 200, latencyMs: 101 }, 100)).toBe('degraded');
    expect(classify({ httpStatus: 503, latencyMs: 1 }, 100)).toBe('down');
    expect(classify({ httpStatus: 301, latencyMs: 1 }, 100)).toBe('down');
    expect(classify({ httpStatus: 404, latencyMs: 1 }, 100)).toBe('down');
    expect(classify({ httpStatus: null, latencyMs: 1 }, 100)).toBe('down');
  });
});

describe('worst first', () => {
  it('orders down, degraded, never probed, up; then lower 24 h uptime; then slug', () => {
    const rows: Ranked[] = [
      { tenant_slug: 'a-up', status: 'up', uptime_24h: 100 },
      { tenant_slug: 'b-up-flaky', status: 'up', uptime_24h: 90 },
      { tenant_slug: 'c-new', status: 'unknown', uptime_24h: null },
      { tenant_slug: 'd-slow', status: 'degraded', uptime_24h: 100 },
      { tenant_slug: 'e-down', status: 'down', uptime_24h: 99 },
      { tenant_slug: 'f-down', status: 'down', uptime_24h: 50 },
    ];
    expect([...rows].sort(worstFirst).map((r) => r.tenant_slug)).toEqual(['f-down', 'e-down', 'd-slow', 'c-new', 'b-up-flaky', 'a-up']);
  });
});

describe('hours and URLs', () => {
  it('puts a time in its hour', () => {
    expect(hourOf('2026-12-02T15:59:59.999Z')).toBe('2026-12-02T15:00:00.000Z');
    expect(hourOf('2026-12-02T15')).toBe('2026-12-02T15:00:00.000Z');
  });

  it('probes {endpoint}/health, keeping the endpoint\'s path and dropping its query', () => {
    expect(healthUrl('https://isp.example.test')).toBe('https://isp.example.test/health');
    expect(healthUrl('https://isp.example.test/api/')).toBe('https://isp.example.test/api/health');
    expect(healthUrl('http://127.0.0.1:8080/x?y=1#z')).toBe('http://127.0.0.1:8080/x/health');
    expect(healthUrl('file:///etc/passwd')).toBeNull();
    expect(healthUrl('not a url')).toBeNull();
  });
});
