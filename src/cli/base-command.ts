import { Command, Flags, ux, type Interfaces } from '@oclif/core';
import { format } from 'node:util';
import { CliError, EXIT, usageError } from './errors.js';
import { describeFailure, usageMessage } from './failure.js';
import { detectIO, Factory } from './factory.js';
import { jsonText, pickFields, renderList, renderRecord, terminalSafe, type Column } from './output.js';
import { confirmOrRefuse, type Confirmation } from './confirm.js';
import { describeApi } from './profiles.js';
import type { Changed } from '../client/api-client.js';
import type { Me } from '../client/types.js';
import { startupMark } from '../core/startup-trace.js';

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
    // DOTMAC_PROFILE is read by resolveProfile, not here, so that a typed --profile can be told from the environment.
    profile: Flags.string({ description: 'use this saved profile, exactly as saved, for this command only (beats DOTMAC_PROFILE, DOTMAC_TOKEN, DOTMAC_API_URL, DOTMAC_DB)', helpGroup: 'GLOBAL' }),
  };

  /** API body or query fields whose flag is not simply the field's name in kebab case, e.g. { ttl_seconds: '--ttl' } */
  static apiFields?: Record<string, string>;

  /**
   * For a command that asks for confirmation: the API operation it calls, and the roles that route
   * allows, checked before asking (test/commands/roles.test.ts pins them to the route table).
   */
  static operation?: string;
  static roles?: readonly Me['role'][];

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  /** every positional argument, in order (for a command with `strict = false` that takes several) */
  protected positionals: string[] = [];
  private factoryInstance?: Factory;

  public override async init(): Promise<void> {
    startupMark('oclif found the command');
    await super.init();
    const { flags, args, argv, raw } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((error: Error) => {
      throw this.fromEnvironment(error);
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
    this.positionals = argv as string[];
    this.refuseEmptyArguments();
    this.announceEnvironment(new Set(raw.flatMap((token) => (token.type === 'flag' ? [token.flag] : []))));
    startupMark('flags parsed');
  }

  /**
   * A bad value that came from the environment, not the command line, is named by its variable:
   * `DOTMAC_PROVISION_TIMEOUT=0 dotmac worker` says DOTMAC_PROVISION_TIMEOUT, not a flag nobody typed.
   */
  private fromEnvironment(error: Error): Error {
    let message = usageMessage(error.message);
    const sources: { flag: string; variable: string }[] = [];
    for (const [name, flag] of Object.entries(this.ctor.flags ?? {})) {
      const { env: variable, char } = flag as { env?: string; char?: string };
      const named = new RegExp(`--${name}(?![\\w-])`, 'g');
      if (!variable || !process.env[variable] || !named.test(message)) continue;
      const typed = this.argv.some((token) => token === `--${name}` || token.startsWith(`--${name}=`) || token === `--no-${name}` || (char !== undefined && token.startsWith(`-${char}`)));
      if (typed) continue;
      message = message.replace(new RegExp(`^--${name}: `), `${variable}: `).replace(named, variable);
      sources.push({ flag: `--${name}`, variable });
    }
    if (sources.length === 0) return error;
    const variables = sources.map((s) => s.variable).join(' or ');
    // flags that exclude each other: giving the flag would not help, only unsetting the variable
    const hint = /cannot also be provided/.test(message) || sources.length > 1 ? `unset ${variables}` : `unset ${variables}, or give ${sources[0]!.flag}`;
    return usageError(message, hint);
  }

  /** An empty argument ('' from an unset shell variable) would name no object: it is a usage error, not a request for /v1/jobs/. */
  private refuseEmptyArguments(): void {
    for (const name of Object.keys(this.ctor.args ?? {})) {
      const value = (this.args as Record<string, unknown>)[name];
      if (typeof value === 'string' && value.trim() === '') throw usageError(`${name.toUpperCase()} is empty`, `dotmac ${this.id?.replaceAll(':', ' ')} --help shows what ${name.toUpperCase()} takes`);
    }
    if (this.positionals.some((value) => value.trim() === '')) throw usageError('an argument is empty', `dotmac ${this.id?.replaceAll(':', ' ')} --help shows what it takes`);
  }

  /**
   * A flag that can also come from the environment: the one a person typed wins (oclif's rule),
   * and either way a note names the variable, so a stale DOTMAC_TENANT in a shell never acts
   * unseen. Values are not repeated: some are secrets (DATABASE_URL, DOTMAC_METRICS_SECRET).
   */
  private announceEnvironment(typed: ReadonlySet<string>): void {
    for (const [name, flag] of Object.entries(this.ctor.flags ?? {})) {
      const variable = (flag as { env?: string }).env;
      // oclif takes a variable that is set and not empty
      if (!variable || !process.env[variable]) continue;
      this.note(typed.has(name) ? `Note: --${name} given; ignoring ${variable} from the environment` : `Note: --${name} from ${variable} in the environment`);
    }
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

  private meCall?: Promise<Me>;

  /** Who the token speaks for (GET /v1/me), asked at most once per command. */
  protected async caller(): Promise<Me> {
    return (this.meCall ??= this.factory.client().then((client) => client.me()));
  }

  /**
   * The tenant a one-tenant command acts on: `--tenant` as given, else the tenant a tenant_admin
   * (or instance) token names. Other roles must say which tenant (exit 2).
   */
  protected async tenantRef(given: string | undefined): Promise<string> {
    if (given !== undefined && given !== '') return given;
    const me = await this.caller();
    if (me.tenant_slug ?? me.tenant_id) return (me.tenant_slug ?? me.tenant_id)!;
    throw usageError(`--tenant is required for a ${me.role} token`, 'name the tenant: --tenant SLUG|ID (or set DOTMAC_TENANT)');
  }

  /**
   * Before a destructive verb asks for (or demands) confirmation: the token must work and its role
   * must be one the command's route allows, so nobody types a slug only to be refused; the prompt
   * then names who is acting, through which profile and API.
   */
  protected async confirm(confirmation: Omit<Confirmation, 'canPrompt' | 'actor'>): Promise<void> {
    const needsConsent = !confirmation.yes && confirmation.confirmFlag !== confirmation.expect;
    let actor: string | undefined;
    if (needsConsent) {
      const me = await this.checkRole();
      const profile = await this.factory.profile();
      actor = `${me.role} ${me.email} (profile "${profile.name}", ${describeApi(profile)})`;
    }
    await confirmOrRefuse({ ...confirmation, actor, canPrompt: this.factory.io.canPrompt });
  }

  /**
   * The caller, if its role is one the command's route allows (`static roles`); otherwise exit 4,
   * before anything is asked or sent. A command that must look things up before it can ask calls
   * this first, so a wrong role is told so rather than "not found".
   */
  protected async checkRole(): Promise<Me> {
    const me = await this.caller();
    const roles = (this.ctor as typeof BaseCommand).roles;
    const command = (this.id ?? '').replaceAll(':', ' ');
    if (roles && !roles.includes(me.role)) {
      throw new CliError(
        `the ${me.role} role may not run \`${command}\` (${roles.join(' or ')} only); nothing was changed`,
        `use a profile with a ${roles.join(' or ')} token (\`dotmac profiles list\`)`,
        EXIT.forbidden,
        'forbidden',
      );
    }
    return me;
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

  /** Lines for people on stdout; whatever they quote from the server cannot drive the terminal. */
  public override log(message = '', ...args: unknown[]): void {
    super.log(format(message, ...args).split('\n').map(terminalSafe).join('\n'));
  }

  /** One line on stderr saying what a change verb did, or that its end state already held. */
  protected reportChange(outcome: Changed<unknown>, did: string, already: string): void {
    this.note(outcome.changed ? did : `${already}; nothing changed`);
  }

  /** Progress and notes go to stderr, so stdout stays clean for pipes. */
  protected note(message: string): void {
    process.stderr.write(`${terminalSafe(message)}\n`);
  }

  public override async catch(error: Error & { exitCode?: number }): Promise<void> {
    const flags = this.ctor.flags ?? {};
    const { message, hint, code, exitCode } = describeFailure(error, {
      commandId: this.id ?? '',
      profile: this.factoryInstance?.resolvedProfile,
      flagFor: (field) => {
        const named = (this.ctor as typeof BaseCommand).apiFields?.[field];
        if (named) return named;
        const flag = field.replaceAll('_', '-');
        return Object.hasOwn(flags, flag) ? `--${flag}` : undefined;
      },
    });
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
