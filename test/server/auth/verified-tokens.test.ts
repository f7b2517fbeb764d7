import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeysFromPem, generateSigningKeyPem } from '../../../src/server/auth/keys.js';
import { signToken, verifiedTokens } from '../../../src/server/auth/tokens.js';
import { startTestApi, type TestApi } from '../../support/harness.js';
import { expectProblem } from '../problem-response.js';

/**
 * The app remembers tokens whose signature it checked, until they expire. What it remembers must
 * never outlive what the token may do: expiry, revocation and the tenant's status apply to a
 * remembered token on its very next request.
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'kilo', name: 'Kilo' });
});
afterAll(() => api.close());

const me = (token: string) => api.as(token).raw('GET', '/v1/me');

describe('a remembered token', () => {
  it('is refused at once when revoked', async () => {
    const issued = await api.admin.tokens.create({ role: 'master_admin', email: 'revoked-later@example.test' });
    expect((await me(issued.token)).status).toBe(200);
    expect((await me(issued.token)).status).toBe(200);
    await api.admin.tokens.revoke(issued.jti);
    expect(expectProblem(await me(issued.token), 401, 'unauthorized').detail).toMatch(/revoked/);
  });

  it('expires like any other, clock skew included', async () => {
    const issued = await api.admin.tokens.create({ role: 'master_admin', email: 'short-lived@example.test', ttl_seconds: 60 });
    expect((await me(issued.token)).status).toBe(200);
    api.clock.advance(60_000 + 25_000);
    expect((await me(issued.token)).status).toBe(200);
    api.clock.advance(10_000);
    expect(expectProblem(await me(issued.token), 401, 'unauthorized').detail).toMatch(/expired/);
  });

  it('follows its tenant: read-only while suspended, refused once cancelled', async () => {
    const issued = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'kilo' });
    const kiloAdmin = api.as(issued.token);
    expect((await kiloAdmin.raw('PATCH', '/v1/tenants/kilo', { body: { name: 'Kilo 1' } })).status).toBe(200);
    await api.admin.tenants.suspend('kilo');
    expect((await kiloAdmin.raw('GET', '/v1/tenants/kilo')).status).toBe(200);
    expectProblem(await kiloAdmin.raw('PATCH', '/v1/tenants/kilo', { body: { name: 'Kilo 2' } }), 403, 'forbidden');
    await api.admin.tenants.resume('kilo');
    await api.admin.tenants.delete('kilo');
    expect(expectProblem(await kiloAdmin.raw('GET', '/v1/tenants/kilo'), 401, 'unauthorized').detail).toMatch(/cancelled/);
  });
});

describe('verifiedTokens', () => {
  const claims = (jti: string) => ({
    sub: 'usr_remembered',
    jti,
    role: 'master_admin' as const,
    tenantId: null,
    resellerId: null,
    issuedAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2026-01-01T01:00:00Z'),
  });
  const at = new Date('2026-01-01T00:30:00Z');

  it('checks a signature once per token, and every new token in full', async () => {
    const keys = await signingKeysFromPem(generateSigningKeyPem());
    const verified = verifiedTokens(keys);
    const first = await signToken(keys, claims('tok_first'));
    expect((await verified.claims(first, at)).jti).toBe('tok_first');
    // Were the signature checked again, the swapped key would refuse it; a new token meets the new key.
    const original = keys.publicKey;
    keys.publicKey = generateKeyPairSync('ed25519').publicKey;
    expect((await verified.claims(first, at)).jti).toBe('tok_first');
    const second = await signToken(keys, claims('tok_second'));
    await expect(verified.claims(second, at)).rejects.toThrow(/not valid/);
    keys.publicKey = original;
    expect((await verified.claims(second, at)).jti).toBe('tok_second');
  });

  it('never remembers a token that failed, and keeps at most its capacity', async () => {
    const keys = await signingKeysFromPem(generateSigningKeyPem());
    const verified = verifiedTokens(keys, 2);
    const tokens = await Promise.all(['tok_a', 'tok_b', 'tok_c'].map((jti) => signToken(keys, claims(jti))));
    const forged = `${tokens[0]!.slice(0, -4)}AAAA`;
    await expect(verified.claims(forged, at)).rejects.toThrow(/not valid/);
    for (const token of tokens) await verified.claims(token, at);
    // tok_a was forgotten to keep two: with the key swapped it is checked again and refused
    keys.publicKey = generateKeyPairSync('ed25519').publicKey;
    await expect(verified.claims(tokens[0]!, at)).rejects.toThrow(/not valid/);
    expect(decodeJwt(tokens[2]!).jti).toBe((await verified.claims(tokens[2]!, at)).jti);
  });
});
