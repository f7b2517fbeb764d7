import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { base64url, createLocalJWKSet, decodeJwt, jwtVerify, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_TYPE } from '../../../src/server/auth/tokens.js';
import { startTestApi, type TestApi } from '../../support/harness.js';
import { expectProblem, read } from '../problem-response.js';

/** Forged, stale and malformed bearer tokens are all 401 problem JSON; the one control variant passes. */

let api: TestApi;
/** the claims of a real tenant_admin token, reused so each forgery differs from a valid token in one way */
let claims: JWTPayload & { role: string; tenant_id: string };

beforeAll(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'acme', name: 'Acme' });
  const issued = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'acme' });
  claims = decodeJwt(issued.token) as typeof claims;
});
afterAll(() => api.close());

const nowSeconds = () => Math.floor(api.clock.now().getTime() / 1000);

interface Variant {
  payload?: Record<string, unknown>;
  header?: Record<string, unknown>;
  key?: KeyObject | Uint8Array;
  alg?: string;
}

/** Signs the real token's claims, changed as the variant says; `undefined` in payload drops a claim. */
async function sign(variant: Variant = {}): Promise<string> {
  const payload: Record<string, unknown> = { ...claims, iat: nowSeconds(), exp: nowSeconds() + 3600, ...variant.payload };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const alg = variant.alg ?? 'EdDSA';
  return new SignJWT(payload)
    .setProtectedHeader({ alg, typ: TOKEN_TYPE, kid: api.keys.kid, ...variant.header })
    .sign(variant.key ?? api.keys.privateKey);
}

async function callMe(authorization?: string) {
  return read(await api.app.request('/v1/me', { headers: authorization === undefined ? {} : { authorization } }));
}

const bearer = (token: string) => callMe(`Bearer ${token}`);

async function expectRefused(token: string, detail = /not valid/) {
  const problem = expectProblem(await bearer(token), 401, 'unauthorized');
  expect(problem.detail).toMatch(detail);
}

describe('a correctly signed token', () => {
  it('is accepted when re-signed with the real key and unchanged claims (the control)', async () => {
    const res = await bearer(await sign());
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ role: 'tenant_admin', jti: claims.jti, tenant_slug: 'acme' });
  });

  it('is accepted when it expired less than the 30 s clock skew ago', async () => {
    const res = await bearer(await sign({ payload: { exp: nowSeconds() - 10 } }));
    expect(res.status, res.body).toBe(200);
  });
});

describe('forged tokens', () => {
  it('refuses alg "none"', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: TOKEN_TYPE }));
    const body = base64url.encode(JSON.stringify({ ...claims, exp: nowSeconds() + 3600 }));
    await expectRefused(`${header}.${body}.`);
  });

  it('refuses a token signed by another Ed25519 key', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    await expectRefused(await sign({ key: privateKey }));
  });

  it('refuses HS256 keyed with the public key (PEM and raw bytes)', async () => {
    const pem = api.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    await expectRefused(await sign({ alg: 'HS256', key: new TextEncoder().encode(pem) }));
    const raw = base64url.decode(api.keys.jwks.keys[0]!.x!);
    await expectRefused(await sign({ alg: 'HS256', key: raw }));
  });

  it('refuses a well-signed token whose jti the platform never issued', async () => {
    await expectRefused(await sign({ payload: { jti: 'tok_01zzzzzzzzzzzzzzzzzzzzzzzz' } }));
  });

  it('refuses a well-signed token whose role or subject differs from the issued jti', async () => {
    await expectRefused(await sign({ payload: { role: 'master_admin' } }));
    await expectRefused(await sign({ payload: { sub: 'usr_someone_else' } }));
    await expectRefused(await sign({ payload: { role: 'superuser' } }));
  });
});

describe('claims and header checks', () => {
  it('refuses a token expired beyond the skew', async () => {
    await expectRefused(await sign({ payload: { exp: nowSeconds() - 60 } }), /expired/);
  });

  it('refuses a token not valid yet beyond the skew', async () => {
    await expectRefused(await sign({ payload: { nbf: nowSeconds() + 120 } }));
  });

  it('refuses a token without exp', async () => {
    await expectRefused(await sign({ payload: { exp: undefined } }));
  });

  it('refuses a token without sub', async () => {
    await expectRefused(await sign({ payload: { sub: undefined } }));
  });

  it('refuses a token without jti', async () => {
    await expectRefused(await sign({ payload: { jti: undefined } }));
  });

  it('refuses a jti or sub that is not a string (401, not a 500 from the lookup)', async () => {
    for (const jti of [true, { $ne: null }, ['tok_x'], 42]) await expectRefused(await sign({ payload: { jti } }));
    for (const sub of [false, { id: 1 }]) await expectRefused(await sign({ payload: { sub } }));
  });

  it('refuses the wrong audience or issuer', async () => {
    await expectRefused(await sign({ payload: { aud: 'urn:dotmac:other' } }));
    await expectRefused(await sign({ payload: { iss: 'urn:evil:platform' } }));
    expect(claims.aud).toBe(TOKEN_AUDIENCE);
    expect(claims.iss).toBe(TOKEN_ISSUER);
  });

  it('refuses the wrong or a missing typ', async () => {
    await expectRefused(await sign({ header: { typ: 'JWT' } }));
    await expectRefused(await sign({ header: { typ: undefined } }));
  });
});

describe('token lifetime', () => {
  it('refuses a token once revoked', async () => {
    const issued = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'acme', label: 'short-lived' });
    expect((await bearer(issued.token)).status).toBe(200);
    const revoked = await api.admin.raw('DELETE', `/v1/tokens/${issued.jti}`);
    expect(revoked.status, revoked.body).toBe(200);
    await expectRefused(issued.token, /revoked/);
  });

  it('accepts a minted token within the skew after expiry and refuses it beyond', async () => {
    const issued = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'acme', ttl_seconds: 60 });
    api.clock.advance(60_000 + 20_000);
    expect((await bearer(issued.token)).status).toBe(200);
    api.clock.advance(20_000);
    await expectRefused(issued.token, /expired/);
  });
});

describe('malformed Authorization headers', () => {
  const headers = ['Bearer', 'Bearer ', 'Basic eHl6OnBhc3N3b3Jk', 'Token abc', 'garbage', 'Bearer garbage', 'Bearer a.b.c', 'Bearer x y'];
  for (const header of headers) {
    it(`refuses ${JSON.stringify(header)}`, async () => {
      expectProblem(await callMe(header), 401, 'unauthorized');
    });
  }

  it('refuses a request with no Authorization header at all', async () => {
    expectProblem(await callMe(), 401, 'unauthorized');
  });
});

describe('the JWKS', () => {
  it('verifies a minted token and holds no private key material', async () => {
    const res = await api.app.request('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const issued = await api.admin.tokens.create({ role: 'tenant_admin', tenant: 'acme' });
    const { payload, protectedHeader } = await jwtVerify(issued.token, createLocalJWKSet(jwks), {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      typ: TOKEN_TYPE,
      algorithms: ['EdDSA'],
      currentDate: api.clock.now(),
    });
    expect(payload.jti).toBe(issued.jti);
    expect(protectedHeader.kid).toBe(api.keys.kid);
  });

  it('does not verify a token signed by another key', async () => {
    const jwks = (await (await api.app.request('/.well-known/jwks.json')).json()) as JSONWebKeySet;
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = await sign({ key: privateKey });
    await expect(jwtVerify(forged, createLocalJWKSet(jwks), { currentDate: api.clock.now() })).rejects.toThrow();
  });
});
