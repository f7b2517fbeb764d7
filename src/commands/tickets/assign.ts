import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TICKET_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';

export default class TicketsAssign extends BaseCommand<typeof TicketsAssign> {
  static override summary = 'Assign a ticket to a staff member (staff only); an open ticket goes in_progress';
  static override description = 'The assignee is a master_admin user, by email. A staff assignment is the first response the SLA awaits.';
  static override examples = ['<%= config.bin %> tickets assign tkt_01jf... --to oncall@dotmac.example'];
  static override args = { id: Args.string({ description: 'ticket id', required: true }) };
  static override flags = { to: Flags.string({ description: 'the staff member\'s email', required: true }), ...reasonFlag };

  async run(): Promise<TicketDetail> {
    const outcome = await (await this.writableClient()).tickets.assign(this.args.id, { to: this.flags.to }, this.flags.reason);
    const t = outcome.value;
    this.reportChange(outcome, `Assigned ${t.id} to ${t.assignee}`, `${t.id} is already assigned to ${t.assignee}`);
    this.printRecord(t, TICKET_COLUMNS);
    return t;
  }
}
