import { BaseCommand } from '../../cli/base-command.js';
import { BRANDING_COLUMNS, swatch } from '../../cli/branding.js';
import { tenantFlag } from '../../cli/flags.js';
import type { Branding } from '../../client/types.js';

export default class BrandingPreview extends BaseCommand<typeof BrandingPreview> {
  static override summary = 'Preview a tenant\'s brand colours as a swatch (on a colour terminal; otherwise the values)';
  static override description = 'The swatch uses 24-bit colour backgrounds with the company name. With NO_COLOR, without a terminal, or with --json, it prints the values instead.';
  static override examples = ['<%= config.bin %> branding preview --tenant fibernet', 'NO_COLOR=1 <%= config.bin %> branding preview'];
  static override flags = { ...tenantFlag };

  async run(): Promise<Branding> {
    const client = await this.factory.client();
    const branding = await client.branding.get(await this.tenantRef(this.flags.tenant));
    if (this.jsonEnabled()) return branding;
    const io = this.factory.io;
    if (io.stdoutIsTTY && io.color) process.stdout.write(swatch(branding, io.width ?? 80));
    else this.printRecord(branding, BRANDING_COLUMNS);
    return branding;
  }
}
