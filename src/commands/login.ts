import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { parseApi, upsertProfile, writeConfig } from '../cli/config.js';
import { clientFor } from '../cli/factory.js';
import type { Me } from '../client/types.js';

export default class Login extends BaseCommand<typeof Login> {
  static override summary = 'Save an API URL and token as a profile, after checking the token works';
  static override examples = ['<%= config.bin %> login --api https://api.dotmac.example --token "$TOKEN" --profile prod'];
  static override flags = {
    api: Flags.string({ description: 'API URL, or "local" for this machine\'s workspace', required: true }),
    token: Flags.string({ description: 'the role token (JWT)', required: true }),
    db: Flags.string({ description: 'with --api local: the workspace database file' }),
    'read-only': Flags.boolean({ description: 'refuse every mutating command with this profile', default: false }),
  };

  async run(): Promise<Me & { profile: string }> {
    const name = this.flags.profile ?? 'default';
    const api = parseApi(this.flags.api);
    const profile = { api, token: this.flags.token, db: this.flags.db, readOnly: this.flags['read-only'] || undefined };
    const client = await clientFor({ name, ...profile, readOnly: !!profile.readOnly });
    try {
      const me = await client.me();
      const cfg = await this.factory.config();
      await writeConfig(this.factory.configPath, upsertProfile(cfg, name, profile, { makeCurrent: true }));
      if (!this.jsonEnabled()) this.log(`Logged in to ${client.transport.target} as ${me.email} (${me.role}); profile "${name}" is now current.`);
      return { ...me, profile: name };
    } finally {
      await client.transport.close();
    }
  }
}
