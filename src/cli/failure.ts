import { ApiError } from '../client/errors.js';
import { AppError, ERROR_KINDS } from '../core/errors.js';
import { CliError, EXIT, exitCodeForKind, type ExitCode } from './errors.js';
import type { ResolvedProfile } from './profiles.js';

export interface Failure {
  message: string;
  hint?: string;
  code: string;
  exitCode: ExitCode;
}

/** What the command knew when it failed, so a hint can name the profile, the role and the flag. */
export interface FailureContext {
  /** oclif's id, `tenants:list` */
  commandId: string;
  /** the profile in use, when it was resolved before the failure */
  profile?: ResolvedProfile;
  /** the flag that sets an API body or query field, e.g. ttl_seconds → --ttl */
  flagFor?: (field: string) => string | undefined;
}

export function describeFailure(error: Error & { exitCode?: number; oclif?: { exit?: number } }, context: FailureContext): Failure {
  const command = `dotmac ${context.commandId.replaceAll(':', ' ')}`;
  if (error instanceof CliError) return { message: error.message, hint: error.hint, code: error.code, exitCode: error.exitCode };
  if (isAppError(error)) {
    // in local mode, an error from opening the workspace
    const hint = typeof error.details?.hint === 'string' ? error.details.hint : undefined;
    return { message: error.message, hint, code: error.kind, exitCode: exitCodeForKind(error.kind) };
  }
  if (error instanceof ApiError) return describeApiError(error, context, command);
  const oclifExit = error.oclif?.exit;
  // oclif's parse errors carry exit 2, except a flag's own parse() failing ("Parsing --flag …")
  if (oclifExit === 2 || /^Parsing --\S+/.test(error.message) || (/flag|argument|Expected/i.test(error.name + error.message) && oclifExit !== undefined)) {
    return { message: usageMessage(error.message), hint: `see \`${command} --help\``, code: 'usage', exitCode: EXIT.usage };
  }
  if (oclifExit !== undefined && oclifExit !== 1) {
    return { message: error.message.split('\n')[0]!, code: 'error', exitCode: oclifExit as ExitCode };
  }
  const code = (error as { code?: string }).code;
  if (code === 'ENOTFOUND' && (error as { syscall?: string }).syscall === 'getaddrinfo') {
    return { message: `no address for host "${String((error as { hostname?: string }).hostname ?? '')}"`, hint: 'check the host name given (--host, or the host of a URL such as --database-url)', code: 'usage', exitCode: EXIT.usage };
  }
  if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL') {
    return { message: error.message.split('\n')[0]!, hint: 'choose another --port or --host', code: 'usage', exitCode: EXIT.usage };
  }
  if (code === 'EACCES' || code === 'ENOENT' || code === 'EEXIST') {
    return { message: error.message.split('\n')[0]!, hint: 'check the path and its permissions', code: 'error', exitCode: EXIT.error };
  }
  return {
    message: error.message.split('\n')[0] || 'unexpected error',
    hint: 'run again with DEBUG=dotmac to see more; report it if it persists',
    code: 'error',
    exitCode: EXIT.error,
  };
}

/**
 * `server start` and local mode run the server's code from bundles of their own (dist/server.cjs,
 * dist/api-local.cjs), each with its own AppError class: one of theirs is known by its shape.
 */
function isAppError(error: Error): error is AppError {
  if (error instanceof AppError) return true;
  const kind = (error as { kind?: unknown }).kind;
  return error.name === 'AppError' && typeof kind === 'string' && Object.hasOwn(ERROR_KINDS, kind);
}

