import { Args, Flags } from '@oclif/core';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { BaseCommand } from '../../cli/base-command.js';
import { CliError, EXIT } from '../../cli/errors.js';
import { writeNewFile } from '../../cli/new-file.js';

interface DownloadResult {
  backup_id: string;
  out: string;
  size: number;
  checksum: string;
}

export default class BackupsDownload extends BaseCommand<typeof BackupsDownload> {
  static override summary = 'Copy a backup\'s compressed document to a new file (gzip, readable by its owner only)';
  static override description =
    'The file is created 0600 and never overwrites: an existing file or a symlink at --out is refused. The bytes are checked against the backup\'s SHA-256 before they are written. `gunzip -c FILE` shows the JSON document.';
  static override examples = ['<%= config.bin %> backups download bak_01jf... --out fibernet.json.gz'];
  static override args = { backup: Args.string({ description: 'backup id (bak_…)', required: true }) };
  static override flags = { out: Flags.string({ char: 'o', description: 'file to write (must not exist)', required: true }) };

  async run(): Promise<DownloadResult> {
    const out = resolve(this.flags.out);
    const content = await (await this.factory.client()).backups.download(this.args.backup);
    const bytes = Buffer.from(content.content, 'base64');
    if (createHash('sha256').update(bytes).digest('hex') !== content.checksum) {
      throw new CliError(`backup ${content.backup_id} arrived damaged (its checksum does not match); nothing was written`, `run \`dotmac backups verify ${content.backup_id}\``, EXIT.conflict, 'backup_invalid');
    }
    writeNewFile(out, bytes, 'choose another --out; a download never overwrites');
    this.note(`Wrote ${content.backup_id} to ${out} (${bytes.length} bytes, sha256 ${content.checksum})`);
    return { backup_id: content.backup_id, out, size: bytes.length, checksum: content.checksum };
  }
}
