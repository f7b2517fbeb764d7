import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { AUDIT_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { AuditEvent } from '../../client/types.js';

export default class AuditList extends BaseCommand<typeof AuditList> {
  static override summary = 'List audit events, newest first, within your scope';
  static override examples = ['<%= config.bin %> audit list --action tenant.suspend', '<%= config.bin %> audit list --tenant fibernet --json', '<%= config.bin %> audit list --target acme'];
  static override flags = {
    ...listFlags(AUDIT_COLUMNS),
    action: Flags.string({ description: 'only this action, e.g. tenant.update (a typo is refused with a suggestion)' }),
    tenant: Flags.string({ description: 'only events of this tenant (slug or id)' }),
    target: Flags.string({ description: 'only events about this object: an id (ten_, res_, tok_, usr_, dep_, job_, tkt_, tus_, bak_, sub_, inv_) or a tenant or reseller slug' }),
  };

  async run(): Promise<Partial<AuditEvent>[]> {
    const columns = parseColumns(this.flags.columns, AUDIT_COLUMNS); // a usage error before any request
    const client = await this.factory.client();
    const { action, tenant, target } = this.flags;
    const { rows, next } = await fetchList(client, (cursor, limit) => client.audit.list({ cursor, limit, action, tenant, target }), this.flags);
    const listed = this.printList(rows, AUDIT_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More events: --cursor ${next} (or --all)`);
    return listed;
  }
}
