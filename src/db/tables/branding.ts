import type { Selectable } from 'kysely';

/**
 * One numbered version of a tenant's branding: every change writes one, holding the whole
 * branding after it (so the newest is the branding now, and a rollback restores one exactly).
 */
export interface BrandingVersionsTable {
  tenant_id: string;
  version: number;
  /** set or rollback */
  action: string;
  /** JSON: { primary_color, secondary_color, logo_url, company_name, support_email, custom_css }, each a string or null */
  snapshot: string;
  /** JSON: the names of the fields this version changed */
  changes: string;
  /** the version a rollback restored, else null */
  restored_from: number | null;
  actor: string;
  created_at: string;
}

export type BrandingVersionRow = Selectable<BrandingVersionsTable>;
