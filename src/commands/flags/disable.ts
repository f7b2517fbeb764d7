import { BaseCommand } from '../../cli/base-command.js';
import { FLAG_COLUMNS } from '../../cli/flag-columns.js';
import { flagKeyArg } from '../../cli/flag-input.js';
import { reasonFlag } from '../../cli/flags.js';
import type { FeatureFlag } from '../../client/types.js';

export default class FlagsDisable extends BaseCommand<typeof FlagsDisable> {
  static override summary = 'Turn a flag off for every tenant: rollout 0 %, tenant lists cleared (master_admin)';
  static override examples = ['<%= config.bin %> flags disable new-billing --reason "rollout done"'];
  static override args = flagKeyArg;
  static override flags = { ...reasonFlag };

  async run(): Promise<FeatureFlag> {
    const outcome = await (await this.writableClient()).flags.disable(this.args.key, this.flags.reason);
    const flag = outcome.value;
    this.reportChange(outcome, `${flag.key} is now off for every tenant (${flag.enabled_tenants} tenants on)`, `${flag.key} is already off for every tenant`);
    this.printRecord(flag, FLAG_COLUMNS);
    return flag;
  }
}
