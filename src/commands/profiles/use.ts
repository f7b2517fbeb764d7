import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { useProfile, writeConfig } from '../../cli/config.js';

export default class ProfilesUse extends BaseCommand<typeof ProfilesUse> {
  static override summary = 'Make a saved profile the current one';
  static override args = { name: Args.string({ description: 'profile name', required: true }) };

  async run(): Promise<{ current: string }> {
    const cfg = await this.factory.config();
    await writeConfig(this.factory.configPath, useProfile(cfg, this.args.name));
    if (!this.jsonEnabled()) this.log(`Profile "${this.args.name}" is now current.`);
    return { current: this.args.name };
  }
}
