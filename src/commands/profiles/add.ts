import { Args, Flags } from '@oclif/core';
import { dirname, resolve } from 'node:path';
import { BaseCommand } from '../../cli/base-command.js';
import { normalizeApi, writeConfig, type Profile } from '../../cli/config.js';
import { usageError } from '../../cli/errors.js';
import { saveProfile } from '../../cli/profiles.js';
import { tokenFlags, tokenFromInput } from '../../cli/token-input.js';

export default class ProfilesAdd extends BaseCommand<typeof ProfilesAdd> {
  static override summary = 'Save a profile: an API (local workspace or URL) and a token';
  static override description =
    'The token is read from standard input with --with-token, or taken from DOTMAC_TOKEN. A profile that names another API or database, or is read-only, is replaced only with --force.';
  static override examples = [
    '<%= config.bin %> tokens create --role reseller --reseller acme --json | jq -r .token | <%= config.bin %> profiles add acme --api local --with-token',
    'DOTMAC_TOKEN=... <%= config.bin %> profiles add prod --api https://api.dotmac.example --read-only',
  ];
  static override args = { name: Args.string({ description: 'profile name', required: true }) };
  static override flags = {
    api: Flags.string({ description: '"local" or an http(s) URL', required: true }),
    ...tokenFlags,
    db: Flags.string({ description: 'with --api local: the workspace database (default: the current profile\'s)' }),
    'read-only': Flags.boolean({ description: 'refuse every mutating command with this profile', default: false }),
    use: Flags.boolean({ description: 'also make it the current profile', default: false }),
    force: Flags.boolean({ description: 'replace a profile of the same name that names another API or database, or is read-only', default: false }),
  };

  async run(): Promise<{ name: string; api: string; db: string | null; read_only: boolean; current: boolean }> {
    const { api, note } = normalizeApi(this.flags.api);
    if (note) this.note(`Note: ${note}`);
    const cfg = await this.factory.config();
    const profile: Profile = { api };
    if (api === 'local') {
      const fallback = cfg.current ? cfg.profiles[cfg.current] : undefined;
      const db = this.flags.db ? resolve(this.flags.db) : fallback?.api === 'local' ? fallback.db : undefined;
      if (!db) throw usageError('--db is required with --api local when no local profile is current', 'pass --db PATH to the workspace database');
      profile.db = db;
      profile.dataDir = this.flags.db ? dirname(db) : (fallback?.dataDir ?? dirname(db));
    } else if (this.flags.db) {
      throw usageError('--db goes only with --api local');
    }
    profile.token = await tokenFromInput(this.flags, process.env, (line) => this.note(line));
    if (this.flags['read-only']) profile.readOnly = true;
    const saved = saveProfile(cfg, this.args.name, profile, { makeCurrent: this.flags.use, force: this.flags.force });
    await writeConfig(this.factory.configPath, saved.cfg);
    if (this.jsonEnabled()) this.note(saved.message);
    else this.log(saved.message);
    const current = saved.cfg.current === this.args.name;
    return { name: this.args.name, api, db: profile.db ?? null, read_only: !!profile.readOnly, current };
  }
}
