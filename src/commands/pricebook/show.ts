import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { PLAN_COLUMNS } from '../../cli/billing-columns.js';
import type { PriceBook } from '../../client/types.js';
import { formatCents } from '../../core/money.js';

export default class PricebookShow extends BaseCommand<typeof PricebookShow> {
  static override summary = 'Show a price book: plans, bands, allowances, overage, add-ons and terms (--json is the document)';
  static override examples = ['<%= config.bin %> pricebook show', '<%= config.bin %> pricebook show --version 2025.1 --json > pricebook.json'];
  static override flags = { version: Flags.string({ description: 'a published version (default: the newest)' }) };

  async run(): Promise<PriceBook> {
    const client = await this.factory.client();
    const book = await client.pricebooks.get(this.flags.version);
    if (this.jsonEnabled()) return book;
    this.log(`Price book ${book.version} (${book.currency}; trials ${book.trial_days} days; commitment is a billed floor from ${book.commitment_min_term_months} months)`);
    this.printList(book.plans.map((p) => ({ ...p, price_book_version: book.version, floor_cents: p.floor_cents ?? null })), PLAN_COLUMNS);
    this.log('');
    this.log('Allowances per month (overage):');
    for (const p of book.plans) {
      if (!p.allowances || !p.overage) {
        this.log(`  ${p.code}: by contract`);
        continue;
      }
      const a = p.allowances;
      const o = p.overage;
      this.log(`  ${p.code}: ${a.users} users (${formatCents(o.user_cents)} each over), ${a.devices} devices (${formatCents(o.device_cents)}), ${a.storage_gb} GB (${formatCents(o.storage_gb_cents)}), ${a.api_calls.toLocaleString('en-US')} API calls (${formatCents(o.api_calls_1k_cents)} per 1k)`);
    }
    this.log('Add-ons per month:');
    for (const a of book.addons) this.log(`  ${a.code}: ${formatCents(a.monthly_cents)}${a.included_in.length ? ` (included in ${a.included_in.join(', ')})` : ''}`);
    this.log(`Terms: ${book.terms.map((t) => `${t.months} month${t.months === 1 ? '' : 's'}${t.discount_bps ? ` −${t.discount_bps / 100} %` : ''}`).join(', ')}`);
    return book;
  }
}