function describeApiError(error: ApiError, context: FailureContext, command: string): Failure {
  const profile = context.profile;
  const role = profile?.token ? roleOf(profile.token) : undefined;
  let message = error.message;
  let hint: string | undefined;
  switch (error.kind) {
    case 'unauthorized':
      hint = unauthorizedHint(profile, role);
      break;
    case 'forbidden': {
      const allowed = /\(([a-z_]+(?: or [a-z_]+)*) only\)/.exec(message)?.[1];
      if (/suspended/.test(message)) hint = 'the tenant is suspended, so its tokens are read-only; ask platform staff to resume it';
      else if (error.problem?.code === 'plan_required') hint = 'add the white-label add-on to the tenant\'s subscription (`dotmac subscriptions change-plan ID --addon white-label`), or move it to the enterprise plan; --support-email needs neither';
      else if (error.problem?.code === 'outside_territory') hint = 'see the reseller\'s regions with `dotmac territories list`; platform staff assign territories (`dotmac territories assign`)';
      else if (profile && role && allowed) {
        const holder = profile.tokenSource === 'DOTMAC_TOKEN' ? 'DOTMAC_TOKEN' : `profile "${profile.name}"`;
        hint = `${holder} holds ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} token; use a profile with a ${allowed} token (\`dotmac profiles list\`)`;
      }
      else hint = 'use a profile whose role may do this (`dotmac profiles list`)';
      break;
    }
    case 'not_found':
      if (/^no route for /.test(message)) hint = noRouteHint(profile);
      else if (/ is not set for tenant /.test(message)) hint = 'see the keys that are set with `dotmac configs list`';
      else if (/^version v\d+ of tenant .*configuration was not found/.test(message)) hint = 'see the versions with `dotmac configs history`';
      else if (/^version v\d+ of tenant .*branding was not found/.test(message)) hint = 'see the versions with `dotmac branding history`';
      else if (/^backup "/.test(message)) hint = 'check the id (`dotmac backups list --tenant SLUG` lists a tenant\'s backups)';
      else if (/^flag "/.test(message)) hint = 'see the flags with `dotmac flags list`';
      else if (/has no backup schedule$/.test(message)) hint = 'set one: `dotmac backups schedule --tenant SLUG --every 24h --keep 7`';
      else if (/^ticket "/.test(message)) hint = 'check the id (`dotmac tickets list` lists the tickets this profile may see)';
      else if (/^no staff member has the email /.test(message)) hint = 'staff are master_admin users (`dotmac tokens list` shows their emails)';
      else if (/^user ".*" was not found in tenant /.test(message)) hint = 'see the tenant\'s people with `dotmac users list`';
      else if (listOf(message)) hint = `check the id (\`${listOf(message)}\` lists those this profile may see)`;
      else if (role === 'tenant_admin') hint = 'check the id or slug; a tenant_admin token sees only its own tenant';
      else if (role === 'reseller') hint = 'check the id or slug; a reseller token sees only its own customers';
      else hint = 'check the id or slug (`dotmac tenants list --search TEXT` finds tenants)';
      break;
    case 'invalid':
    case 'payload_too_large':
      message = inFlagTerms(error, context.flagFor);
      hint = `see \`${command} --help\``;
      break;
    case 'conflict':
      if (error.problem?.code === 'last_admin') hint = 'make another user an admin first: `dotmac users invite --email E --role admin` (then `users accept`), or `dotmac users role USER --role admin`';
      else if (error.problem?.code === 'invite_expired') hint = 're-send the invite (a new code, 7 more days): `dotmac users invite --email E --role R`';
      else if (/invite code|has no open invite/.test(message)) hint = 'see the user\'s status with `dotmac users list`; `dotmac users invite` again re-sends an open invite with a new code';
      else if (/configuration (is at v\d+|changed meanwhile)/.test(message)) hint = 'see the current version and values with `dotmac configs list`, then try again';
      else if (/branding (is at v\d+|changed meanwhile)/.test(message)) hint = 'see the current version and values with `dotmac branding show`, then try again';
      else hint = 'look at the object\'s current state with a `get` and try again';
      break;
    case 'unprocessable':
      hint = 'send the request again without reusing the Idempotency-Key';
      break;
    case 'rate_limited':
      hint = error.retryAfter ? `wait ${error.retryAfter}s and try again` : 'wait and try again';
      break;
    case 'unavailable':
      if (/ cannot be opened with this workspace's audit key/.test(message)) hint = 'every server sharing the database needs the workspace\'s audit-key file; or set the secret again (`dotmac configs set KEY=VALUE`)';
      else hint = profile && profile.api !== 'local' ? `check that the server at ${profile.api} (from ${profile.apiSource}) is running and reachable` : 'check the workspace and the server';
      break;
    case 'internal':
      if (error.problem?.request_id) message += ` (request ${error.problem.request_id})`;
      hint = profile?.api === 'local' ? 'run again with DEBUG=dotmac to see the cause' : 'the server\'s log has the cause under this request id';
      break;
  }
  // a finer code the API gave (outside_territory) is kept for --json; the exit code follows the kind
  const code = error.problem?.code && !(error.problem.code in ERROR_KINDS) ? error.problem.code : error.kind;
  return { message, hint, code, exitCode: exitCodeForKind(error.kind) };
}

function unauthorizedHint(profile: ResolvedProfile | undefined, role: string | undefined): string {
  if (!profile) return 'log in again: `dotmac login --api URL --with-token`';
  if (profile.tokenSource === 'DOTMAC_TOKEN') {
    return profile.selectedBy === 'environment only'
      ? 'the token comes from DOTMAC_TOKEN: set it to a valid token'
      : `the token comes from DOTMAC_TOKEN: set it to a valid token, or unset it to use profile "${profile.name}"'s own`;
  }
  const save = `\`dotmac login --profile ${profile.name} --api ${profile.api}${profile.api === 'local' && profile.db ? ` --db ${profile.db}` : ''} --with-token\``;
  if (role === 'master_admin') return `mint a new token from another master_admin profile (\`dotmac tokens create --role master_admin\`), then save it with ${save}`;
  if (role) return `ask platform staff for a new ${role} token, then save it with ${save}`;
  return `save a valid token with ${save}`;
}

function noRouteHint(profile: ResolvedProfile | undefined): string {
  if (!profile || profile.api === 'local') return 'this version of dotmac has no such API route; check the path (`dotmac api GET /v1/openapi.json` lists them)';
  const path = new URL(profile.api).pathname.replace(/\/+$/, '');
  if (path !== '') return `the API URL ${profile.api} (from ${profile.apiSource}) should be the server's base URL, without ${path}`;
  return `the server at ${profile.api} (from ${profile.apiSource}) does not serve this route: is it a dotmac API of this version?`;
}

/**
 * The API names body and query fields (`body ttl_seconds: Too small…`); a person typed flags. Each
 * field error is said in the flag's name where the command has one.
 */
function inFlagTerms(error: ApiError, flagFor: FailureContext['flagFor']): string {
  const errors = error.problem?.errors;
  if (!flagFor || !errors?.length) return error.message;
  const first = errors[0]!;
  const field = first.path.split('.')[0] ?? '';
  const flag = flagFor(field);
  if (!flag) return error.message;
  const detail = first.message.charAt(0).toLowerCase() + first.message.slice(1);
  return `${flag}: ${detail}`;
}

/** The role a token claims, read without verifying it: only to choose a hint. */
function roleOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { role?: unknown };
    return typeof payload.role === 'string' && /^[a-z_]{1,30}$/.test(payload.role) ? payload.role : undefined;
  } catch {
    return undefined;
  }
}

/**
 * oclif's parse errors span lines ("Missing 1 required arg:\ntenant  tenant slug or id\nSee more
 * help with --help"); keep what matters, on one line.
 */
export function usageMessage(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^The following errors? occurred:$/.test(line) && !/^See more help with/.test(line))
    // oclif repeats the value of a flag that excludes another; it may be a secret (a database URL)
    .map((line) => line.replace(/^(--[a-z0-9-]+)=.* cannot also be provided when using (--[a-z0-9-]+)$/, '$1 cannot also be provided with $2'));
  const missing = /^Missing (\d+) required args?:$/.exec(lines[0] ?? '');
  if (missing) {
    const args = lines.slice(1).map((line) => {
      const [name, ...description] = line.split(/\s{2,}/);
      return description.length ? `${name!.toUpperCase()} (${description.join(' ')})` : name!.toUpperCase();
    });
    return `missing ${args.length > 1 ? 'arguments' : 'argument'} ${args.join(', ')}`;
  }
  return lines.join('; ').replace(/^Parsing (--\S+); /, '$1: ') || 'the command line is not valid';
}

/** The list command of what a not-found message names first (`territory "x" was not found`). */
const LISTS: Record<string, string> = {
  territory: 'dotmac territories list',
  quote: 'dotmac quotes list --search TEXT',
  invoice: 'dotmac invoices list',
  subscription: 'dotmac subscriptions list',
  deployment: 'dotmac deployments list --search TEXT',
  job: 'dotmac jobs list',
  opportunity: 'dotmac pipeline list',
  commission: 'dotmac commissions list',
  payout: 'dotmac payouts list',
  reseller: 'dotmac resellers list',
  token: 'dotmac tokens list',
};

function listOf(message: string): string | undefined {
  const noun = /^([a-z]+) "[^"]*" was not found$/.exec(message)?.[1];
  return noun === undefined ? undefined : LISTS[noun];
}
