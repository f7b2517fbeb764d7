import { Args } from '@oclif/core';
import { ConfigsCommand, ifVersionFlag } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsUnset extends ConfigsCommand<typeof ConfigsUnset> {
  static override summary = 'Remove configuration keys, as one new version';
  static override examples = ['<%= config.bin %> configs unset branding.logo_url --tenant fibernet', '<%= config.bin %> configs unset a.b c.d --if-version 8'];
  static override strict = false;
  static override args = { key: Args.string({ description: 'category.name, one or more', required: true }) };
  static override flags = { ...tenantFlag, ...ifVersionFlag, ...reasonFlag };

  async run(): Promise<ConfigChange> {
    const { client, tenant } = await this.target();
    const outcome = await client.configs.change(tenant, { unset: [...new Set(this.positionals)] }, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    return this.finish(
      outcome,
      (r) => `${r.tenant_slug}: unset ${r.changes.map((c) => c.key).join(', ')}; configuration is now v${r.version}`,
      (r) => `${r.tenant_slug} has none of those keys (v${r.version})`,
    );
  }
}
