import { describe, expect, it } from 'vitest';
import { describeFailure, usageMessage } from '../../src/cli/failure.js';
import { EXIT } from '../../src/cli/errors.js';
import { ApiError } from '../../src/client/errors.js';

/** The AppError of another bundle (dist/server.cjs): the same class, loaded twice. */
class BundledAppError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

describe('describeFailure', () => {
  it('keeps the hint and exit code of an AppError thrown by a separately bundled server', () => {
    const error = new BundledAppError('unavailable', 'the database needs migrating', { hint: 'run `dotmac db migrate` with the owner\'s URL' });
    expect(describeFailure(error, { commandId: 'server:start' })).toEqual({
      message: 'the database needs migrating',
      hint: 'run `dotmac db migrate` with the owner\'s URL',
      code: 'unavailable',
      exitCode: EXIT.unreachable,
    });
  });

  it('does not take any error named AppError for one', () => {
    const error = new BundledAppError('no-such-kind', 'odd');
    expect(describeFailure(error, { commandId: 'server:start' }).code).toBe('error');
  });

  it('points a not-found at the list of what it names', () => {
    const notFound = (message: string) => describeFailure(new ApiError('not_found', message, 404), { commandId: 'territories:assign' });
    expect(notFound('territory "Nope" was not found')).toMatchObject({ hint: 'check the id (`dotmac territories list` lists those this profile may see)', exitCode: EXIT.notFound });
    expect(notFound('quote "Q-1" was not found').hint).toContain('dotmac quotes list');
    expect(notFound('tenant "nope" was not found').hint).toContain('dotmac tenants list');
  });
});

describe('usageMessage', () => {
  it('says which flags exclude each other without repeating their values, each clause on its own', () => {
    const oclif = 'The following errors occurred:\n  --tenant=acme cannot also be provided when using --reseller\n  --reseller=postgres://u:pw@h/db cannot also be provided when using --tenant\nSee more help with --help';
    expect(usageMessage(oclif)).toBe('--tenant cannot also be provided with --reseller; --reseller cannot also be provided with --tenant');
  });
});

describe('a secret that does not open', () => {
  it('is not blamed on the server being down: the hint says what opens it or replaces it', () => {
    const problem = { type: 'urn:dotmac:problem:unavailable', title: 'Service unavailable', status: 503, code: 'unavailable', detail: "the secret network.radius_secret of tenant ten_1 cannot be opened with this workspace's audit key: it was sealed with another key, or altered" };
    const error = new ApiError('unavailable', problem.detail, 503, problem);
    const { hint, exitCode } = describeFailure(error, { commandId: 'configs:get', profile: { name: 'prod', api: 'https://api.example', apiSource: 'profile "prod"' } as never });
    expect(hint).toMatch(/audit-key file; or set the secret again/);
    expect(exitCode).toBe(EXIT.unreachable);
  });
});
