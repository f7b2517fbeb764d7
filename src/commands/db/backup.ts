import { Flags } from '@oclif/core';
import { dirname, resolve } from 'node:path';
import { BaseCommand } from '../../cli/base-command.js';
import { CliError, EXIT } from '../../cli/errors.js';
import { pathExists } from '../../core/workspace-files.js';
import { locateWorkspace } from '../../cli/workspace.js';

export default class DbBackup extends BaseCommand<typeof DbBackup> {
  static override summary = 'Copy the SQLite database with the online backup API, then check the copy\'s integrity';
  static override description = 'Safe while a server or other commands are writing: SQLite copies a consistent snapshot.';
  static override examples = ['<%= config.bin %> db backup --out backups/dotmac-$(date +%F).db'];
  static override flags = {
    out: Flags.string({ char: 'o', description: 'file to write (must not exist)', required: true }),
    db: Flags.string({ description: 'SQLite database file (default: the current local profile\'s)', env: 'DOTMAC_DB' }),
    dir: Flags.string({ description: 'workspace directory', env: 'DOTMAC_HOME' }),
  };

  async run(): Promise<{ source: string; out: string; bytes: number; pages: number; integrity: string }> {
    const source = (await locateWorkspace(this.factory, this.flags)).db;
    const out = resolve(this.flags.out);
    if (!(await pathExists(source))) throw new CliError(`no database at ${source}`, 'run `dotmac init`, or pass --db', EXIT.notFound, 'not_found');
    if (!(await pathExists(dirname(out)))) {
      throw new CliError(`the directory ${dirname(out)} does not exist`, 'create it first, or choose another --out', EXIT.usage, 'usage');
    }
    if (await pathExists(out)) throw new CliError(`${out} already exists`, 'choose another --out; a backup never overwrites', EXIT.conflict, 'conflict');
    const { default: SQLite } = await import('better-sqlite3');
    const { stat, rm } = await import('node:fs/promises');
    const db = new SQLite(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
    let pages = 0;
    try {
      await db.backup(out, { progress: ({ totalPages }) => ((pages = totalPages), 256) });
    } finally {
      db.close();
    }
    const copy = new SQLite(out, { readonly: true, fileMustExist: true });
    let integrity: string;
    try {
      integrity = String(copy.pragma('integrity_check', { simple: true }));
    } finally {
      copy.close();
    }
    if (integrity !== 'ok') {
      await rm(out, { force: true });
      throw new CliError(`the backup failed its integrity check (${integrity}); it was removed`, 'check the disk and try again', EXIT.error, 'backup_corrupt');
    }
    const bytes = (await stat(out)).size;
    if (!this.jsonEnabled()) this.log(`Backed up ${source} to ${out} (${bytes} bytes, integrity ok)`);
    return { source, out, bytes, pages, integrity };
  }
}
