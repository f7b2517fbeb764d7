import { BaseCommand } from '../../cli/base-command.js';
import { FLAG_COLUMNS } from '../../cli/flag-columns.js';
import { flagKeyArg } from '../../cli/flag-input.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { FeatureFlag } from '../../client/types.js';

export default class FlagsDelete extends BaseCommand<typeof FlagsDelete> {
  static override summary = 'Delete a feature flag; instances then see it no more (master_admin)';
  static override examples = ['<%= config.bin %> flags delete new-billing --yes', '<%= config.bin %> flags delete new-billing --confirm new-billing --reason "shipped"'];
  static override operation = 'deleteFlag';
  static override roles = ['master_admin'] as const;
  static override args = flagKeyArg;
  static override flags = { ...confirmFlags, ...reasonFlag };

  async run(): Promise<FeatureFlag> {
    const client = await this.writableClient();
    await this.confirm({ action: `delete flag "${this.args.key}"`, expect: this.args.key, yes: this.flags.yes, confirmFlag: this.flags.confirm });
    const flag = await client.flags.delete(this.args.key, this.flags.reason);
    this.note(`Deleted flag ${flag.key} (it was on for ${flag.enabled_tenants} tenants)`);
    this.printRecord(flag, FLAG_COLUMNS);
    return flag;
  }
}
