import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { INVOICE_COLUMNS } from '../../cli/billing-columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { Invoice } from '../../client/types.js';
import { INVOICE_STATUSES } from '../../db/tables/billing.js';

export default class InvoicesList extends BaseCommand<typeof InvoicesList> {
  static override summary = 'List invoices (a reseller: its customers\'; a tenant admin: its own)';
  static override examples = ['<%= config.bin %> invoices list --tenant fibernet', '<%= config.bin %> invoices list --status open --period 2026-12 --csv'];
  static override flags = {
    tenant: Flags.string({ description: 'only this tenant (slug or id)' }),
    status: Flags.string({ description: 'only this status', options: [...INVOICE_STATUSES] }),
    period: Flags.string({ description: 'only this month, YYYY-MM' }),
    ...listFlags(INVOICE_COLUMNS),
  };

  async run(): Promise<Partial<Invoice>[]> {
    const columns = parseColumns(this.flags.columns, INVOICE_COLUMNS);
    const client = await this.factory.client();
    const { rows, next } = await fetchList(client, (cursor, limit) => client.invoices.list({ cursor, limit, tenant: this.flags.tenant, status: this.flags.status, period: this.flags.period }), this.flags);
    const listed = this.printList(rows, INVOICE_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More invoices: --cursor ${next} (or --all)`);
    return listed;
  }
}
