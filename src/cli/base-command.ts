import { Command, Flags, ux, type Interfaces } from '@oclif/core';
import { ApiError } from '../client/errors.js';
import { AppError } from '../core/errors.js';
import { CliError, EXIT, exitCodeForKind, type ExitCode } from './errors.js';
import { detectIO, Factory } from './factory.js';
import { jsonText, pickFields, renderList, renderRecord, terminalSafe, type Column } from './output.js';
import { confirmOrRefuse, type Confirmation } from './confirm.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * Every dotmac command: parses once, builds its dependencies through the Factory, returns typed
 * data (printed as JSON with --json, rendered for people otherwise), and renders every failure
 * in one place as two lines and a documented exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    profile: Flags.string({ description: 'use this saved profile for this command only', env: 'DOTMAC_PROFILE', helpGroup: 'GLOBAL' }),
  };

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  private factoryInstance?: Factory;

  public override async init(): Promise<void> {
    await super.init();
    const { flags, args } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
  }

  protected get factory(): Factory {
    return (this.factoryInstance ??= new Factory(process.env, detectIO(), (this.flags as { profile?: string } | undefined)?.profile));
  }

  /** Mutating commands call this before sending anything: a read-only profile refuses here. */
  protected async writableClient() {
    const profile = await this.factory.profile();
    if (profile.readOnly) {
      throw new CliError(`profile "${profile.name}" is read-only`, 'use another profile, or `dotmac profiles add` it again without --read-only', EXIT.forbidden, 'forbidden');
    }
    return this.factory.client();
  }

  protected async confirm(confirmation: Omit<Confirmation, 'canPrompt'>): Promise<void> {
    await confirmOrRefuse({ ...confirmation, canPrompt: this.factory.io.canPrompt });
  }

  /**
   * Prints a list for people: aligned on a terminal, tab-separated rows for a pipe, or CSV. With
   * --json prints nothing and returns what oclif prints: the rows, with only the chosen columns'
   * fields (keys from parseColumns).
   */
  protected printList<R extends object>(rows: R[], columns: Column[], opts: { csv?: boolean; columns?: string[] } = {}): Partial<R>[] {
    if (this.jsonEnabled()) return rows.map((row) => pickFields(row, opts.columns));
    const io = this.factory.io;
    const format = opts.csv ? 'csv' : io.stdoutIsTTY ? 'table' : 'tsv';
    process.stdout.write(renderList(rows as Record<string, unknown>[], columns, { format, columns: opts.columns, color: io.color, width: io.width }));
    return rows;
  }

  protected printRecord(row: object, columns: Column[]): void {
    if (this.jsonEnabled()) return;
    const io = this.factory.io;
    process.stdout.write(renderRecord(row as Record<string, unknown>, columns, { format: io.stdoutIsTTY ? 'table' : 'tsv', color: io.color, width: io.width }));
  }

  /** oclif tokenises JSON to colour it even for a pipe; only a terminal gets colour, a pipe plain JSON. */
  public override logJson(json: unknown): void {
    const text = jsonText(json, 2);
    process.stdout.write(`${this.factory.io.color ? ux.colorizeJson(text, { pretty: false, theme: this.config.theme?.json }) : text}\n`);
  }

  /** Progress and notes go to stderr, so stdout stays clean for pipes. */
  protected note(message: string): void {
    process.stderr.write(`${terminalSafe(message)}\n`);
  }

  public override async catch(error: Error & { exitCode?: number }): Promise<void> {
    const { message, hint, code, exitCode } = describeFailure(error, this.id ?? '');
    if (this.argv.includes('--json')) {
      process.stderr.write(`${jsonText({ error: { code, message, hint: hint ?? null, exit_code: exitCode } })}\n`);
    } else {
      process.stderr.write(`Error: ${terminalSafe(message)}\n${hint ? `Hint: ${terminalSafe(hint)}\n` : ''}`);
    }
    if (/\bdotmac\b|\*/.test(process.env.DEBUG ?? '') && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  }

  public override async finally(error: Error | undefined): Promise<void> {
    await this.factoryInstance?.close().catch(() => undefined);
    return super.finally(error);
  }
}

interface Failure {
  message: string;
  hint?: string;
  code: string;
  exitCode: ExitCode;
}

const HINTS: Partial<Record<ApiError['kind'], string>> = {
  unauthorized: 'check the profile\'s token (`dotmac whoami`); mint a new one with `dotmac tokens create` or log in again',
  forbidden: 'this role may not do that; use a profile whose role may',
  not_found: 'check the id or slug; objects outside your scope are not found either',
  conflict: 'look at the object\'s current state with a `get` and try again',
  rate_limited: 'wait and try again',
  unavailable: 'check that the server is running and the profile\'s --api URL (`dotmac profiles list`)',
  invalid: 'check the command\'s flags with --help',
  internal: 'in local mode run again with DEBUG=dotmac; against a server, find the request id in its log',
};

export function describeFailure(error: Error & { exitCode?: number; oclif?: { exit?: number } }, commandId: string): Failure {
  if (error instanceof CliError) return { message: error.message, hint: error.hint, code: error.code, exitCode: error.exitCode };
  // An API answer (ApiError) or, in local mode, an error from opening the workspace (AppError).
  if (error instanceof ApiError || error instanceof AppError) {
    let hint = HINTS[error.kind];
    let message = error.message;
    if (error instanceof AppError && typeof error.details?.hint === 'string') hint = error.details.hint;
    if (error instanceof ApiError && error.kind === 'rate_limited' && error.retryAfter) hint = `wait ${error.retryAfter}s and try again`;
    if (error instanceof ApiError && error.kind === 'internal' && error.problem?.request_id) message += ` (request ${error.problem.request_id})`;
    return { message, hint, code: error.kind, exitCode: exitCodeForKind(error.kind) };
  }
  const oclifExit = error.oclif?.exit;
  if (oclifExit === 2 || /flag|argument|Expected/i.test(error.name + error.message) && oclifExit !== undefined) {
    return { message: usageMessage(error.message), hint: `see \`dotmac ${commandId.replaceAll(':', ' ')} --help\``, code: 'usage', exitCode: EXIT.usage };
  }
  if (oclifExit !== undefined && oclifExit !== 1) {
    return { message: error.message.split('\n')[0]!, code: 'error', exitCode: oclifExit as ExitCode };
  }
  const code = (error as { code?: string }).code;
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
 * oclif's parse errors span lines ("The following error occurred:\n  Missing required flag slug\nSee
 * more help with --help"); keep what matters, on one line.
 */
function usageMessage(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^The following errors? occurred:$/.test(line) && !/^See more help with/.test(line));
  return lines.join('; ').replace(/^Parsing (--\S+); /, '$1: ') || 'the command line is not valid';
}
