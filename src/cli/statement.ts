import type { CommissionStatement } from '../client/types.js';
import { dollars } from './columns.js';
import { renderList, terminalSafe, type Column } from './output.js';

// A commission statement as a file: CSV (one row per event, cents; cells guarded against formulas)
// or Markdown (for people: dollars, the rule behind each rate, the payouts and totals).

const ruleOf = (basis: Record<string, unknown>) => String(basis.description ?? '');

const CSV_COLUMNS: Column[] = [
  { key: 'id' },
  { key: 'type' },
  { key: 'period' },
  { key: 'tenant_id' },
  { key: 'invoice_id' },
  { key: 'base_cents' },
  { key: 'rate_bps' },
  { key: 'amount_cents' },
  { key: 'status' },
  { key: 'eligible_on' },
  { key: 'payout_id' },
  { key: 'rule', get: (row: { basis: Record<string, unknown> }) => ruleOf(row.basis) },
];

export function statementCsv(statement: CommissionStatement): string {
  return renderList(statement.events, CSV_COLUMNS, { format: 'csv', color: false });
}

/** Markdown table cell: no pipes or line breaks, and nothing a terminal would obey. */
const cell = (value: unknown) => terminalSafe(value === null || value === undefined ? '' : String(value)).replace(/\|/g, '\\|');

export function statementMarkdown(s: CommissionStatement): string {
  const lines = [
    `# Commission statement: ${cell(s.reseller_slug)}, ${s.period}`,
    '',
    `Issued ${s.issued_on}. Disputes are open for 60 days after it.`,
    '',
    '| event | type | tenant | invoice | base | rate (bps) | amount | status | eligible on | rule |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |',
    ...s.events.map((e) =>
      `| ${cell(e.id)} | ${e.type} | ${cell(e.tenant_id)} | ${cell(e.invoice_id)} | ${dollars(e.base_cents)} | ${e.rate_bps} | ${dollars(e.amount_cents)} | ${e.status} | ${e.eligible_on} | ${cell(ruleOf(e.basis))} |`,
    ),
    '',
    '## Payouts in the period',
    '',
    ...(s.payouts.length === 0
      ? ['None.']
      : ['| payout | run on | status | net | paid |', '| --- | --- | --- | ---: | ---: |', ...s.payouts.map((p) => `| ${cell(p.id)} | ${p.run_on} | ${p.status} | ${dollars(p.net_cents)} | ${dollars(p.amount_cents)} |`)]),
    '',
    '## Totals',
    '',
    `- Earned in ${s.period} (clawbacks netted, cancelled left out): ${dollars(s.totals.earned_cents)}`,
    `- Disputed: ${dollars(s.totals.disputed_cents)}`,
    `- Cancelled: ${dollars(s.totals.cancelled_cents)}`,
    `- Paid by this period's payout runs: ${dollars(s.totals.paid_cents)}`,
    `- Unpaid balance now: ${dollars(s.totals.unpaid_balance_cents)}`,
    '',
  ];
  return lines.join('\n');
}
