import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { TenantRefParam } from '../tenants/schema.js';
import {
  AcceptInviteBody,
  ChangeTenantUserRoleBody,
  InvitationSchema,
  InviteTenantUserBody,
  TenantUserListQuery,
  TenantUserPageSchema,
  TenantUserParam,
  TenantUserSchema,
} from './schema.js';
import {
  acceptTenantUserInvite,
  changeTenantUserRole,
  disableTenantUser,
  enableTenantUser,
  getTenantUser,
  inviteTenantUser,
  listTenantUsers,
  removeTenantUser,
} from './service.js';

/** A reseller reads its customers' users and changes none; instance agents have no part here. */
const READERS = ['master_admin', 'tenant_admin', 'reseller'] as const;
const WRITERS = ['master_admin', 'tenant_admin'] as const;
const BASE = '/v1/tenants/{ref}/users';

export const tenantUserRoutes = [
  defineRoute(
    READERS,
    {
      method: 'get',
      path: BASE,
      operationId: 'listTenantUsers',
      tags: ['tenant users'],
      summary: 'The people of a tenant\'s instance; an invite past its 7 days shows as expired',
      request: { params: TenantRefParam, query: TenantUserListQuery },
      responses: { 200: json(TenantUserPageSchema, 'A page of users'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listTenantUsers(ctx, c.req.valid('param').ref, c.req.valid('query')), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: `${BASE}/{user}`,
      operationId: 'getTenantUser',
      tags: ['tenant users'],
      summary: 'One user of a tenant, by id or email',
      request: { params: TenantUserParam },
      responses: { 200: json(TenantUserSchema, 'The user'), ...problems(404) },
    },
    async (c, ctx) => {
      const { ref, user } = c.req.valid('param');
      return c.json(await getTenantUser(ctx, ref, user), 200);
    },
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: BASE,
      operationId: 'inviteTenantUser',
      tags: ['tenant users'],
      summary: 'Invite a person (or re-send an open or expired invite): the answer carries the one-time invite code, shown once',
      request: { params: TenantRefParam, ...jsonBody(InviteTenantUserBody) },
      responses: {
        201: json(InvitationSchema, 'The invited user and the invite code'),
        200: json(InvitationSchema, 'The invite re-sent: a new code, 7 more days'),
        ...problems(404, 409, 413, 422),
      },
    },
    async (c, ctx) => {
      const invitation = await inviteTenantUser(ctx, c.req.valid('param').ref, c.req.valid('json'));
      return invitation.renewed ? c.json(invitation, 200) : c.json(invitation, 201);
    },
    { secretResponse: true },
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: `${BASE}/{user}/accept`,
      operationId: 'acceptTenantUserInvite',
      tags: ['tenant users'],
      summary: 'Accept an invite on the invitee\'s behalf with the code it was given (once; 409 invite_expired after 7 days)',
      request: { params: TenantUserParam, ...jsonBody(AcceptInviteBody) },
      responses: { 200: json(TenantUserSchema, 'The user, now active'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => {
      const { ref, user } = c.req.valid('param');
      return c.json(await acceptTenantUserInvite(ctx, ref, user, c.req.valid('json').code), 200);
    },
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: `${BASE}/{user}/role`,
      operationId: 'changeTenantUserRole',
      tags: ['tenant users'],
      summary: 'Change a user\'s role (the last accepted, enabled admin cannot be demoted: 409 last_admin)',
      request: { params: TenantUserParam, ...jsonBody(ChangeTenantUserRoleBody) },
      responses: { 200: changed(TenantUserSchema, 'The user after the change'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => {
      const { ref, user } = c.req.valid('param');
      return outcomeResponse(c, await changeTenantUserRole(ctx, ref, user, c.req.valid('json').role));
    },
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: `${BASE}/{user}/disable`,
      operationId: 'disableTenantUser',
      tags: ['tenant users'],
      summary: 'Disable an accepted user (not the last admin: 409 last_admin)',
      request: { params: TenantUserParam },
      responses: { 200: changed(TenantUserSchema, 'The user after the change'), ...problems(404, 409, 422) },
    },
    async (c, ctx) => {
      const { ref, user } = c.req.valid('param');
      return outcomeResponse(c, await disableTenantUser(ctx, ref, user));
    },
  ),
  defineRoute(
    WRITERS,
    {
      method: 'post',
      path: `${BASE}/{user}/enable`,
      operationId: 'enableTenantUser',
      tags: ['tenant users'],
      summary: 'Enable a disabled user again',
      request: { params: TenantUserParam },
      responses: { 200: changed(TenantUserSchema, 'The user after the change'), ...problems(404, 409, 422) },
    },
    async (c, ctx) => {
      const { ref, user } = c.req.valid('param');
      return outcomeResponse(c, await enableTenantUser(ctx, ref, user));
    },
  ),
  defineRoute(
    WRITERS,
    {
      method: 'delete',
      path: `${BASE}/{user}`,
      operationId: 'removeTenantUser',
      tags: ['tenant users'],
      summary: 'Remove a user or an open invite (not the last admin: 409 last_admin)',
      request: { params: TenantUserParam },
      responses: { 200: json(TenantUserSchema, 'The user as it was before removal'), ...problems(404, 409) },
    },
    async (c, ctx) => {
      const { ref, user } = c.req.valid('param');
      return c.json(await removeTenantUser(ctx, ref, user), 200);
    },
  ),
];
