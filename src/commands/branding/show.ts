import { BaseCommand } from '../../cli/base-command.js';
import { BRANDING_COLUMNS } from '../../cli/branding.js';
import { tenantFlag } from '../../cli/flags.js';
import type { Branding } from '../../client/types.js';

export default class BrandingShow extends BaseCommand<typeof BrandingShow> {
  static override summary = 'Show a tenant\'s branding: company name, colours, logo, support email, custom CSS';
  static override description = 'With --json, the whole branding, custom CSS included; `white_label` says whether the tenant holds white-label now.';
  static override examples = ['<%= config.bin %> branding show --tenant fibernet', '<%= config.bin %> branding show --json'];
  static override flags = { ...tenantFlag };

  async run(): Promise<Branding> {
    const client = await this.factory.client();
    const branding = await client.branding.get(await this.tenantRef(this.flags.tenant));
    this.printRecord(branding, BRANDING_COLUMNS);
    return branding;
  }
}
