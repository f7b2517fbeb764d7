import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../cli/base-command.js';
import { defaultDataDir } from '../cli/config.js';
import { createLocalWorkspace, DEMO_TENANTS } from '../cli/workspace.js';
import { loadServer } from '../server/load.js';

interface InitOutput {
  created: boolean;
  dir: string;
  db: string;
  profile: string | null;
  seeded: { resellers: number; tenants: number } | null;
  /** only for PostgreSQL, where no local profile can hold it */
  token?: string;
}

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Create a local workspace: database, signing key, admin token and a `local` profile';
  static override description =
    'Safe to run again: an existing workspace is left untouched. The profile is named by --profile (default: local).';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --demo', '<%= config.bin %> init --demo --tenants 10000 --dir /tmp/ws'];
  static override flags = {
    dir: Flags.string({ description: 'workspace directory (default: $XDG_DATA_HOME/dotmac)', env: 'DOTMAC_HOME' }),
    demo: Flags.boolean({ description: 'seed realistic demo data: resellers and tenants in every status and plan', default: false }),
    tenants: Flags.integer({ description: 'how many demo tenants (implies --demo)', min: 1, max: 1_000_000 }),
    'database-url': Flags.string({ description: 'initialise a PostgreSQL database for `server start` instead of a local SQLite file', env: 'DATABASE_URL' }),
  };

  async run(): Promise<InitOutput> {
    const dir = resolve(this.flags.dir ?? defaultDataDir(process.env));
    const demoTenants = this.flags.tenants ?? (this.flags.demo ? DEMO_TENANTS : undefined);
    const databaseUrl = this.flags['database-url'];
    const result = databaseUrl
      ? { ...(await (await loadServer()).initWorkspace(dir, { demoTenants, databaseUrl })), profile: null, notice: undefined }
      : await createLocalWorkspace(this.factory, dir, { profile: this.flags.profile, demoTenants });
    if (!result.created) {
      this.note(`A workspace already exists at ${dir}; nothing was changed.`);
      return { created: false, dir, db: result.db, profile: null, seeded: null };
    }
    if (databaseUrl) {
      // Local mode is SQLite only: a PostgreSQL workspace is used through `server start`.
      this.note(`Initialised PostgreSQL and the signing key in ${dir}. Start the API with:`);
      this.note(`  dotmac server start --dir ${dir} --database-url <url>`);
      this.note('then log in with this master_admin token (shown once):');
      if (!this.jsonEnabled()) this.log(result.token);
      return { created: true, dir, db: 'postgres', profile: null, seeded: result.seeded ?? null, token: result.token };
    }
    if (result.notice) this.note(result.notice);
    if (!this.jsonEnabled()) {
      this.log(`Created workspace ${dir}`);
      if (result.seeded) this.log(`Seeded ${result.seeded.tenants} tenants and ${result.seeded.resellers} resellers`);
      this.log(`Profile "${result.profile}" (master_admin) is now current. Try: dotmac tenants list`);
    }
    return { created: true, dir, db: result.db, profile: result.profile, seeded: result.seeded ?? null };
  }
}
