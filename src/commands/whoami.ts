import { BaseCommand } from '../cli/base-command.js';
import type { Me } from '../client/types.js';

export default class Whoami extends BaseCommand<typeof Whoami> {
  static override summary = 'Show who the active profile\'s token speaks for';
  static override examples = ['<%= config.bin %> whoami', '<%= config.bin %> whoami --profile acme --json'];

  async run(): Promise<Me & { profile: string; api: string }> {
    const profile = await this.factory.profile();
    const me = await (await this.factory.client()).me();
    const out = { profile: profile.name, api: profile.api, ...me };
    this.printRecord(out, [
      { key: 'profile' },
      { key: 'api' },
      { key: 'email' },
      { key: 'role' },
      { key: 'tenant_slug', header: 'tenant' },
      { key: 'reseller_slug', header: 'reseller' },
      { key: 'expires_at', header: 'expires' },
    ]);
    return out;
  }
}
