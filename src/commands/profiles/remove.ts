import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { writeConfig } from '../../cli/config.js';
import { removeProfile } from '../../cli/profiles.js';

export default class ProfilesRemove extends BaseCommand<typeof ProfilesRemove> {
  static override summary = 'Delete a saved profile (the workspace or server it names is not touched)';
  static override args = { name: Args.string({ description: 'profile name', required: true }) };

  async run(): Promise<{ removed: string }> {
    const cfg = await this.factory.config();
    await writeConfig(this.factory.configPath, removeProfile(cfg, this.args.name));
    if (!this.jsonEnabled()) this.log(`Removed profile "${this.args.name}".`);
    return { removed: this.args.name };
  }
}
