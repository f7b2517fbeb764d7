import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TICKET_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';

export default class TicketsClose extends BaseCommand<typeof TicketsClose> {
  static override summary = 'Close a ticket, with the customer\'s satisfaction (CSAT 1–5) when given';
  static override description = 'Closed is final. CSAT feeds the customer health score (`customers health`): the average over tickets closed in the last 90 days.';
  static override examples = ['<%= config.bin %> tickets close tkt_01jf... --csat 5'];
  static override args = { id: Args.string({ description: 'ticket id', required: true }) };
  static override flags = { csat: Flags.integer({ description: 'customer satisfaction, 1 (poor) to 5 (excellent)', min: 1, max: 5 }), ...reasonFlag };

  async run(): Promise<TicketDetail> {
    const { csat, reason } = this.flags;
    const outcome = await (await this.writableClient()).tickets.close(this.args.id, { csat, reason }, reason);
    const t = outcome.value;
    this.reportChange(outcome, `Closed ${t.id}${t.csat === null ? '' : ` (CSAT ${t.csat})`}`, `${t.id} is already closed`);
    this.printRecord(t, TICKET_COLUMNS);
    return t;
  }
}
