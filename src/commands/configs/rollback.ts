import { Args } from '@oclif/core';
import { ConfigsCommand, ifVersionFlag, parseVersion } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsRollback extends ConfigsCommand<typeof ConfigsRollback> {
  static override summary = 'Make a new version of the configuration equal to an earlier one';
  static override examples = ['<%= config.bin %> configs rollback v3 --tenant fibernet', '<%= config.bin %> configs rollback 3 --if-version 7 --reason "bad SMTP host"'];
  static override args = { version: Args.string({ description: 'the version to restore: 3 or v3 (see `configs history`)', required: true, parse: async (input) => String(parseVersion(input)) }) };
  static override flags = { ...tenantFlag, ...ifVersionFlag, ...reasonFlag };

  async run(): Promise<ConfigChange> {
    const { client, tenant } = await this.target();
    const version = Number(this.args.version);
    const outcome = await client.configs.rollback(tenant, version, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    return this.finish(
      outcome,
      (r) => `${r.tenant_slug}: configuration v${r.version} restores v${version}`,
      (r) => `${r.tenant_slug}'s configuration already equals v${version} (v${r.version})`,
    );
  }
}
