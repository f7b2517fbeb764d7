import { Flags } from '@oclif/core';
import { changeLines, ConfigsCommand, fileFlags, plural } from '../../cli/configs.js';
import { EXIT } from '../../cli/errors.js';
import { tenantFlag } from '../../cli/flags.js';
import type { ConfigPlan } from '../../client/types.js';

export default class ConfigsDiff extends ConfigsCommand<typeof ConfigsDiff> {
  static override summary = 'Show what `configs apply` would change; exit 0 when in sync, 10 when there are changes';
  static override examples = ['<%= config.bin %> configs diff -f fibernet.yaml --tenant fibernet', '<%= config.bin %> configs diff -f fibernet.json --prune --json'];
  static override flags = {
    ...tenantFlag,
    ...fileFlags,
    prune: Flags.boolean({ description: 'also count the keys the file does not name, which apply --prune removes', default: false }),
  };

  async run(): Promise<ConfigPlan> {
    const body = await this.fileBody(this.flags);
    // a read: a read-only profile may diff
    const client = await this.factory.client();
    const tenant = await this.tenantRef(this.flags.tenant);
    const plan = await this.fromFile(this.flags.file, () => client.configs.diff(tenant, body));
    if (!this.jsonEnabled()) {
      for (const line of changeLines(plan.changes)) this.log(line);
      this.note(plan.in_sync ? `${plan.tenant_slug}: in sync with ${this.flags.file} (v${plan.version})` : `${plan.tenant_slug}: ${plural(plan.changes.length, 'change')} from v${plan.version}`);
    }
    if (!plan.in_sync) process.exitCode = EXIT.differences;
    return plan;
  }
}
