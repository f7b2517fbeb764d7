import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { changeLines, ifVersionFlag } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsUnset extends BaseCommand<typeof ConfigsUnset> {
  static override summary = 'Remove configuration keys, as one new version';
  static override examples = ['<%= config.bin %> configs unset branding.logo_url --tenant fibernet', '<%= config.bin %> configs unset a.b c.d --if-version 8'];
  static override strict = false;
  static override args = { key: Args.string({ description: 'category.name, one or more', required: true }) };
  static override flags = { ...tenantFlag, ...ifVersionFlag, ...reasonFlag };

  async run(): Promise<ConfigChange> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const outcome = await client.configs.change(tenant, { unset: [...new Set(this.positionals)] }, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    const result = outcome.value;
    this.reportChange(outcome, `${result.tenant_slug}: unset ${result.changes.map((c) => c.key).join(', ')}; configuration is now v${result.version}`, `${result.tenant_slug} has none of those keys (v${result.version})`);
    if (!this.jsonEnabled()) for (const line of changeLines(result.changes)) this.log(line);
    return result;
  }
}
