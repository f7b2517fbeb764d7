// The interactive quote builder: asks for what `quotes create` was not given, showing the running
// monthly total as choices are made, then the summary to confirm. Loaded (with @inquirer/prompts)
// only when prompting, so scripted runs stay fast. The prompt functions can be injected for tests.
import type { ApiClient } from '../client/api-client.js';
import type { CreateQuote, QuotePricing } from '../client/types.js';
import { formatCents } from '../core/money.js';
import { TERM_MONTHS } from '../server/modules/pricebook/book.js';
import { CliError, EXIT } from './errors.js';
import { terminalSafe } from './output.js';

export interface Prompts {
  select<T>(config: { message: string; choices: { name: string; value: T; description?: string }[]; default?: T }): Promise<T>;
  checkbox<T>(config: { message: string; choices: { name: string; value: T; checked?: boolean }[] }): Promise<T[]>;
  number(config: { message: string; default?: number; min?: number; max?: number; required?: boolean }): Promise<number | undefined>;
  input(config: { message: string; default?: string; required?: boolean }): Promise<string>;
  confirm(config: { message: string; default?: boolean }): Promise<boolean>;
}

export async function inquirerPrompts(): Promise<Prompts> {
  const prompts = await import('@inquirer/prompts');
  return prompts as unknown as Prompts;
}

/** Fills in the missing fields of `given`; refuses (exit 2) if the person does not confirm. */
export async function buildQuote(client: ApiClient, given: Partial<CreateQuote>, prompts: Prompts, say: (line: string) => void): Promise<CreateQuote> {
  const draft: Partial<CreateQuote> = { ...given };
  // the newest published book, which the server will price the quote from (names neutralised: server text)
  const book = await client.pricebooks.get();
  try {
    if (!draft.tenant && !draft.prospect_name) {
      const kind = await prompts.select({ message: 'Quote for', choices: [{ name: 'a prospect', value: 'prospect' as const }, { name: 'an existing tenant', value: 'tenant' as const }] });
      if (kind === 'tenant') draft.tenant = await prompts.input({ message: 'Tenant (slug or id)', required: true });
      else draft.prospect_name = await prompts.input({ message: 'Prospect name', required: true });
    }
    if (draft.prospect_name && !draft.prospect_email) draft.prospect_email = await prompts.input({ message: 'Prospect email', required: true });
    const running = async () => {
      if (!draft.plan || !draft.term_months || draft.subscribers === undefined) return undefined;
      const pricing = await client.quotes.preview({ plan: draft.plan, term_months: draft.term_months, subscribers: draft.subscribers, addons: draft.addons, discount_bps: draft.discount_bps, waive_setup: draft.waive_setup });
      say(`  monthly total so far: ${formatCents(pricing.monthly_cents, pricing.currency)} (first invoice ${formatCents(pricing.first_invoice_cents, pricing.currency)})`);
      for (const warning of pricing.warnings) say(`  warning: ${warning}`);
      return pricing;
    };
    draft.plan ??= await prompts.select({
      message: 'Plan',
      choices: book.plans.filter((p) => !p.quoted).map((p) => ({ name: `${terminalSafe(p.name)} — ${formatCents(p.platform_fee_cents ?? 0)}/month, ${p.included_subscribers.toLocaleString('en-US')} subscribers included`, value: p.code })),
    });
    draft.term_months ??= await prompts.select({
      message: 'Term',
      choices: TERM_MONTHS.map((months) => {
        const bps = book.terms.find((t) => t.months === months)?.discount_bps ?? 0;
        return { name: `${months} month${months > 1 ? 's' : ''}${bps ? ` (${bps / 100}% off)` : ''}`, value: months };
      }),
      default: 12,
    });
    if (draft.subscribers === undefined) {
      const plan = book.plans.find((p) => p.code === draft.plan);
      draft.subscribers = (await prompts.number({ message: `Subscribers${plan?.hard_cap ? ` (hard cap ${plan.hard_cap.toLocaleString('en-US')})` : ''}`, min: 0, max: 10_000_000, required: true })) ?? 0;
    }
    await running();
    if (given.addons === undefined) {
      draft.addons = await prompts.checkbox({
        message: 'Add-ons',
        choices: book.addons.filter((a) => !a.included_in.includes(draft.plan as never)).map((a) => ({ name: `${terminalSafe(a.name)} (${formatCents(a.monthly_cents)}/month)`, value: a.code })),
      });
      await running();
    }
    if (given.discount_bps === undefined) {
      draft.discount_bps = (await prompts.number({ message: 'Negotiated discount in bps (100 bps = 1%)', default: 0, min: 0, max: 4000 })) ?? 0;
    }
    const pricing = (await running()) as QuotePricing;
    say('');
    for (const line of pricing.lines) say(`  ${line.description.padEnd(44)} ${formatCents(line.amount_cents, pricing.currency).padStart(12)}`);
    say(`  ${'Monthly total'.padEnd(44)} ${formatCents(pricing.monthly_cents, pricing.currency).padStart(12)}`);
    say(`  ${'First invoice (first month + setup)'.padEnd(44)} ${formatCents(pricing.first_invoice_cents, pricing.currency).padStart(12)}`);
    if (pricing.needs_approval) say(`  needs approval: ${pricing.required_authority_bps} bps of authority, yours is ${pricing.your_authority_bps}`);
    if (!(await prompts.confirm({ message: 'Create this draft quote?', default: true }))) throw new CliError('not created; nothing was changed', undefined, EXIT.usage, 'cancelled');
  } catch (error) {
    // Ctrl-C in a prompt
    if ((error as Error).name === 'ExitPromptError') throw new CliError('cancelled; nothing was changed', undefined, EXIT.usage, 'cancelled');
    throw error;
  }
  return draft as CreateQuote;
}
