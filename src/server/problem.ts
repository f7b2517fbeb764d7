import type { Context } from 'hono';
import { AppError, ERROR_KINDS, FINER_CODES, type ErrorKind } from '../core/errors.js';

const TITLES: Record<ErrorKind, string> = {
  invalid: 'Invalid request',
  unauthorized: 'Not authenticated',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unprocessable: 'Unprocessable request',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  /** the error's kind, or a finer code a service gave (e.g. outside_territory, a 403) */
  code: string;
  detail: string;
  request_id?: string;
  errors?: { path: string; message: string }[];
}

/** RFC 9457 problem details; `type` and `code` are stable, derived from the error's kind (`code` may be finer). */
export function problemOf(error: AppError, requestId?: string): Problem {
  const finer = error.details?.code;
  const code = typeof finer === 'string' && Object.hasOwn(FINER_CODES, finer) ? finer : error.kind;
  const problem: Problem = {
    type: `urn:dotmac:problem:${code}`,
    title: TITLES[error.kind],
    status: ERROR_KINDS[error.kind],
    code,
    detail: error.message,
  };
  if (requestId) problem.request_id = requestId;
  const errors = error.details?.errors;
  if (Array.isArray(errors)) problem.errors = errors as Problem['errors'];
  return problem;
}

export function problemResponse(c: Context, error: AppError): Response {
  const problem = problemOf(error, c.get('requestId'));
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  const retryAfter = error.details?.retryAfter;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}
