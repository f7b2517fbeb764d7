import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { RESTORE_COLUMNS } from '../../cli/columns.js';
import { confirmFlags, reasonFlag } from '../../cli/flags.js';
import type { RestoreResult } from '../../client/types.js';

export default class BackupsRestore extends BaseCommand<typeof BackupsRestore> {
  static override summary = 'Replace a tenant\'s rows with a backup\'s, in one transaction';
  static override description =
    'Touches no other tenant. Audit events, users and tokens are never restored; the tenant\'s status, plan, region and reseller stay as they are now (see README "Backups"). A damaged, foreign or other-schema backup is refused before anything changes (exit 6). --dry-run prints, per table, how many rows would be deleted, inserted, updated and left unchanged.';
  static override examples = [
    '<%= config.bin %> backups restore bak_01jf... --dry-run',
    '<%= config.bin %> backups restore bak_01jf... --confirm fibernet --reason "undo a bad import"',
  ];
  static override operation = 'restoreBackup';
  static override roles = ['master_admin', 'tenant_admin'] as const;
  static override args = { backup: Args.string({ description: 'backup id (bak_…)', required: true }) };
  static override flags = {
    'dry-run': Flags.boolean({ description: 'say what would change, and change nothing', default: false }),
    ...confirmFlags,
    ...reasonFlag,
  };

  async run(): Promise<RestoreResult> {
    const dryRun = this.flags['dry-run'];
    const client = dryRun ? await this.factory.client() : await this.writableClient();
    await this.checkRole();
    const backup = await client.backups.get(this.args.backup);
    const tenant = await client.tenants.get(backup.tenant_id);
    if (!dryRun) {
      await this.confirm({
        action: `replace every row of tenant "${tenant.slug}" with backup ${backup.id} of ${backup.created_at}`,
        expect: tenant.slug,
        yes: this.flags.yes,
        confirmFlag: this.flags.confirm,
      });
    }
    const outcome = await client.backups.restore(backup.id, { dry_run: dryRun }, this.flags.reason);
    const result = outcome.value;
    const sum = (key: 'deleted' | 'inserted' | 'updated') => result.tables.reduce((n, t) => n + t[key], 0);
    const counts = `${sum('deleted')} rows deleted, ${sum('inserted')} inserted, ${sum('updated')} updated`;
    if (dryRun) this.note(`Dry run of restoring ${backup.id} into ${tenant.slug}: ${counts.replace('rows deleted', 'rows would be deleted')}; nothing was changed`);
    else this.reportChange(outcome, `Restored ${backup.id} into ${tenant.slug}: ${counts}`, `${tenant.slug} already equals ${backup.id}`);
    this.printList(result.tables, RESTORE_COLUMNS);
    return result;
  }
}
