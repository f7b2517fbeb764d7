import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { writeConfig } from '../../cli/config.js';
import { useProfile } from '../../cli/profiles.js';

export default class ProfilesUse extends BaseCommand<typeof ProfilesUse> {
  static override summary = 'Make a saved profile the current one';
  static override args = { name: Args.string({ description: 'profile name', required: true }) };

  async run(): Promise<{ current: string; overridden_by: string[] }> {
    const cfg = await this.factory.config();
    await writeConfig(this.factory.configPath, useProfile(cfg, this.args.name));
    if (!this.jsonEnabled()) this.log(`Profile "${this.args.name}" is now current.`);
    // The saved choice changed, but this shell's environment still decides what its commands use.
    const env = process.env;
    const overriddenBy = ['DOTMAC_PROFILE', 'DOTMAC_API_URL', 'DOTMAC_TOKEN', 'DOTMAC_DB'].filter((name) => env[name] && !(name === 'DOTMAC_PROFILE' && env[name] === this.args.name));
    for (const name of overriddenBy) {
      const effect = name === 'DOTMAC_PROFILE' ? `commands here still use profile "${env[name]}"` : `it overrides profile "${this.args.name}"`;
      this.note(`Warning: ${name} is set in this environment, so ${effect}; unset ${name} to use the profile as saved`);
    }
    return { current: this.args.name, overridden_by: overriddenBy };
  }
}
