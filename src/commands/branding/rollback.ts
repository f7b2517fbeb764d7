import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { BRANDING_COLUMNS, brandingIfVersionFlag } from '../../cli/branding.js';
import { parseVersion } from '../../cli/configs.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { BrandingChange } from '../../client/types.js';

export default class BrandingRollback extends BaseCommand<typeof BrandingRollback> {
  static override summary = 'Make a new version of the branding equal to an earlier one';
  static override description = 'White-label fields the old version brings back need white-label now (else exit 4, plan_required).';
  static override examples = ['<%= config.bin %> branding rollback v2 --tenant fibernet', '<%= config.bin %> branding rollback 2 --if-version 5 --reason "old logo"'];
  static override args = { version: Args.string({ description: 'the version to restore: 2 or v2 (see `branding history`)', required: true }) };
  static override flags = { ...tenantFlag, ...brandingIfVersionFlag, ...reasonFlag };

  async run(): Promise<BrandingChange> {
    let version: number;
    try {
      version = parseVersion(this.args.version);
    } catch (error) {
      throw usageError((error as Error).message, 'see the versions with `dotmac branding history`');
    }
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const outcome = await client.branding.rollback(tenant, version, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    const result = outcome.value;
    this.reportChange(outcome, `${result.tenant_slug}: branding v${result.version} restores v${version} (${result.changes.join(', ')})`, `${result.tenant_slug}'s branding already equals v${version} (v${result.version})`);
    this.printRecord(result, BRANDING_COLUMNS);
    return result;
  }
}
