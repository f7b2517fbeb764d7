import { BaseCommand } from '../../cli/base-command.js';
import { FLAG_COLUMNS } from '../../cli/flag-columns.js';
import { flagKeyArg } from '../../cli/flag-input.js';
import type { FeatureFlag } from '../../client/types.js';

export default class FlagsGet extends BaseCommand<typeof FlagsGet> {
  static override summary = 'Show a feature flag and how many tenants it is on for now (master_admin)';
  static override description = '`enabled_tenants` counts the tenants that are not cancelled for which the flag is on.';
  static override examples = ['<%= config.bin %> flags get new-billing', '<%= config.bin %> flags get new-billing --json | jq .enabled_tenants'];
  static override args = flagKeyArg;

  async run(): Promise<FeatureFlag> {
    const flag = await (await this.factory.client()).flags.get(this.args.key);
    this.printRecord(flag, FLAG_COLUMNS);
    return flag;
  }
}
