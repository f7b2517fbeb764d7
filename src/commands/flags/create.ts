import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { FLAG_COLUMNS } from '../../cli/flag-columns.js';
import { flagKeyArg } from '../../cli/flag-input.js';
import { reasonFlag } from '../../cli/flags.js';
import type { FeatureFlag } from '../../client/types.js';

export default class FlagsCreate extends BaseCommand<typeof FlagsCreate> {
  static override summary = 'Create a feature flag, off for every tenant (master_admin)';
  static override description = 'A key is a lower-case letter, then up to 63 lower-case letters, digits, "_", "." or "-". Turn it on with `flags enable` or `flags set`.';
  static override examples = ['<%= config.bin %> flags create new-billing --description "The new invoice layout"'];
  static override apiFields = { key: 'KEY' };
  static override args = flagKeyArg;
  static override flags = {
    description: Flags.string({ description: 'what the flag turns on' }),
    ...reasonFlag,
  };

  async run(): Promise<FeatureFlag> {
    const flag = await (await this.writableClient()).flags.create({ key: this.args.key, description: this.flags.description }, this.flags.reason);
    this.note(`Created flag ${flag.key}, off for every tenant; turn it on with \`dotmac flags enable ${flag.key}\` or \`dotmac flags set ${flag.key} --rollout 10\``);
    this.printRecord(flag, FLAG_COLUMNS);
    return flag;
  }
}
