import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../cli/base-command.js';
import { normalizeApi, writeConfig } from '../cli/config.js';
import { clientFor } from '../cli/factory.js';
import { saveProfile } from '../cli/profiles.js';
import { tokenFlags, tokenFromInput } from '../cli/token-input.js';
import type { Me } from '../client/types.js';

export default class Login extends BaseCommand<typeof Login> {
  static override summary = 'Save an API URL and token as a profile, after checking the token works';
  static override description =
    'The token is read from standard input with --with-token, or taken from DOTMAC_TOKEN. A profile that names another API or database, or is read-only, is replaced only with --force.';
  static override examples = [
    '<%= config.bin %> login --api https://api.dotmac.example --with-token --profile prod < token.txt',
    'echo "$TOKEN" | <%= config.bin %> login --api https://api.dotmac.example --with-token',
  ];
  static override flags = {
    api: Flags.string({ description: 'API URL, or "local" for this machine\'s workspace', required: true }),
    ...tokenFlags,
    db: Flags.string({ description: 'with --api local: the workspace database file' }),
    'read-only': Flags.boolean({ description: 'refuse every mutating command with this profile', default: false }),
    force: Flags.boolean({ description: 'replace a profile of the same name that names another API or database, or is read-only', default: false }),
  };

  async run(): Promise<Me & { profile: string }> {
    const name = this.flags.profile ?? 'default';
    const { api, note } = normalizeApi(this.flags.api);
    if (note) this.note(`Note: ${note}`);
    const token = await tokenFromInput(this.flags, process.env, (line) => this.note(line));
    const profile = { api, token, db: this.flags.db === undefined ? undefined : resolve(this.flags.db), readOnly: this.flags['read-only'] || undefined };
    // Refused before anything is sent: a profile that names another place is not replaced by accident.
    const saved = saveProfile(await this.factory.config(), name, profile, { makeCurrent: true, force: this.flags.force });
    const client = await clientFor({ name, ...profile });
    try {
      const me = await client.me();
      await writeConfig(this.factory.configPath, saved.cfg);
      this.note(saved.message);
      if (!this.jsonEnabled()) this.log(`Logged in to ${client.transport.target} as ${me.email} (${me.role}); profile "${name}" is now current.`);
      return { ...me, profile: name };
    } finally {
      await client.transport.close();
    }
  }
}
