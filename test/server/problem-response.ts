import { expect } from 'vitest';
import type { ApiResponse } from '../../src/client/transport.js';
import type { TestApi } from '../support/harness.js';

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  request_id?: string;
  errors?: { path: string; message: string }[];
}

/** Checks an RFC 9457 answer: status, content type, every required field, and the stable code. */
export function expectProblem(res: ApiResponse, status: number, code: string): ProblemJson {
  expect(res.status, res.body).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(res.body) as ProblemJson;
  expect(problem).toMatchObject({ type: `urn:dotmac:problem:${code}`, status, code });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  expect(problem.detail.length).toBeGreaterThan(0);
  return problem;
}

/** A Hono in-process answer read the way the client's transport reads it. */
export async function read(res: Response): Promise<ApiResponse> {
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** How many audit events the database holds, read directly rather than through the API. */
export async function auditCount(api: TestApi): Promise<number> {
  const row = await api.connection.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
