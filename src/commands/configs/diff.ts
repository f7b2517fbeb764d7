import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { readConfigFile } from '../../cli/config-file.js';
import { changeLines } from '../../cli/configs.js';
import { EXIT } from '../../cli/errors.js';
import { tenantFlag } from '../../cli/flags.js';
import type { ConfigPlan } from '../../client/types.js';

export default class ConfigsDiff extends BaseCommand<typeof ConfigsDiff> {
  static override summary = 'Show what `configs apply` would change; exit 0 when in sync, 10 when there are changes';
  static override examples = ['<%= config.bin %> configs diff -f fibernet.yaml --tenant fibernet', '<%= config.bin %> configs diff -f fibernet.json --prune --json'];
  static override flags = {
    ...tenantFlag,
    file: Flags.string({ char: 'f', description: 'YAML or JSON file of category.name keys', required: true }),
    prune: Flags.boolean({ description: 'also count the keys the file does not name, which apply --prune removes', default: false }),
    secret: Flags.string({ description: 'a key of the file to hold as a secret (repeatable; known secret keys always are)', multiple: true }),
  };

  async run(): Promise<ConfigPlan> {
    const values = await readConfigFile(this.flags.file);
    const client = await this.factory.client();
    const plan = await client.configs.diff(await this.tenantRef(this.flags.tenant), { values, prune: this.flags.prune, ...(this.flags.secret ? { secret: this.flags.secret } : {}) });
    if (!this.jsonEnabled()) {
      for (const line of changeLines(plan.changes)) this.log(line);
      this.note(plan.in_sync ? `${plan.tenant_slug}: in sync with ${this.flags.file} (v${plan.version})` : `${plan.tenant_slug}: ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'} from v${plan.version}`);
    }
    if (!plan.in_sync) process.exitCode = EXIT.differences;
    return plan;
  }
}
