import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { changeLines, ifVersionFlag, parseVersion } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsRollback extends BaseCommand<typeof ConfigsRollback> {
  static override summary = 'Make a new version of the configuration equal to an earlier one';
  static override examples = ['<%= config.bin %> configs rollback v3 --tenant fibernet', '<%= config.bin %> configs rollback 3 --if-version 7 --reason "bad SMTP host"'];
  static override args = { version: Args.string({ description: 'the version to restore: 3 or v3 (see `configs history`)', required: true, parse: async (input) => String(parseVersion(input)) }) };
  static override flags = { ...tenantFlag, ...ifVersionFlag, ...reasonFlag };

  async run(): Promise<ConfigChange> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const version = Number(this.args.version);
    const outcome = await client.configs.rollback(tenant, version, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    const result = outcome.value;
    this.reportChange(outcome, `${result.tenant_slug}: configuration v${result.version} restores v${version}`, `${result.tenant_slug}'s configuration already equals v${version} (v${result.version})`);
    if (!this.jsonEnabled()) for (const line of changeLines(result.changes)) this.log(line);
    return result;
  }
}
