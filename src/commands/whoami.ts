import { BaseCommand } from '../cli/base-command.js';
import type { Me } from '../client/types.js';

type WhoAmI = Me & { profile: string; api: string; api_source: string; token_source: string | null; read_only: boolean };

export default class Whoami extends BaseCommand<typeof Whoami> {
  static override summary = 'Show who the active profile\'s token speaks for, and where the API and token came from';
  static override examples = ['<%= config.bin %> whoami', '<%= config.bin %> whoami --profile acme --json'];

  async run(): Promise<WhoAmI> {
    const profile = await this.factory.profile();
    const me = await (await this.factory.client()).me();
    const out = { profile: profile.name, api: profile.api, api_source: profile.apiSource, token_source: profile.tokenSource, read_only: profile.readOnly, ...me };
    this.printRecord(out, [
      { key: 'profile' },
      { key: 'api' },
      { key: 'api_source', header: 'api from' },
      { key: 'token_source', header: 'token from' },
      { key: 'email' },
      { key: 'role' },
      { key: 'tenant_slug', header: 'tenant' },
      { key: 'reseller_slug', header: 'reseller' },
      { key: 'expires_at', header: 'expires' },
      { key: 'read_only', header: 'read-only', get: (row: WhoAmI) => (row.read_only ? 'yes' : 'no') },
    ]);
    return out;
  }
}
