import { Flags } from '@oclif/core';
import { chmodSync, closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BaseCommand } from '../../cli/base-command.js';
import { CliError, EXIT } from '../../cli/errors.js';
import { createNewFile } from '../../cli/new-file.js';
import { pathExists } from '../../core/workspace-files.js';
import { locateWorkspace } from '../../cli/workspace.js';

interface BackupResult {
  source: string;
  out: string;
  bytes: number;
  pages: number;
  integrity: string;
}

export default class DbBackup extends BaseCommand<typeof DbBackup> {
  static override summary = 'Copy the SQLite database with the online backup API, then check the copy\'s integrity';
  static override description =
    'Safe while a server or other commands are writing: SQLite copies a consistent snapshot. The copy is one self-contained file, readable by its owner only (0600); an existing file or symlink at --out is never written through.';
  static override examples = ['<%= config.bin %> db backup --out backups/dotmac-$(date +%F).db'];
  static override flags = {
    out: Flags.string({ char: 'o', description: 'file to write (must not exist)', required: true }),
    db: Flags.string({ description: 'SQLite database file (default: the current local profile\'s)', env: 'DOTMAC_DB' }),
    dir: Flags.string({ description: 'workspace directory', env: 'DOTMAC_HOME' }),
  };

  async run(): Promise<BackupResult> {
    const source = (await locateWorkspace(this.factory, this.flags)).db;
    const out = resolve(this.flags.out);
    if (!(await pathExists(source))) throw new CliError(`no database at ${source}`, 'run `dotmac init`, or pass --db', EXIT.notFound, 'not_found');
    if (!(await pathExists(dirname(out)))) {
      throw new CliError(`the directory ${dirname(out)} does not exist`, 'create it first, or choose another --out', EXIT.usage, 'usage');
    }
    const placeholder = reserve(out);
    // SQLite writes the copy (and its journal) in a private directory beside --out, never at a path
    // someone else could have prepared; the finished file is then renamed over the reservation.
    const staging = mkdtempSync(join(dirname(out), `.${basename(out)}.`));
    try {
      const copy = join(staging, 'copy.db');
      const { pages, integrity } = await snapshot(source, copy);
      if (integrity !== 'ok') {
        throw new CliError(`the backup failed its integrity check (${integrity}); nothing was kept`, 'check the disk and try again', EXIT.error, 'backup_corrupt');
      }
      const bytes = statSync(copy).size;
      chmodSync(copy, 0o600);
      renameSync(copy, out);
      if (!this.jsonEnabled()) this.log(`Backed up ${source} to ${out} (${bytes} bytes, integrity ok)`);
      return { source, out, bytes, pages, integrity };
    } catch (error) {
      placeholder.release();
      throw error;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
}

/** Claims --out: created here, 0600, refusing an existing file or any symlink (even a dangling one). */
function reserve(out: string): { release(): void } {
  const fd = createNewFile(out, 'choose another --out; a backup never overwrites');
  const { dev, ino } = statSync(out);
  closeSync(fd);
  return {
    release() {
      // only our own empty reservation is removed, never what someone put in its place
      const now = statSync(out, { throwIfNoEntry: false });
      if (now && now.dev === dev && now.ino === ino) unlinkSync(out);
    },
  };
}

/** The online backup, made self-contained (rollback journal, no -wal/-shm), checked, and synced to disk. */
async function snapshot(source: string, copy: string): Promise<{ pages: number; integrity: string }> {
  const { default: SQLite } = await import('better-sqlite3');
  const db = new SQLite(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  let pages = 0;
  try {
    await db.backup(copy, { progress: ({ totalPages }) => ((pages = totalPages), 256) });
  } finally {
    db.close();
  }
  const check = new SQLite(copy, { fileMustExist: true });
  let integrity: string;
  try {
    check.pragma('journal_mode = DELETE');
    integrity = String(check.pragma('integrity_check', { simple: true }));
  } finally {
    check.close();
  }
  const fd = openSync(copy, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { pages, integrity };
}
