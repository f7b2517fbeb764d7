import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkKeyName, checkValue } from '../../../../src/server/modules/configs/keys.js';
import { applied, canonicalJson, deltas, withChanges, type ConfigState } from '../../../../src/server/modules/configs/plan.js';

const key = fc.constantFrom('billing.currency', 'network.radius_secret', 'branding.motto', 'branding.theme', 'security.mfa_required');
const value = fc.jsonValue({ maxDepth: 2 });
const state: fc.Arbitrary<ConfigState> = fc.dictionary(key, fc.record({ value, secret: fc.boolean() })).map((s) => {
  // the always-secret key is secret in every state the service can reach
  if (s['network.radius_secret']) s['network.radius_secret'].secret = true;
  return s;
});

describe('configuration plans', () => {
  it('find nothing between a state and itself, and nothing after applying a state\'s own values with prune', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(deltas(s, s)).toEqual([]);
        const values = Object.fromEntries(Object.entries(s).map(([k, e]) => [k, e.value]));
        expect(deltas(s, applied(s, { values, prune: true }))).toEqual([]);
      }),
    );
  });

  it('change only the keys a write names, keep secrets secret, and never carry a secret\'s value', () => {
    fc.assert(
      fc.property(state, fc.dictionary(key, value), fc.boolean(), (s, values, prune) => {
        const after = applied(s, { values, prune });
        for (const delta of deltas(s, after)) {
          if (!prune) expect(Object.keys(values)).toContain(delta.key);
          if (delta.secret) expect(delta).toEqual({ key: delta.key, change: delta.change, secret: true });
        }
        for (const [k, entry] of Object.entries(after)) if (s[k]?.secret) expect(entry.secret).toBe(true);
        expect(withChanges(s, { values })['network.radius_secret']?.secret ?? true).toBe(true);
      }),
    );
  });

  it('compare values by content, not by the order of their object keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    const s: ConfigState = { 'branding.theme': { value: { a: 1, b: 2 }, secret: false } };
    expect(deltas(s, withChanges(s, { values: { 'branding.theme': { b: 2, a: 1 } } }))).toEqual([]);
  });

  it('check keys and values by name and schema', () => {
    expect(checkKeyName('billing.currency')).toBeNull();
    expect(checkKeyName('billing.anything_else')).toBeNull();
    expect(checkKeyName('billing.curency')?.message).toMatch(/did you mean billing\.currency/);
    expect(checkKeyName('billng.currency')?.message).toMatch(/unknown category "billng".*did you mean "billing"/);
    expect(checkKeyName('billing')?.message).toMatch(/not a configuration key/);
    expect(checkValue('billing.currency', 'KES')).toBeNull();
    expect(checkValue('billing.currency', 'XXQ')?.message).toMatch(/ISO-4217/);
    expect(checkValue('security.session_timeout_minutes', 30.5)?.message).toMatch(/an integer/);
    expect(checkValue('integrations.webhook_url', 'http://hooks.example')?.message).toMatch(/https/);
    expect(checkValue('network.dns_servers', ['1.1.1.1', '300.1.1.1'])?.message).toMatch(/IPv4/);
    expect(checkValue('branding.anything', 'x'.repeat(20_000))?.message).toMatch(/longer than/);
  });
});
