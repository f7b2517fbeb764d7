import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_USER_COLUMNS } from '../../cli/columns.js';
import { fetchList, listFlags, tenantFlag } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { TenantUser } from '../../client/types.js';

export default class UsersList extends BaseCommand<typeof UsersList> {
  static override summary = 'List the people of a tenant\'s instance (an invite past its 7 days shows as expired)';
  static override examples = [
    '<%= config.bin %> users list',
    '<%= config.bin %> users list --tenant fibernet --status expired',
    '<%= config.bin %> users list --role admin --all --json',
  ];
  static override flags = {
    ...tenantFlag,
    ...listFlags(TENANT_USER_COLUMNS),
    status: Flags.string({ description: 'only this status', options: ['invited', 'active', 'disabled', 'expired'] }),
    role: Flags.string({ description: 'only this role', options: ['admin', 'operator', 'viewer'] }),
  };

  async run(): Promise<Partial<TenantUser>[]> {
    const columns = parseColumns(this.flags.columns, TENANT_USER_COLUMNS);
    const client = await this.factory.client();
    const tenant = await this.tenantRef(this.flags.tenant);
    const status = this.flags.status as TenantUser['status'] | undefined;
    const role = this.flags.role as TenantUser['role'] | undefined;
    const { rows, next } = await fetchList(client, (cursor, limit) => client.tenantUsers.list(tenant, { status, role, cursor, limit }), this.flags);
    const listed = this.printList(rows, TENANT_USER_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More users: --cursor ${next} (or --all)`);
    return listed;
  }
}
