import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { readConfigFile } from '../../cli/config-file.js';
import { changeLines, ifVersionFlag } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsImport extends BaseCommand<typeof ConfigsImport> {
  static override summary = 'Set every key of a file as one version (keys the file does not name are kept; `configs apply --prune` removes them)';
  static override examples = ['<%= config.bin %> configs import -f fibernet.yaml --tenant fibernet', '<%= config.bin %> configs import -f settings.json --secret integrations.crm_token'];
  static override flags = {
    ...tenantFlag,
    file: Flags.string({ char: 'f', description: 'YAML or JSON file of category.name keys', required: true }),
    secret: Flags.string({ description: 'a key of the file to hold as a secret (repeatable; known secret keys always are)', multiple: true }),
    ...ifVersionFlag,
    ...reasonFlag,
  };

  async run(): Promise<ConfigChange> {
    const values = await readConfigFile(this.flags.file);
    const client = await this.writableClient();
    const body = { values, prune: false, ...(this.flags.secret ? { secret: this.flags.secret } : {}) };
    const outcome = await client.configs.apply(await this.tenantRef(this.flags.tenant), body, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    const result = outcome.value;
    this.reportChange(outcome, `${result.tenant_slug}: imported ${this.flags.file} as v${result.version} (${result.changes.length} change${result.changes.length === 1 ? '' : 's'})`, `${result.tenant_slug} already has every value in ${this.flags.file} (v${result.version}): no version written`);
    if (!this.jsonEnabled()) for (const line of changeLines(result.changes)) this.log(line);
    return result;
  }
}
