import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TICKET_COLUMNS, TICKET_COMMENT_COLUMNS, TICKET_EVENT_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';

export default class TicketsGet extends BaseCommand<typeof TicketsGet> {
  static override summary = 'Show one ticket with its comments and its history (priority changes and why)';
  static override examples = ['<%= config.bin %> tickets get tkt_01jf...', '<%= config.bin %> tickets get tkt_01jf... --json | jq .history'];
  static override args = { id: Args.string({ description: 'ticket id', required: true }) };

  async run(): Promise<TicketDetail> {
    const ticket = await (await this.factory.client()).tickets.get(this.args.id);
    this.printRecord(ticket, TICKET_COLUMNS);
    if (!this.jsonEnabled()) {
      if (ticket.body) {
        this.log('');
        this.log(ticket.body);
      }
      this.log('');
      if (ticket.comments.length === 0) this.note('No comments.');
      else this.printList(ticket.comments, TICKET_COMMENT_COLUMNS);
      this.log('');
      this.printList(ticket.history, TICKET_EVENT_COLUMNS);
    }
    return ticket;
  }
}
