import { BaseCommand } from '../../cli/base-command.js';
import { FLAG_COLUMNS } from '../../cli/flag-columns.js';
import { flagKeyArg } from '../../cli/flag-input.js';
import { reasonFlag } from '../../cli/flags.js';
import type { FeatureFlag } from '../../client/types.js';

export default class FlagsEnable extends BaseCommand<typeof FlagsEnable> {
  static override summary = 'Turn a flag on for every tenant: rollout 100 %, tenant lists cleared (master_admin)';
  static override examples = ['<%= config.bin %> flags enable new-billing --reason "rollout done"'];
  static override args = flagKeyArg;
  static override flags = { ...reasonFlag };

  async run(): Promise<FeatureFlag> {
    const outcome = await (await this.writableClient()).flags.enable(this.args.key, this.flags.reason);
    const flag = outcome.value;
    this.reportChange(outcome, `${flag.key} is now on for every tenant (${flag.enabled_tenants} tenants on)`, `${flag.key} is already on for every tenant`);
    this.printRecord(flag, FLAG_COLUMNS);
    return flag;
  }
}
