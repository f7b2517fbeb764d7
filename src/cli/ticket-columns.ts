import type { Column } from './output.js';

// Columns of tickets, their comments and their history (see columns.ts for the conventions).

export const TICKET_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'priority' },
  { key: 'status' },
  { key: 'subject', cut: true },
  { key: 'response_due_at', header: 'response_due', priority: 2 },
  { key: 'breached', get: (t: { breaches: number }) => (t.breaches > 0 ? `yes (${t.breaches})` : 'no'), priority: 2 },
  { key: 'assignee', priority: 1, cut: true },
  { key: 'csat', priority: 1 },
  { key: 'body', extra: true, cut: true },
  { key: 'tenant_id', extra: true },
  { key: 'created_by', extra: true },
  { key: 'created_at', header: 'created', extra: true },
  { key: 'updated_at', header: 'updated', extra: true },
  { key: 'sla_started_at', header: 'sla_started', extra: true },
  { key: 'responded_at', header: 'responded', extra: true },
  { key: 'last_breach_at', header: 'last_breach', extra: true },
  { key: 'resolved_at', header: 'resolved', extra: true },
  { key: 'closed_at', header: 'closed', extra: true },
];

export const TICKET_COMMENT_COLUMNS: Column[] = [
  { key: 'created_at', header: 'at' },
  { key: 'author_role', header: 'role', priority: 1 },
  { key: 'author', priority: 2 },
  { key: 'body', header: 'comment', cut: true },
];

export const TICKET_EVENT_COLUMNS: Column[] = [
  { key: 'at' },
  { key: 'kind' },
  { key: 'from', get: (e: { from: string | null }) => e.from ?? '—' },
  { key: 'to', get: (e: { to: string | null }) => e.to ?? '—' },
  { key: 'actor_role', header: 'role', priority: 1 },
  { key: 'reason', cut: true },
];
