import { ConfigsCommand, fileFlags, ifVersionFlag, plural } from '../../cli/configs.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsImport extends ConfigsCommand<typeof ConfigsImport> {
  static override summary = 'Set every key of a file as one version (keys the file does not name are kept; `configs apply --prune` removes them)';
  static override examples = ['<%= config.bin %> configs import -f fibernet.yaml --tenant fibernet', '<%= config.bin %> configs import -f settings.json --secret integrations.crm_token'];
  static override flags = {
    ...tenantFlag,
    ...fileFlags,
    ...ifVersionFlag,
    ...reasonFlag,
  };

  async run(): Promise<ConfigChange> {
    const body = await this.fileBody(this.flags);
    const { client, tenant } = await this.target();
    const outcome = await this.fromFile(this.flags.file, () => client.configs.apply(tenant, body, { ifVersion: this.flags['if-version'], reason: this.flags.reason }));
    return this.finish(
      outcome,
      (r) => `${r.tenant_slug}: imported ${this.flags.file} as v${r.version} (${plural(r.changes.length, 'change')})`,
      (r) => `${r.tenant_slug} already has every value in ${this.flags.file} (v${r.version}): no version written`,
    );
  }
}
