import { BaseCommand } from '../../cli/base-command.js';
import { usageError } from '../../cli/errors.js';
import { FLAG_COLUMNS } from '../../cli/flag-columns.js';
import { flagKeyArg, rolloutFlag, tenantListFlag } from '../../cli/flag-input.js';
import { reasonFlag } from '../../cli/flags.js';
import type { FeatureFlag } from '../../client/types.js';

export default class FlagsSet extends BaseCommand<typeof FlagsSet> {
  static override summary = 'Set who a flag is on for: a rollout percentage, tenants always on, tenants always off (master_admin)';
  static override description =
    'Each tenant has a fixed bucket per flag (from a hash of the flag key and the tenant id), so raising a rollout keeps every tenant already on, on. ' +
    '--tenants and --except replace their lists (an empty value clears one); a tenant in --except is off whatever else says. Tenants are named by slug or id.';
  static override examples = [
    '<%= config.bin %> flags set new-billing --rollout 10',
    '<%= config.bin %> flags set new-billing --rollout 12.5 --tenants acme,fibernet --except slowisp',
    '<%= config.bin %> flags set new-billing --except ""',
  ];
  static override args = flagKeyArg;
  static override flags = {
    rollout: rolloutFlag(),
    tenants: tenantListFlag('comma-separated tenant slugs or ids the flag is always on for ("" clears the list)')(),
    except: tenantListFlag('comma-separated tenant slugs or ids the flag is always off for; beats --tenants and the rollout ("" clears the list)')(),
    ...reasonFlag,
  };

  async run(): Promise<FeatureFlag> {
    const { rollout, tenants, except } = this.flags;
    if (rollout === undefined && tenants === undefined && except === undefined) {
      throw usageError('name what to change: --rollout, --tenants or --except', `e.g. \`dotmac flags set ${this.args.key} --rollout 10\``);
    }
    const outcome = await (await this.writableClient()).flags.set(this.args.key, { rollout, tenants, except }, this.flags.reason);
    const flag = outcome.value;
    this.reportChange(outcome, `${flag.key} is now on for ${flag.enabled_tenants} tenants (rollout ${flag.rollout} %)`, `${flag.key} already is so`);
    this.printRecord(flag, FLAG_COLUMNS);
    return flag;
  }
}
