import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TICKET_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';

export default class TicketsEscalate extends BaseCommand<typeof TicketsEscalate> {
  static override summary = 'Raise a ticket\'s priority one step (p4 → p3 → p2 → p1), with --reason kept in its history';
  static override description = 'A p1 is already the highest: exit 6. While a response is awaited, the new priority\'s response window starts now.';
  static override examples = ['<%= config.bin %> tickets escalate tkt_01jf... --reason "whole town offline"'];
  static override args = { id: Args.string({ description: 'ticket id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<TicketDetail> {
    const { reason } = this.flags;
    const t = await (await this.writableClient()).tickets.escalate(this.args.id, { reason }, reason);
    this.note(`Escalated ${t.id} to ${t.priority}`);
    this.printRecord(t, TICKET_COLUMNS);
    return t;
  }
}
