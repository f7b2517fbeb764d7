import { z } from '@hono/zod-openapi';
import { TICKET_EVENT_KINDS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../../db/tables/tickets.js';
import { humanText } from '../../human-text.js';
import { PageQuery } from '../../routing.js';
import { describeSla } from './sla.js';
import { BIDI_CONTROLS, c0Except, DEL_C1 } from '../../../core/unsafe-text.js';

const PRIORITY_LIST = TICKET_PRIORITIES.map((p) => `${p} (${describeSla(p)})`).join(', ');

/** A priority is one with a response SLA; anything else is refused naming the ones there are. */
export const Priority = z
  .enum(TICKET_PRIORITIES, { error: (issue) => `unknown priority "${String(issue.input).slice(0, 20)}"; the priorities are ${PRIORITY_LIST}` })
  .openapi({ description: `response SLA by priority: ${PRIORITY_LIST}` });
export const TicketStatus = z.enum(TICKET_STATUSES);

/**
 * A ticket's body or a comment: human text that may run over several lines. Line breaks (and
 * tabs) are the only control characters it may hold; CRLF is kept as LF.
 */
const MULTILINE_TEXT = new RegExp(`^[^${c0Except('\t\n')}${DEL_C1}${BIDI_CONTROLS}]*$`);
function ticketText(max: number) {
  return z
    .string()
    .transform((text) => text.replace(/\r\n/g, '\n'))
    .pipe(z.string().regex(MULTILINE_TEXT, 'must not contain control characters (other than line breaks and tabs) or bidirectional overrides').trim().min(1).max(max));
}

export const TicketCommentSchema = z
  .object({ id: z.string(), body: z.string(), author: z.string(), author_role: z.string(), staff: z.boolean(), created_at: z.string() })
  .openapi('TicketComment');

export const TicketEventSchema = z
  .object({
    kind: z.enum(TICKET_EVENT_KINDS),
    from: z.string().nullable(),
    to: z.string().nullable(),
    reason: z.string().nullable(),
    actor: z.string(),
    actor_role: z.string(),
    at: z.string(),
  })
  .openapi('TicketEvent');

export const TicketSchema = z
  .object({
    id: z.string().openapi({ example: 'tkt_01jf9x2k3m4n5p6q7r8s9t0v1w' }),
    tenant_id: z.string(),
    tenant_slug: z.string(),
    subject: z.string(),
    body: z.string().nullable(),
    priority: Priority,
    status: TicketStatus,
    assignee: z.string().nullable().openapi({ description: 'the staff member (email) working on it' }),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    sla_started_at: z.string().openapi({ description: 'when the current response window began: opening, reopening or the latest escalation' }),
    response_due_at: z.string().nullable().openapi({ description: 'when the first staff response is due; null when none is awaited' }),
    responded_at: z.string().nullable().openapi({ description: 'the staff comment, assignment or resolution that answered the current window' }),
    breached: z.boolean().openapi({ description: 'it has missed a response SLA at least once' }),
    breaches: z.number().int(),
    last_breach_at: z.string().nullable(),
    resolved_at: z.string().nullable(),
    closed_at: z.string().nullable(),
    csat: z.number().int().nullable().openapi({ description: 'customer satisfaction 1–5, given on close' }),
  })
  .openapi('Ticket');

export const TicketDetailSchema = TicketSchema.extend({
  comments: z.array(TicketCommentSchema).openapi({ description: 'oldest first' }),
  history: z.array(TicketEventSchema).openapi({ description: 'oldest first: creation, status and priority changes (with why), assignments, SLA breaches' }),
}).openapi('TicketDetail');

export const TicketPageSchema = z.object({ data: z.array(TicketSchema), next_cursor: z.string().nullable() }).openapi('TicketPage');

export const TicketListQuery = z.object({
  ...PageQuery,
  status: TicketStatus.optional(),
  priority: Priority.optional(),
  assignee: z.string().min(1).max(254).optional().openapi({ description: 'the assignee\'s email' }),
  breached: z.enum(['true', 'false']).optional().openapi({ description: 'true: only tickets that missed a response SLA; false: only those that never did' }),
  tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant slug or id' }),
  q: z.string().max(100).optional().openapi({ description: 'text search in the subject and the tenant\'s slug and name' }),
});

export const TicketIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'ticket id' }),
});

export const CreateTicketBody = z
  .strictObject({
    tenant: z.string().min(1).max(100).optional().openapi({ description: 'tenant slug or id: staff name it; a tenant admin may leave it out (its own)' }),
    subject: humanText(200).min(1, 'must not be empty'),
    priority: Priority,
    body: ticketText(20_000).optional(),
  })
  .openapi('CreateTicket');

export const CommentTicketBody = z.strictObject({ body: ticketText(20_000) }).openapi('CommentTicket');

export const AssignTicketBody = z.strictObject({ to: z.email().max(254).openapi({ description: 'a staff member\'s (master_admin user\'s) email' }) }).openapi('AssignTicket');

export const TicketReasonBody = z
  .strictObject({ reason: humanText(500).optional().openapi({ description: 'why, kept in the ticket\'s history (the X-Dotmac-Reason header is used when absent)' }) })
  .openapi('TicketReason');

export const CloseTicketBody = z
  .strictObject({
    csat: z.number().int().min(1, 'CSAT is 1 to 5').max(5, 'CSAT is 1 to 5').optional().openapi({ description: 'customer satisfaction, 1 (poor) to 5 (excellent)' }),
    reason: humanText(500).optional(),
  })
  .openapi('CloseTicket');

export const SlaCheckBody = z
  .strictObject({
    at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'check as of this time (ISO-8601); default now' }),
  })
  .openapi('SlaCheck');

export const SlaBreachSchema = z
  .object({
    ticket_id: z.string(),
    tenant_id: z.string(),
    tenant_slug: z.string(),
    subject: z.string(),
    due_at: z.string().openapi({ description: 'the response time that was missed' }),
    from_priority: Priority,
    to_priority: Priority.nullable().openapi({ description: 'the priority it was escalated to; null when it was already p1' }),
    next_due_at: z.string().nullable().openapi({ description: 'the new window\'s response time, from the check\'s time' }),
  })
  .openapi('SlaBreach');

export const SlaCheckResultSchema = z
  .object({ at: z.string(), breached: z.array(SlaBreachSchema), escalated: z.number().int() })
  .openapi('SlaCheckResult');

export type Ticket = z.infer<typeof TicketSchema>;
export type TicketDetail = z.infer<typeof TicketDetailSchema>;
export type TicketListFilter = z.infer<typeof TicketListQuery>;
export type CreateTicketInput = z.infer<typeof CreateTicketBody>;
export type SlaBreach = z.infer<typeof SlaBreachSchema>;
export type SlaCheckResult = z.infer<typeof SlaCheckResultSchema>;
