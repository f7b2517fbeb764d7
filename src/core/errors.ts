/**
 * Errors are values with a kind. The HTTP status, the problem JSON `code`, the CLI message and
 * the exit code are all derived from the kind, here and in src/cli/errors.ts.
 */
export const ERROR_KINDS = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

/**
 * Finer problem codes a service may give (in an AppError's details.code), each under its kind:
 * the status and the CLI's exit code still follow the kind; the problem's `code` and `type` name
 * the finer one, so a program can tell it apart.
 */
export const FINER_CODES = {
  /** a reseller's quote or opportunity in a region outside its territories */
  outside_territory: 'forbidden',
  /** a white-label branding field for a tenant without the white-label add-on or a plan including it */
  plan_required: 'forbidden',
  /** removing, disabling or demoting a tenant's last accepted, enabled admin */
  last_admin: 'conflict',
  /** accepting a tenant user's invite after its 7 days */
  invite_expired: 'conflict',
} as const satisfies Record<string, ErrorKind>;

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_KINDS[this.kind];
  }
}

export function kindForStatus(status: number): ErrorKind {
  for (const [kind, code] of Object.entries(ERROR_KINDS)) {
    if (code === status) return kind as ErrorKind;
  }
  return status >= 500 ? 'internal' : 'invalid';
}

export const invalid = (message: string, details?: Record<string, unknown>) => new AppError('invalid', message, details);
export const notFound = (message: string) => new AppError('not_found', message);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError('conflict', message, details);
export const unauthorized = (message: string) => new AppError('unauthorized', message);
