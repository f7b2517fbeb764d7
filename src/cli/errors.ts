import type { ErrorKind } from '../core/errors.js';

/** Documented exit codes (README "Exit codes"). Every failure maps to exactly one. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  unauthenticated: 3,
  forbidden: 4,
  notFound: 5,
  conflict: 6,
  rateLimited: 7,
  unreachable: 8,
  /** `configs diff`: the file and the configuration differ (not an error) */
  differences: 10,
  notACommand: 127,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error the CLI reports as two lines: what went wrong, and what to do next.
 * Thrown anywhere below a command; rendered once by the base command's catch().
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: ExitCode = EXIT.error,
    readonly code: string = 'error',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, hint?: string) => new CliError(message, hint, EXIT.usage, 'usage');

const EXIT_BY_KIND: Record<ErrorKind, ExitCode> = {
  invalid: EXIT.usage,
  unauthorized: EXIT.unauthenticated,
  forbidden: EXIT.forbidden,
  not_found: EXIT.notFound,
  conflict: EXIT.conflict,
  payload_too_large: EXIT.usage,
  unprocessable: EXIT.conflict,
  rate_limited: EXIT.rateLimited,
  internal: EXIT.error,
  unavailable: EXIT.unreachable,
};

export function exitCodeForKind(kind: ErrorKind): ExitCode {
  return EXIT_BY_KIND[kind];
}
