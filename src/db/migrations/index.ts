import type { Migration } from 'kysely';

import * as foundation from './2026112501_foundation.js';
import * as idempotencySweep from './2026112601_idempotency_sweep.js';
import * as auditKeyed from './2026112602_audit_keyed.js';
import * as rowLevelSecurity from './2026112603_row_level_security.js';
import * as configurations from './2026120201_configurations.js';
import * as jobsDeployments from './2026120202_jobs_deployments.js';
import * as backups from './2026120203_backups.js';
import * as health from './2026120204_health.js';
import * as pricebook from './2026120301_pricebook.js';
import * as partners from './2026120302_partners.js';
import * as pipeline from './2026120303_pipeline.js';
import * as billing from './2026120305_billing.js';
import * as quotes from './2026120306_quotes.js';
import * as tickets from './2026120310_tickets.js';
import * as tenantUsers from './2026120311_tenant_users.js';
import * as branding from './2026120312_branding.js';
import * as featureFlags from './2026120313_feature_flags.js';
import * as subscriptionChanges from './2026120314_subscription_changes.js';
import * as paidInvoicesIndex from './2026120315_paid_invoices_index.js';
import * as billedInvoicesIndex from './2026120316_billed_invoices_index.js';
import * as sealedSecrets from './2026120317_sealed_secrets.js';
import * as healthChecksCovering from './2026120318_health_checks_covering.js';

/** A static map, not a directory scan, so a bundled build still finds every migration. */
export const migrations: Record<string, Migration> = {
  '2026112501_foundation': foundation,
  '2026112601_idempotency_sweep': idempotencySweep,
  '2026112602_audit_keyed': auditKeyed,
  '2026112603_row_level_security': rowLevelSecurity,
  '2026120201_configurations': configurations,
  '2026120202_jobs_deployments': jobsDeployments,
  '2026120203_backups': backups,
  '2026120204_health': health,
  '2026120301_pricebook': pricebook,
  '2026120302_partners': partners,
  '2026120303_pipeline': pipeline,
  '2026120305_billing': billing,
  '2026120306_quotes': quotes,
  '2026120310_tickets': tickets,
  '2026120311_tenant_users': tenantUsers,
  '2026120312_branding': branding,
  '2026120313_feature_flags': featureFlags,
  '2026120314_subscription_changes': subscriptionChanges,
  '2026120315_paid_invoices_index': paidInvoicesIndex,
  '2026120316_billed_invoices_index': billedInvoicesIndex,
  '2026120317_sealed_secrets': sealedSecrets,
  '2026120318_health_checks_covering': healthChecksCovering,
};
