import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import { TICKET_COLUMNS } from '../../cli/ticket-columns.js';
import type { Ticket } from '../../client/types.js';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../db/tables/tickets.js';

export default class TicketsList extends BaseCommand<typeof TicketsList> {
  static override summary = 'List support tickets, newest first (a tenant admin: its own; a reseller: its customers\')';
  static override examples = ['<%= config.bin %> tickets list --status open --priority p1', '<%= config.bin %> tickets list --breached --json'];
  static override flags = {
    status: Flags.string({ description: 'only this status', options: [...TICKET_STATUSES] }),
    priority: Flags.string({ description: 'only this priority', options: [...TICKET_PRIORITIES] }),
    assignee: Flags.string({ description: 'only those assigned to this email' }),
    breached: Flags.boolean({ description: 'only tickets that missed a response SLA', allowNo: true }),
    tenant: Flags.string({ description: 'only this tenant\'s (slug or id)', env: 'DOTMAC_TENANT' }),
    search: Flags.string({ char: 's', description: 'text in the subject or the tenant\'s slug or name' }),
    ...listFlags(TICKET_COLUMNS),
  };

  async run(): Promise<Partial<Ticket>[]> {
    const f = this.flags;
    const columns = parseColumns(f.columns, TICKET_COLUMNS);
    const client = await this.factory.client();
    const filter = {
      status: f.status as Ticket['status'] | undefined,
      priority: f.priority as Ticket['priority'] | undefined,
      assignee: f.assignee,
      breached: f.breached === undefined ? undefined : (String(f.breached) as 'true' | 'false'),
      tenant: f.tenant,
      q: f.search,
    };
    const { rows, next } = await fetchList(client, (cursor, limit) => client.tickets.list({ ...filter, cursor, limit }), f);
    if (rows.length === 0 && !this.jsonEnabled() && !f.csv) this.note('No tickets.');
    const listed = this.printList(rows, TICKET_COLUMNS, { csv: f.csv, columns });
    if (next) this.note(`More tickets: --cursor ${next} (or --all)`);
    return listed;
  }
}
