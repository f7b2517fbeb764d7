import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { usageError } from '../../cli/errors.js';
import { writeNewFile } from '../../cli/new-file.js';
import { statementCsv, statementMarkdown } from '../../cli/statement.js';
import type { CommissionStatement } from '../../client/types.js';

export default class PayoutsStatement extends BaseCommand<typeof PayoutsStatement> {
  static override summary = 'Write a reseller\'s commission statement for a period, as CSV or Markdown';
  static override description = 'Every event of the period with its base, rate, the rule that chose the rate and its invoice, the period\'s payouts, and the totals. The file is new (never overwritten), mode 0600.';
  static override examples = ['<%= config.bin %> payouts statement --reseller acme --period 2026-03 --format md --out acme-2026-03.md'];
  static override flags = {
    reseller: Flags.string({ description: 'reseller slug or id (a reseller token: its own)', required: true }),
    period: Flags.string({ description: 'the period, YYYY-MM', required: true }),
    format: Flags.string({ description: 'file format', options: ['csv', 'md'], required: true }),
    out: Flags.string({ description: 'the file to write (must not exist)', required: true }),
  };

  async run(): Promise<CommissionStatement> {
    const f = this.flags;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(f.period)) throw usageError(`--period "${f.period}" is not a period`, 'give it as YYYY-MM, e.g. 2026-03');
    const statement = await (await this.factory.client()).resellers.statement(f.reseller, f.period);
    const text = f.format === 'csv' ? statementCsv(statement) : statementMarkdown(statement);
    writeNewFile(f.out, Buffer.from(text, 'utf8'), 'choose another --out; a statement never overwrites');
    this.note(`Wrote ${f.out}: ${statement.events.length} event${statement.events.length === 1 ? '' : 's'} of ${statement.period} for ${statement.reseller_slug}`);
    return statement;
  }
}
