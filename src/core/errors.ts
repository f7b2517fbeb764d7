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
