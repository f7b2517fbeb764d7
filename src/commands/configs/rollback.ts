import { Args } from '@oclif/core';
import { ConfigsCommand, ifVersionFlag, parseVersion } from '../../cli/configs.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsRollback extends ConfigsCommand<typeof ConfigsRollback> {
  static override summary = 'Make a new version of the configuration equal to an earlier one';
  static override examples = ['<%= config.bin %> configs rollback v3 --tenant fibernet', '<%= config.bin %> configs rollback 3 --if-version 7 --reason "bad SMTP host"'];
  static override args = { version: Args.string({ description: 'the version to restore: 3 or v3 (see `configs history`)', required: true }) };
  static override flags = { ...tenantFlag, ...ifVersionFlag, ...reasonFlag };

  async run(): Promise<ConfigChange> {
    let version: number;
    try {
      version = parseVersion(this.args.version);
    } catch (error) {
      throw usageError((error as Error).message, 'see the versions with `dotmac configs history`');
    }
    if (version < 1) throw usageError(`there is no version ${this.args.version} to roll back to: versions start at v1`, 'see the versions with `dotmac configs history`');
    const { client, tenant } = await this.target();
    const outcome = await client.configs.rollback(tenant, version, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    return this.finish(
      outcome,
      (r) => `${r.tenant_slug}: configuration v${r.version} restores v${version}`,
      (r) => `${r.tenant_slug}'s configuration already equals v${version} (v${r.version})`,
    );
  }
}
