import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { TICKET_COLUMNS } from '../../cli/ticket-columns.js';
import type { TicketDetail } from '../../client/types.js';
import { TICKET_PRIORITIES } from '../../db/tables/tickets.js';

export default class TicketsCreate extends BaseCommand<typeof TicketsCreate> {
  static override summary = 'Open a support ticket';
  static override description =
    'The first staff response is due by the priority\'s SLA: p1 1 h, p2 4 h, p3 1 business day, p4 3 business days (business days are ' +
    'Monday to Friday, UTC). A tenant admin opens its own tenant\'s; staff name the tenant with --tenant.';
  static override examples = [
    '<%= config.bin %> tickets create --subject "Router unreachable" --priority p2 --body "Since 09:00 UTC"',
    '<%= config.bin %> tickets create --tenant acme --subject "Invoice question" --priority p4',
  ];
  static override flags = {
    tenant: Flags.string({ description: 'tenant slug or id (a tenant_admin may leave it out)', env: 'DOTMAC_TENANT' }),
    subject: Flags.string({ description: 'one line saying what is wrong', required: true }),
    priority: Flags.string({ description: 'p1 (1 h), p2 (4 h), p3 (1 business day), p4 (3 business days)', required: true, options: [...TICKET_PRIORITIES] }),
    body: Flags.string({ description: 'the details (may span lines)' }),
    ...reasonFlag,
  };

  async run(): Promise<TicketDetail> {
    const f = this.flags;
    const ticket = await (await this.writableClient()).tickets.create({ tenant: f.tenant, subject: f.subject, priority: f.priority as 'p1', body: f.body }, f.reason);
    this.note(`Opened ticket ${ticket.id} (${ticket.priority}); first response due ${ticket.response_due_at}`);
    this.printRecord(ticket, TICKET_COLUMNS);
    return ticket;
  }
}
