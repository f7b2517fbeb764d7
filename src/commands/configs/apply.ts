import { Flags } from '@oclif/core';
import { changeLines, ConfigsCommand, fileFlags, ifVersionFlag, plural } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange, ConfigPlan } from '../../client/types.js';

export default class ConfigsApply extends ConfigsCommand<typeof ConfigsApply> {
  static override summary = 'Make a tenant\'s configuration match a file, as one version (none when it already does)';
  static override description = 'The file is YAML or JSON keyed by category.name. A masked secret ("********", as `configs export` writes it) keeps its current value.';
  static override examples = [
    '<%= config.bin %> configs apply -f fibernet.yaml --tenant fibernet --dry-run',
    '<%= config.bin %> configs apply -f fibernet.yaml --prune --if-version 7',
  ];
  static override flags = {
    ...tenantFlag,
    ...fileFlags,
    'dry-run': Flags.boolean({ description: 'print what would change and change nothing', default: false }),
    prune: Flags.boolean({ description: 'also remove the keys the file does not name', default: false }),
    ...ifVersionFlag,
    ...reasonFlag,
  };

  async run(): Promise<ConfigChange | ConfigPlan> {
    const body = await this.fileBody(this.flags);
    if (this.flags['dry-run']) {
      const client = await this.factory.client();
      const plan = await client.configs.diff(await this.tenantRef(this.flags.tenant), body);
      if (!this.jsonEnabled()) for (const line of changeLines(plan.changes)) this.log(line);
      this.note(plan.in_sync ? `${plan.tenant_slug}: already matches ${this.flags.file} (v${plan.version}); nothing would change` : `dry run: would write v${plan.version + 1} with ${plural(plan.changes.length, 'change')}; nothing changed`);
      return plan;
    }
    const { client, tenant } = await this.target();
    const outcome = await client.configs.apply(tenant, body, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    return this.finish(
      outcome,
      (r) => `${r.tenant_slug}: applied ${this.flags.file} as v${r.version} (${plural(r.changes.length, 'change')})`,
      (r) => `${r.tenant_slug} already matches ${this.flags.file} (v${r.version}): no version written`,
    );
  }
}
