import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TICKET_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';

export default class TicketsResolve extends BaseCommand<typeof TicketsResolve> {
  static override summary = 'Mark a ticket resolved (a closed one: exit 6)';
  static override examples = ['<%= config.bin %> tickets resolve tkt_01jf... --reason "replaced the line card"'];
  static override args = { id: Args.string({ description: 'ticket id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<TicketDetail> {
    const { reason } = this.flags;
    const outcome = await (await this.writableClient()).tickets.resolve(this.args.id, { reason }, reason);
    const t = outcome.value;
    this.reportChange(outcome, `Resolved ${t.id}`, `${t.id} is already resolved`);
    this.printRecord(t, TICKET_COLUMNS);
    return t;
  }
}
