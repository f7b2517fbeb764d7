import { basename, dirname, join } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { locateWorkspace } from '../../cli/workspace.js';
import { loadServer } from '../../server/load.js';
import { CliError, EXIT } from '../../cli/errors.js';
import { pathExists } from '../../core/workspace-files.js';

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override summary = 'Bring a database up to the latest schema (forward-only)';
  static override description =
    'On PostgreSQL, run it with the URL of the user that owns the schema: it also creates the role dotmac_app (if the cluster has none yet), ' +
    'grants it what the API needs, and holds every tenant-owned table to row-level security, which servers then run under. ' +
    'Given the workspace (--dir, for a PostgreSQL URL), it also seals configuration secrets written before they were sealed and rewrites the space their plain values left, which on PostgreSQL only the owner may.';
  static override examples = ['<%= config.bin %> db migrate', '<%= config.bin %> db migrate --database-url postgres://postgres@127.0.0.1/dotmac'];
  static override flags = {
    db: Flags.string({ description: 'SQLite database file (default: the workspace\'s)', env: 'DOTMAC_DB', exclusive: ['database-url'] }),
    'database-url': Flags.string({ description: 'PostgreSQL URL', env: 'DATABASE_URL' }),
    dir: Flags.string({ description: 'workspace directory (its audit-key seals configuration secrets)', env: 'DOTMAC_HOME' }),
  };

  async run(): Promise<{ applied: string[]; current: string | null }> {
    const f = this.flags;
    const { connect, migrateToLatest, ensureMigrated, sealSecretsAsOwner } = await loadServer();
    const { db: path, key } = await locateWorkspace(this.factory, f);
    // SQLite would create an empty file, a database with no signing key or admin token beside it.
    if (!f['database-url']) {
      if (!(await pathExists(path))) {
        throw new CliError(`no database at ${path}`, 'run `dotmac init` to create a workspace, or pass --db / --dir', EXIT.notFound, 'not_found');
      }
    }
    const connection = await connect(f['database-url'] ? { dialect: 'postgres', url: f['database-url'] } : { dialect: 'sqlite', path });
    try {
      const report = await migrateToLatest(connection.db);
      await ensureMigrated(connection);
      // the audit key of a SQLite file is the one beside it; a PostgreSQL database's is the workspace's named by --dir, never a local default's
      const notYet = await sealSecretsAsOwner(connection, f['database-url'] ? (f.dir ? key : undefined) : join(dirname(path), basename(key)));
      if (notYet) this.note(`Note: ${notYet}`);
      if (!this.jsonEnabled()) {
        this.log(report.applied.length ? `Applied: ${report.applied.join(', ')}` : 'Already up to date.');
        this.log(`Schema version: ${report.current ?? 'none'}`);
      }
      return report;
    } finally {
      await connection.close();
    }
  }
}
