import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TICKET_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';

export default class TicketsReopen extends BaseCommand<typeof TicketsReopen> {
  static override summary = 'Open a resolved ticket again, with a new response window (a closed one is final: exit 6)';
  static override examples = ['<%= config.bin %> tickets reopen tkt_01jf... --reason "still dropping"'];
  static override args = { id: Args.string({ description: 'ticket id', required: true }) };
  static override flags = { ...reasonFlag };

  async run(): Promise<TicketDetail> {
    const { reason } = this.flags;
    const outcome = await (await this.writableClient()).tickets.reopen(this.args.id, { reason }, reason);
    const t = outcome.value;
    this.reportChange(outcome, `Reopened ${t.id}`, `${t.id} is already open`);
    this.printRecord(t, TICKET_COLUMNS);
    return t;
  }
}
