import { z } from '@hono/zod-openapi';
import { closestMatch } from '../../../core/distance.js';

/**
 * Every action the audit trail records. recordAudit takes only these, so a new one is added here,
 * and `audit list --action` can refuse a typo instead of silently matching nothing.
 */
export const AUDIT_ACTIONS = [
  'backup.create',
  'backup.expire',
  'backup.restore',
  'backup.schedule',
  'config.apply',
  'config.reveal',
  'config.rollback',
  'config.set',
  'deployment.create',
  'deployment.fail',
  'deployment.rollback',
  'deployment.succeed',
  'job.cancel',
  'job.retry',
  'reseller.create',
  'tenant.activate',
  'tenant.cancel',
  'tenant.create',
  'tenant.provision',
  'tenant.resume',
  'tenant.suspend',
  'tenant.update',
  'token.create',
  'token.revoke',
  'workspace.seed_demo',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The `action` filter: one of the actions, with a suggestion when a name is close to one. */
export const AuditActionParam = z.enum(AUDIT_ACTIONS, {
  error: (issue) => {
    const typed = String(issue.input);
    const near = closestMatch(typed, AUDIT_ACTIONS);
    return near ? `unknown action "${typed}"; did you mean "${near}"?` : `unknown action "${typed}"; the actions are ${AUDIT_ACTIONS.join(', ')}`;
  },
});
