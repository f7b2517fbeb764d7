import { BaseCommand } from '../../cli/base-command.js';
import { CliError, EXIT } from '../../cli/errors.js';
import type { ChainCheck } from '../../client/types.js';

export default class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override summary = 'Recompute the audit hash chain; exits 1 if any event was altered';

  async run(): Promise<ChainCheck> {
    const check = await (await this.factory.client()).audit.verify();
    if (!check.ok) throw new CliError(`audit chain broken at event ${check.broken_at}: ${check.problem}`, 'restore the database from a backup and investigate', EXIT.error, 'audit_broken');
    if (!this.jsonEnabled()) this.log(`Audit chain intact: ${check.checked} events, head ${check.head_hash.slice(0, 16)}…`);
    return check;
  }
}
