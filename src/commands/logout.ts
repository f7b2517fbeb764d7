import { BaseCommand } from '../cli/base-command.js';
import { writeConfig } from '../cli/config.js';
import { upsertProfile } from '../cli/profiles.js';

export default class Logout extends BaseCommand<typeof Logout> {
  static override summary = 'Forget the token of the current (or --profile) profile';
  static override examples = ['<%= config.bin %> logout', '<%= config.bin %> logout --profile prod'];

  async run(): Promise<{ profile: string }> {
    const profile = await this.factory.profile();
    const cfg = await this.factory.config();
    const saved = cfg.profiles[profile.name];
    if (saved) {
      const { token: _dropped, ...rest } = saved;
      await writeConfig(this.factory.configPath, upsertProfile(cfg, profile.name, rest));
    }
    if (!this.jsonEnabled()) this.log(`Logged out of profile "${profile.name}".`);
    return { profile: profile.name };
  }
}
