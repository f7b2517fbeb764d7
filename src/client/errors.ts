import { ERROR_KINDS, kindForStatus, type ErrorKind } from '../core/errors.js';

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  request_id?: string;
  errors?: { path: string; message: string }[];
}

/** A failed API call: the kind comes from the problem's `code`, else from the status. */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status: number | null,
    readonly problem?: ProblemBody,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromResponse(status: number, body: string, retryAfter?: string | null): ApiError {
    let problem: ProblemBody | undefined;
    try {
      const parsed = JSON.parse(body) as unknown;
      if (parsed && typeof parsed === 'object') problem = parsed as ProblemBody;
    } catch {
      problem = undefined;
    }
    const kind = problem?.code && problem.code in ERROR_KINDS ? (problem.code as ErrorKind) : kindForStatus(status);
    const message = problem?.detail ?? problem?.title ?? `the API answered ${status}`;
    const seconds = retryAfter ? Number(retryAfter) : undefined;
    return new ApiError(kind, message, status, problem, Number.isFinite(seconds) ? seconds : undefined);
  }
}
