import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TICKET_COMMENT_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';

export default class TicketsComment extends BaseCommand<typeof TicketsComment> {
  static override summary = 'Add a comment to a ticket (a staff comment is the first response its SLA awaits)';
  static override examples = ['<%= config.bin %> tickets comment tkt_01jf... --body "We are looking into it"'];
  static override args = { id: Args.string({ description: 'ticket id', required: true }) };
  static override flags = { body: Flags.string({ description: 'the comment (may span lines)', required: true }), ...reasonFlag };

  async run(): Promise<TicketDetail> {
    const ticket = await (await this.writableClient()).tickets.comment(this.args.id, { body: this.flags.body }, this.flags.reason);
    this.note(`Commented on ${ticket.id}`);
    this.printList(ticket.comments.slice(-1), TICKET_COMMENT_COLUMNS);
    return ticket;
  }
}
