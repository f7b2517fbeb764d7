import { BaseCommand } from '../../cli/base-command.js';
import { BRANDING_VERSION_COLUMNS } from '../../cli/branding.js';
import { fetchList, listFlags, tenantFlag } from '../../cli/flags.js';
import { parseColumns } from '../../cli/output.js';
import type { BrandingVersion } from '../../client/types.js';

export default class BrandingHistory extends BaseCommand<typeof BrandingHistory> {
  static override summary = 'List the versions of a tenant\'s branding, newest first (which fields each changed)';
  static override examples = ['<%= config.bin %> branding history --tenant fibernet', '<%= config.bin %> branding history --all --json'];
  static override flags = { ...tenantFlag, ...listFlags(BRANDING_VERSION_COLUMNS) };

  async run(): Promise<Partial<BrandingVersion>[]> {
    const columns = parseColumns(this.flags.columns, BRANDING_VERSION_COLUMNS);
    const client = await this.factory.client();
    const tenant = await this.tenantRef(this.flags.tenant);
    const { rows, next } = await fetchList(client, (cursor, limit) => client.branding.versions(tenant, { cursor, limit }), this.flags);
    const listed = this.printList(rows, BRANDING_VERSION_COLUMNS, { csv: this.flags.csv, columns });
    if (next) this.note(`More versions: --cursor ${next} (or --all)`);
    return listed;
  }
}
