import { Flags } from '@oclif/core';
import { changeLines, ConfigsCommand, fileFlags, ifVersionFlag, plural, staleVersion } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange, ConfigPlan } from '../../client/types.js';

export default class ConfigsApply extends ConfigsCommand<typeof ConfigsApply> {
  static override summary = 'Make a tenant\'s configuration match a file, as one version (none when it already does)';
  static override description = 'The file is YAML or JSON keyed by category.name. A masked secret ("********", as `configs export` writes it) keeps its current value.';
  static override examples = [
    '<%= config.bin %> configs apply -f fibernet.yaml --tenant fibernet --dry-run',
    '<%= config.bin %> configs apply -f fibernet.yaml --prune --if-version 7',
  ];
  // a dry run calls the diff route, which a reseller may read: the role check is the apply route's
  static override operation = 'applyConfigs';
  static override roles = ['master_admin', 'tenant_admin'] as const;
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
    const { client, tenant } = await this.target();
    if (this.flags['dry-run']) {
      // refused as the apply would be: a read-only profile or a reseller here, a platform-owned key by the API, a stale version below
      await this.checkRole();
      const plan = await this.fromFile(this.flags.file, () => client.configs.diff(tenant, body));
      const expected = this.flags['if-version'];
      if (expected !== undefined && expected !== plan.version) throw staleVersion(plan.tenant_slug, plan.version, expected);
      if (!this.jsonEnabled()) for (const line of changeLines(plan.changes)) this.log(line);
      this.note(plan.in_sync ? `${plan.tenant_slug}: already matches ${this.flags.file} (v${plan.version}); nothing would change` : `dry run: would write v${plan.version + 1} with ${plural(plan.changes.length, 'change')}; nothing changed`);
      return plan;
    }
    const outcome = await this.fromFile(this.flags.file, () => client.configs.apply(tenant, body, { ifVersion: this.flags['if-version'], reason: this.flags.reason }));
    return this.finish(
      outcome,
      (r) => `${r.tenant_slug}: applied ${this.flags.file} as v${r.version} (${plural(r.changes.length, 'change')})`,
      (r) => `${r.tenant_slug} already matches ${this.flags.file} (v${r.version}): no version written`,
    );
  }
}
