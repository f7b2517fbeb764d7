import type { BrandingField, BrandingValues } from './schema.js';
import { WHITE_LABEL_FIELDS } from './schema.js';

export const WHITE_LABEL_ADDON = 'white-label';

/** What a tenant holds, for white-label: its plan and add-ons in force, and the plans that include the add-on. */
export interface Holding {
  plan: string;
  addons: readonly string[];
  /** the plans whose price includes white-label (the price book's `included_in`) */
  includedIn: readonly string[];
  /** where the plan comes from, for messages: the subscription in force, or the tenant's plan */
  source: 'subscription' | 'tenant';
}

export function holdsWhiteLabel(holding: Holding): boolean {
  return holding.addons.includes(WHITE_LABEL_ADDON) || holding.includedIn.includes(holding.plan);
}

/** The fields a change writes that need white-label: set to a new value (clearing one never does). */
export function whiteLabelFieldsWritten(before: BrandingValues, after: BrandingValues): BrandingField[] {
  return WHITE_LABEL_FIELDS.filter((field) => after[field] !== null && after[field] !== before[field]);
}
