import type { TicketStatus } from '../../../db/tables/tickets.js';

// The ticket lifecycle as a transition table:
//   open → in_progress (assigned) → resolved → closed; resolved → open (reopened);
//   open and in_progress may be resolved or closed directly; closed is final.

export type TicketVerb = 'assign' | 'resolve' | 'reopen' | 'close' | 'comment' | 'escalate';

export type Transition = { ok: true; to: TicketStatus; unchanged: boolean } | { ok: false; why: string };

const FINAL = 'closed is final: open a new ticket';

/** What `verb` does to a ticket in `from`: its new status, "unchanged" when that already holds, or why it may not. */
export function transition(from: TicketStatus, verb: TicketVerb): Transition {
  const to = (status: TicketStatus, unchanged = false): Transition => ({ ok: true, to: status, unchanged });
  const refuse = (why: string): Transition => ({ ok: false, why });
  switch (verb) {
    case 'assign':
      if (from === 'open' || from === 'in_progress') return to('in_progress');
      return refuse(from === 'closed' ? FINAL : 'a resolved ticket is not worked on: reopen it first');
    case 'resolve':
      if (from === 'resolved') return to('resolved', true);
      return from === 'closed' ? refuse(FINAL) : to('resolved');
    case 'reopen':
      if (from === 'open' || from === 'in_progress') return to(from, true);
      return from === 'closed' ? refuse(FINAL) : to('open');
    case 'close':
      return to('closed', from === 'closed');
    case 'comment':
      return from === 'closed' ? refuse(FINAL) : to(from, true);
    case 'escalate':
      if (from === 'open' || from === 'in_progress') return to(from, true);
      return refuse(from === 'closed' ? FINAL : 'a resolved ticket is not worked on: reopen it first');
  }
}
