import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import type { Column } from '../../cli/output.js';
import type { SlaCheckResult } from '../../client/types.js';

const BREACH_COLUMNS: Column[] = [
  { key: 'ticket_id', header: 'ticket' },
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'due_at', header: 'was_due' },
  { key: 'from_priority', header: 'from' },
  { key: 'to_priority', header: 'to', get: (b: { to_priority: string | null }) => b.to_priority ?? '(already p1)' },
  { key: 'next_due_at', header: 'next_due', priority: 1 },
  { key: 'subject', cut: true, priority: 2 },
];

export default class TicketsSlaCheck extends BaseCommand<typeof TicketsSlaCheck> {
  static override summary = 'Run the scheduled SLA check now, or as of --at: mark breaches and escalate each one step (staff)';
  static override description =
    'The worker runs the same check every minute. A ticket breaches when no staff response (a staff comment, assignment or resolution) ' +
    'came by its response time; each breach is marked once, recorded in the ticket\'s history and the audit trail, and escalates the ' +
    'ticket one step with a new response window from the check\'s time. A time before a ticket was opened never breaches it.';
  static override examples = ['<%= config.bin %> tickets sla-check', '<%= config.bin %> tickets sla-check --at 2026-12-07T16:00:00Z --json'];
  static override flags = { at: Flags.string({ description: 'check as of this time (ISO-8601, e.g. 2026-12-07T16:00:00Z); default now' }) };

  async run(): Promise<SlaCheckResult> {
    const result = await (await this.writableClient()).tickets.slaCheck({ at: this.flags.at });
    this.note(`SLA check as of ${result.at}: ${result.breached.length} breached, ${result.escalated} escalated`);
    if (result.breached.length > 0) this.printList(result.breached, BREACH_COLUMNS);
    return result;
  }
}
