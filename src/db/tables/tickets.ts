import type { Selectable } from 'kysely';

export const TICKET_PRIORITIES = ['p1', 'p2', 'p3', 'p4'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * A support ticket of a tenant (issue 9). Tenant-owned: resellers reach it through the tenant
 * they own now (no reseller column), like subscriptions and invoices.
 */
export interface TicketsTable {
  id: string;
  tenant_id: string;
  subject: string;
  body: string | null;
  priority: TicketPriority;
  status: TicketStatus;
  /** the staff member's email it is assigned to */
  assignee: string | null;
  created_by: string;
  created_role: string;
  created_at: string;
  updated_at: string;
  /** when the running response window began: opening, reopening, or the latest escalation */
  sla_started_at: string;
  /** when the first staff response is due; null when none is awaited (answered, resolved, closed, or breached at p1) */
  response_due_at: string | null;
  /** the staff response (comment, assignment or resolution) that answered the current window */
  responded_at: string | null;
  /** how many response windows it missed */
  breaches: number;
  last_breach_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  /** 1–5, given on close */
  csat: number | null;
}

/** A comment on a ticket, by staff or the tenant. Append-only. */
export interface TicketCommentsTable {
  id: string;
  ticket_id: string;
  tenant_id: string;
  body: string;
  author: string;
  author_role: string;
  created_at: string;
}

export const TICKET_EVENT_KINDS = ['created', 'status', 'priority', 'assigned', 'breach', 'responded'] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

/** A ticket's history: creation, status and priority changes, assignments, SLA breaches, with why. Append-only. */
export interface TicketEventsTable {
  id: string;
  ticket_id: string;
  tenant_id: string;
  kind: TicketEventKind;
  from_value: string | null;
  to_value: string | null;
  reason: string | null;
  actor: string;
  actor_role: string;
  at: string;
}

export type TicketRow = Selectable<TicketsTable>;
export type TicketCommentRow = Selectable<TicketCommentsTable>;
export type TicketEventRow = Selectable<TicketEventsTable>;
