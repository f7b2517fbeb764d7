import { PEOPLE_ROLES } from '../../auth/principal.js';
import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { CreateTokenBody, IssuedTokenSchema, MeSchema, TokenJtiParam, TokenListQuery, TokenPageSchema, TokenSchema } from './schema.js';
import { createToken, describeCaller, listTokens, revokeToken } from './service.js';

export const tokenRoutes = [
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/me',
      operationId: 'getMe',
      tags: ['tokens'],
      summary: 'Who the bearer token speaks for',
      responses: { 200: json(MeSchema, 'The caller') , ...problems()},
    },
    async (c, ctx) => c.json(await describeCaller(ctx), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'post',
      path: '/v1/tokens',
      operationId: 'createToken',
      tags: ['tokens'],
      summary: 'Issue a token for a role (and a tenant or reseller)',
      request: jsonBody(CreateTokenBody),
      responses: { 201: json(IssuedTokenSchema, 'The token; the JWT is shown only now'), ...problems(400, 403, 404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await createToken(ctx, c.req.valid('json')), 201),
    { secretResponse: true },
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'get',
      path: '/v1/tokens',
      operationId: 'listTokens',
      tags: ['tokens'],
      request: { query: TokenListQuery },
      responses: { 200: json(TokenPageSchema, 'A page of tokens (never the JWTs)'), ...problems(400, 403) },
    },
    async (c, ctx) => c.json(await listTokens(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    ['master_admin'],
    {
      method: 'delete',
      path: '/v1/tokens/{jti}',
      operationId: 'revokeToken',
      tags: ['tokens'],
      request: { params: TokenJtiParam },
      responses: { 200: changed(TokenSchema, 'The revoked token'), ...problems(403, 404) },
    },
    async (c, ctx) => outcomeResponse(c, await revokeToken(ctx, c.req.valid('param').jti)),
  ),
];
