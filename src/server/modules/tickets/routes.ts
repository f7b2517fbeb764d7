import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { assignTicket, closeTicket, commentTicket, escalateTicket, reopenTicket, resolveTicket } from './lifecycle.js';
import {
  AssignTicketBody,
  CloseTicketBody,
  CommentTicketBody,
  CreateTicketBody,
  SlaCheckBody,
  SlaCheckResultSchema,
  TicketDetailSchema,
  TicketIdParam,
  TicketListQuery,
  TicketPageSchema,
  TicketReasonBody,
} from './schema.js';
import { checkSla } from './sla-check.js';
import { createTicket, getTicket, listTickets } from './service.js';

/** Resellers read their customers' tickets and change nothing; the tenant admin and staff work them. */
const READERS = ['master_admin', 'tenant_admin', 'reseller'] as const;
const WORKERS = ['master_admin', 'tenant_admin'] as const;
const STAFF = ['master_admin'] as const;
const TAGS = ['tickets'];
const ONE = '/v1/tickets/{id}';

export const ticketRoutes = [
  defineRoute(
    READERS,
    {
      method: 'get',
      path: '/v1/tickets',
      operationId: 'listTickets',
      tags: TAGS,
      summary: 'Tickets in the caller\'s scope, newest first',
      request: { query: TicketListQuery },
      responses: { 200: json(TicketPageSchema, 'A page of tickets'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listTickets(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    WORKERS,
    {
      method: 'post',
      path: '/v1/tickets',
      operationId: 'createTicket',
      tags: TAGS,
      summary: 'Open a ticket; its first staff response is due by its priority\'s SLA',
      request: jsonBody(CreateTicketBody),
      responses: { 201: json(TicketDetailSchema, 'The new ticket'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await createTicket(ctx, c.req.valid('json')), 201),
  ),
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/tickets/sla-check',
      operationId: 'checkTicketSla',
      tags: TAGS,
      summary: 'Run the scheduled SLA check now, or as of a given time: mark breaches and escalate each one step',
      request: jsonBody(SlaCheckBody),
      responses: { 200: json(SlaCheckResultSchema, 'What the check breached and escalated'), ...problems(413, 422) },
    },
    async (c, ctx) => c.json(await checkSla(ctx, c.req.valid('json')), 200),
  ),
  defineRoute(
    READERS,
    {
      method: 'get',
      path: ONE,
      operationId: 'getTicket',
      tags: TAGS,
      summary: 'One ticket with its comments and history (priority changes and why)',
      request: { params: TicketIdParam },
      responses: { 200: json(TicketDetailSchema, 'The ticket'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getTicket(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    WORKERS,
    {
      method: 'post',
      path: `${ONE}/comments`,
      operationId: 'commentTicket',
      tags: TAGS,
      summary: 'Add a comment; a staff comment is the first response the SLA awaits',
      request: { params: TicketIdParam, ...jsonBody(CommentTicketBody) },
      responses: { 201: json(TicketDetailSchema, 'The ticket with the comment'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await commentTicket(ctx, c.req.valid('param').id, c.req.valid('json').body), 201),
  ),
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: `${ONE}/assign`,
      operationId: 'assignTicket',
      tags: TAGS,
      summary: 'Assign to a staff member (an open ticket goes in_progress); a staff assignment is a first response',
      request: { params: TicketIdParam, ...jsonBody(AssignTicketBody) },
      responses: { 200: changed(TicketDetailSchema, 'The ticket after the change'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await assignTicket(ctx, c.req.valid('param').id, c.req.valid('json').to)),
  ),
  defineRoute(
    WORKERS,
    {
      method: 'post',
      path: `${ONE}/escalate`,
      operationId: 'escalateTicket',
      tags: TAGS,
      summary: 'Raise the priority one step (p1 is the highest: 409), with why',
      request: { params: TicketIdParam, ...jsonBody(TicketReasonBody) },
      responses: { 200: json(TicketDetailSchema, 'The ticket after the change'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => c.json(await escalateTicket(ctx, c.req.valid('param').id, c.req.valid('json').reason), 200),
  ),
  defineRoute(
    WORKERS,
    {
      method: 'post',
      path: `${ONE}/resolve`,
      operationId: 'resolveTicket',
      tags: TAGS,
      summary: 'Mark resolved (a closed ticket cannot be: 409)',
      request: { params: TicketIdParam, ...jsonBody(TicketReasonBody) },
      responses: { 200: changed(TicketDetailSchema, 'The ticket after the change'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await resolveTicket(ctx, c.req.valid('param').id, c.req.valid('json').reason)),
  ),
  defineRoute(
    WORKERS,
    {
      method: 'post',
      path: `${ONE}/reopen`,
      operationId: 'reopenTicket',
      tags: TAGS,
      summary: 'Open a resolved ticket again, with a new response window (closed is final: 409)',
      request: { params: TicketIdParam, ...jsonBody(TicketReasonBody) },
      responses: { 200: changed(TicketDetailSchema, 'The ticket after the change'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await reopenTicket(ctx, c.req.valid('param').id, c.req.valid('json').reason)),
  ),
  defineRoute(
    WORKERS,
    {
      method: 'post',
      path: `${ONE}/close`,
      operationId: 'closeTicket',
      tags: TAGS,
      summary: 'Close it, with the customer\'s satisfaction (CSAT 1–5) when given',
      request: { params: TicketIdParam, ...jsonBody(CloseTicketBody) },
      responses: { 200: changed(TicketDetailSchema, 'The ticket after the change'), ...problems(404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await closeTicket(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
];
