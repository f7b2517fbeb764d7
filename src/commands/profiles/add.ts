import { Args, Flags } from '@oclif/core';
import { dirname, resolve } from 'node:path';
import { BaseCommand } from '../../cli/base-command.js';
import { parseApi, upsertProfile, writeConfig, type Profile } from '../../cli/config.js';
import { usageError } from '../../cli/errors.js';

export default class ProfilesAdd extends BaseCommand<typeof ProfilesAdd> {
  static override summary = 'Save a profile: an API (local workspace or URL) and a token';
  static override examples = [
    '<%= config.bin %> profiles add acme --api local --token "$RESELLER_TOKEN"',
    '<%= config.bin %> profiles add prod --api https://api.dotmac.example --token "$TOKEN" --read-only',
  ];
  static override args = { name: Args.string({ description: 'profile name', required: true }) };
  static override flags = {
    api: Flags.string({ description: '"local" or an http(s) URL', required: true }),
    token: Flags.string({ description: 'the role token (JWT)', required: true }),
    db: Flags.string({ description: 'with --api local: the workspace database (default: the current profile\'s)' }),
    'read-only': Flags.boolean({ description: 'refuse every mutating command with this profile', default: false }),
    use: Flags.boolean({ description: 'also make it the current profile', default: false }),
  };

  async run(): Promise<{ name: string; api: string; db: string | null; read_only: boolean; current: boolean }> {
    const api = parseApi(this.flags.api);
    const cfg = await this.factory.config();
    const profile: Profile = { api, token: this.flags.token };
    if (api === 'local') {
      const fallback = cfg.current ? cfg.profiles[cfg.current] : undefined;
      const db = this.flags.db ? resolve(this.flags.db) : fallback?.api === 'local' ? fallback.db : undefined;
      if (!db) throw usageError('--db is required with --api local when no local profile is current', 'pass --db PATH to the workspace database');
      profile.db = db;
      profile.dataDir = this.flags.db ? dirname(db) : (fallback?.dataDir ?? dirname(db));
    } else if (this.flags.db) {
      throw usageError('--db goes only with --api local');
    }
    if (this.flags['read-only']) profile.readOnly = true;
    await writeConfig(this.factory.configPath, upsertProfile(cfg, this.args.name, profile, { makeCurrent: this.flags.use }));
    if (!this.jsonEnabled()) this.log(`Saved profile "${this.args.name}" (${api === 'local' ? `local workspace ${profile.db}` : api}).`);
    return { name: this.args.name, api, db: profile.db ?? null, read_only: !!profile.readOnly, current: this.flags.use };
  }
}
