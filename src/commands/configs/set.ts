import { Args, Flags } from '@oclif/core';
import { checkNesting, ConfigsCommand, ifVersionFlag, parseAssignment } from '../../cli/configs.js';
import { usageError } from '../../cli/errors.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { ConfigChange } from '../../client/types.js';

export default class ConfigsSet extends ConfigsCommand<typeof ConfigsSet> {
  static override summary = 'Set configuration keys, as one new version';
  static override description =
    'VALUE is read as JSON when it parses as JSON (30, true, ["a","b"], {"en":"Hi"}, "30" for the string), and as text otherwise (USD).';
  static override examples = [
    '<%= config.bin %> configs set billing.currency=KES security.session_timeout_minutes=30 --tenant fibernet',
    '<%= config.bin %> configs set network.radius_secret=s3cr3t-value --if-version 7',
    '<%= config.bin %> configs set integrations.crm_token=abc123 --secret',
  ];
  static override strict = false;
  static override args = { assignment: Args.string({ description: 'KEY=VALUE, one or more', required: true }) };
  static override flags = {
    ...tenantFlag,
    secret: Flags.boolean({ description: 'hold every value given here as a secret (known secret keys always are)', default: false }),
    ...ifVersionFlag,
    ...reasonFlag,
  };

  async run(): Promise<ConfigChange> {
    const values: Record<string, unknown> = {};
    for (const word of this.positionals) {
      let pair: [string, unknown];
      try {
        pair = parseAssignment(word);
      } catch (error) {
        throw usageError((error as Error).message, 'write KEY=VALUE, e.g. billing.currency=USD');
      }
      if (Object.hasOwn(values, pair[0])) throw usageError(`${pair[0]} is given twice`, 'give each key once');
      values[pair[0]] = pair[1];
    }
    checkNesting(values);
    const { client, tenant } = await this.target();
    const body = { values, ...(this.flags.secret ? { secret: Object.keys(values) } : {}) };
    const outcome = await client.configs.change(tenant, body, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    return this.finish(
      outcome,
      (r) => `${r.tenant_slug}: set ${r.changes.map((c) => c.key).join(', ')}; configuration is now v${r.version}`,
      (r) => `${r.tenant_slug} already has those values (v${r.version})`,
    );
  }
}
