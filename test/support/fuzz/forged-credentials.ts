import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { generateSigningKeyPem, signingKeysFromPem, type SigningKeys } from '../../../src/server/auth/keys.js';
import { signToken, TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_TYPE } from '../../../src/server/auth/tokens.js';

/** What a real master_admin token claims, for forgeries to copy. */
export interface RealClaims {
  sub: string;
  jti: string;
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Authorization headers that must all be refused with 401: the real platform's claims under
 * another key, no signature, a payload swapped under a real signature, HMAC keyed with the
 * public key, an expired or unknown jti signed with the real key, and headers that are not
 * bearer tokens at all.
 */
export async function forgedAuthorizations(keys: SigningKeys, master: RealClaims, realToken: string, now: Date): Promise<string[]> {
  const claims = { role: 'master_admin', sub: master.sub, jti: master.jti, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: Math.floor(now.getTime() / 1000), exp: Math.floor(now.getTime() / 1000) + 3600 };
  const stranger = await signingKeysFromPem(generateSigningKeyPem());
  const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE, kid: keys.kid }).sign(stranger.privateKey);
  const unsigned = `${b64({ alg: 'none', typ: TOKEN_TYPE })}.${b64(claims)}.`;
  const [header, , signature] = realToken.split('.');
  const swapped = `${header}.${b64({ ...claims, role: 'master_admin', tenant_id: 'ten_00000000000000000000000000' })}.${signature}`;
  const hsHeader = b64({ alg: 'HS256', typ: TOKEN_TYPE, kid: keys.kid });
  const publicPem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const hsSignature = createHmac('sha256', publicPem).update(`${hsHeader}.${b64(claims)}`).digest('base64url');
  const confused = `${hsHeader}.${b64(claims)}.${hsSignature}`;
  const base = { sub: master.sub, role: 'master_admin' as const, tenantId: null, resellerId: null };
  const expired = await signToken(keys, { ...base, jti: master.jti, issuedAt: new Date(now.getTime() - 7200_000), expiresAt: new Date(now.getTime() - 3600_000) });
  const unknownJti = await signToken(keys, { ...base, jti: 'tok_00000000000000000000000000', issuedAt: now, expiresAt: new Date(now.getTime() + 3600_000) });
  const bearer = [otherKey, unsigned, swapped, confused, expired, unknownJti, 'a.b.c', `${realToken}x`, realToken.split('.').slice(0, 2).join('.')];
  return [...bearer.map((token) => `Bearer ${token}`), 'Bearer', `Basic ${b64('admin:admin')}`, `bearer  ${'x'.repeat(5000)}`, realToken];
}
