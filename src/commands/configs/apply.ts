import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { readConfigFile } from '../../cli/config-file.js';
import { changeLines, ifVersionFlag } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange, ConfigPlan } from '../../client/types.js';

export default class ConfigsApply extends BaseCommand<typeof ConfigsApply> {
  static override summary = 'Make a tenant\'s configuration match a file, as one version (none when it already does)';
  static override description = 'The file is YAML or JSON keyed by category.name. A masked secret ("********", as `configs export` writes it) keeps its current value.';
  static override examples = [
    '<%= config.bin %> configs apply -f fibernet.yaml --tenant fibernet --dry-run',
    '<%= config.bin %> configs apply -f fibernet.yaml --prune --if-version 7',
  ];
  static override flags = {
    ...tenantFlag,
    file: Flags.string({ char: 'f', description: 'YAML or JSON file of category.name keys', required: true }),
    'dry-run': Flags.boolean({ description: 'print what would change and change nothing', default: false }),
    prune: Flags.boolean({ description: 'also remove the keys the file does not name', default: false }),
    secret: Flags.string({ description: 'a key of the file to hold as a secret (repeatable; known secret keys always are)', multiple: true }),
    ...ifVersionFlag,
    ...reasonFlag,
  };

  async run(): Promise<ConfigChange | ConfigPlan> {
    const values = await readConfigFile(this.flags.file);
    const body = { values, prune: this.flags.prune, ...(this.flags.secret ? { secret: this.flags.secret } : {}) };
    if (this.flags['dry-run']) {
      const plan = await (await this.factory.client()).configs.diff(await this.tenantRef(this.flags.tenant), body);
      if (!this.jsonEnabled()) for (const line of changeLines(plan.changes)) this.log(line);
      this.note(plan.in_sync ? `${plan.tenant_slug}: already matches ${this.flags.file} (v${plan.version}); nothing would change` : `dry run: would write v${plan.version + 1} with ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'}; nothing changed`);
      return plan;
    }
    const client = await this.writableClient();
    const outcome = await client.configs.apply(await this.tenantRef(this.flags.tenant), body, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    const result = outcome.value;
    this.reportChange(outcome, `${result.tenant_slug}: applied ${this.flags.file} as v${result.version} (${result.changes.length} change${result.changes.length === 1 ? '' : 's'})`, `${result.tenant_slug} already matches ${this.flags.file} (v${result.version}): no version written`);
    if (!this.jsonEnabled()) for (const line of changeLines(result.changes)) this.log(line);
    return result;
  }
}
