import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { configValueText } from '../../cli/columns.js';
import { configJson, configYaml, shellQuote } from '../../cli/configs.js';
import { tenantFlag } from '../../cli/flags.js';
import { CONFIG_CATEGORIES } from '../../db/tables/configurations.js';

export default class ConfigsExport extends BaseCommand<typeof ConfigsExport> {
  static override summary = 'Print a tenant\'s configuration as env lines, JSON or YAML (secrets masked unless --reveal)';
  static override description =
    'The JSON and YAML forms are files `configs apply -f` reads back; a masked secret in them keeps the secret\'s current value when applied. ' +
    'The env form prints CATEGORY_NAME=value lines, shell-quoted (values that are not strings as JSON). ' +
    'Control, bidi and zero-width characters are written as escapes: \\u in JSON and YAML, $\'\\x..\' in env lines.';
  static override examples = [
    '<%= config.bin %> configs export --tenant fibernet --format yaml > fibernet.yaml',
    '<%= config.bin %> configs export --format env --reveal > .env',
  ];
  // the file itself is the output; --json would only repeat --format json
  static override enableJsonFlag = false;
  static override flags = {
    ...tenantFlag,
    format: Flags.string({ description: 'output format', options: ['env', 'json', 'yaml'], default: 'yaml' }),
    category: Flags.string({ description: 'only this category', options: [...CONFIG_CATEGORIES] }),
    reveal: Flags.boolean({ description: 'include secrets (master_admin or the tenant\'s own admin; recorded in the audit trail)', default: false }),
  };

  async run(): Promise<void> {
    const client = await this.factory.client();
    const config = await client.configs.list(await this.tenantRef(this.flags.tenant), { category: this.flags.category, reveal: this.flags.reveal });
    const values = Object.fromEntries(config.entries.map((entry) => [entry.key, entry.value]));
    let text: string;
    if (this.flags.format === 'env') {
      text = config.entries.map((entry) => `${entry.key.replace('.', '_').toUpperCase()}=${shellQuote(configValueText(entry.value))}\n`).join('');
    } else {
      // control, bidi and zero-width characters as escapes, so the file cannot drive a terminal
      text = this.flags.format === 'json' ? configJson(values) : await configYaml(values);
    }
    process.stdout.write(text);
    this.note(`${config.tenant_slug}: configuration v${config.version}, ${config.entries.length} key${config.entries.length === 1 ? '' : 's'}${this.flags.reveal ? '' : ' (secrets masked)'}`);
  }
}

