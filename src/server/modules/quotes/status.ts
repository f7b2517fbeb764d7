import type { QuoteStatus } from '../../../db/tables/quotes.js';

/** The verbs that move a quote between states (COMMERCE.md § Quotes); `submit` chooses its end in the service. */
export type QuoteTransition = 'update' | 'submit' | 'request_approval' | 'approve' | 'refuse' | 'send' | 'view' | 'accept' | 'reject' | 'revise' | 'cancel' | 'expire';

/** Final states: nothing moves a quote out of them (an expired or rejected one can only be revised into a new revision). */
export const FINAL_STATUSES: readonly QuoteStatus[] = ['accepted', 'rejected', 'expired', 'revised', 'cancelled'];

const OPEN: readonly QuoteStatus[] = ['draft', 'pending_approval', 'approved', 'sent', 'viewed'];

const TRANSITIONS: Record<QuoteTransition, { from: readonly QuoteStatus[]; to: QuoteStatus; again?: boolean }> = {
  // an edit of a draft keeps it a draft; an edit of an approved (or pending) quote voids the approval
  update: { from: ['draft', 'pending_approval', 'approved'], to: 'draft' },
  submit: { from: ['draft'], to: 'sent' },
  request_approval: { from: ['draft'], to: 'pending_approval' },
  approve: { from: ['pending_approval'], to: 'approved' },
  refuse: { from: ['pending_approval'], to: 'draft' },
  send: { from: ['approved'], to: 'sent' },
  // the customer opening it again changes nothing
  view: { from: ['sent'], to: 'viewed', again: true },
  accept: { from: ['sent', 'viewed'], to: 'accepted' },
  reject: { from: ['sent', 'viewed'], to: 'rejected' },
  revise: { from: ['sent', 'viewed', 'rejected', 'expired'], to: 'revised' },
  cancel: { from: OPEN, to: 'cancelled', again: true },
  expire: { from: OPEN, to: 'expired', again: true },
};

/**
 * draft → sent → viewed → accepted | rejected; draft → pending_approval → approved → sent, or back
 * to draft when refused; any open quote → expired | cancelled; sent, viewed, rejected or expired →
 * revised (with a new draft revision). A verb whose end state already holds is `unchanged` only
 * where asking twice is harmless (view, cancel, expire); accepting twice is illegal (409).
 */
export function nextQuoteStatus(current: QuoteStatus, transition: QuoteTransition): { to: QuoteStatus } | 'unchanged' | 'illegal' {
  const rule = TRANSITIONS[transition];
  if (rule.again && current === rule.to) return 'unchanged';
  return rule.from.includes(current) ? { to: rule.to } : 'illegal';
}

export const isOpen = (status: QuoteStatus): boolean => OPEN.includes(status);
