import { Flags, type Command } from '@oclif/core';
import type { ApiClient, Changed } from '../client/api-client.js';
import { ApiError } from '../client/errors.js';
import type { ApplyConfigs, ConfigChange, ConfigDelta } from '../client/types.js';
import { readFileSync } from 'node:fs';
import { MAX_VALUE_DEPTH, nestedDeeperThan, tooDeep } from '../server/modules/configs/nesting.js';
import { BaseCommand } from './base-command.js';
import { keyLines, readConfigFile } from './config-file.js';
import { configValueText } from './columns.js';
import { escapePastC0, jsonText, UNSAFE } from './output.js';
import { CliError, EXIT, usageError } from './errors.js';

/** A configuration version as people write it: `7` or `v7`. */
export function parseVersion(input: string): number {
  const match = /^v?(\d{1,9})$/i.exec(input.trim());
  if (!match) throw new Error(`"${input}" is not a version; write 7 or v7`);
  return Number(match[1]);
}

/** `-f FILE` and `--secret KEY` of import, apply and diff. */
export const fileFlags = {
  file: Flags.string({ char: 'f', description: 'YAML or JSON file of category.name keys', required: true }),
  secret: Flags.string({ description: 'a key of the file to hold as a secret (repeatable; known secret keys always are)', multiple: true }),
};

/** `--if-version N`: refuse the change (exit 6, nothing changed) unless the configuration is at version N. */
export const ifVersionFlag = {
  'if-version': Flags.custom<number>({ description: 'change only if the configuration is at this version (as `configs list` shows it); otherwise exit 6, nothing changed', parse: async (input) => parseVersion(input) })(),
};

/** What the API answers a change made with a stale --if-version (exit 6), for a dry run, which sends none. */
export function staleVersion(tenant: string, version: number, expected: number): CliError {
  return new CliError(`tenant "${tenant}"'s configuration is at v${version}, not v${expected}; nothing was changed`, 'see the current version and values with `dotmac configs list`, then try again', EXIT.conflict, 'conflict');
}

/** One line per change, for people: `~ key: before → after`; a secret's values are never shown (the API does not send them). */
export function changeLines(changes: ConfigDelta[]): string[] {
  return changes.map((c) => {
    const mark = c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~';
    if (c.secret) return `${mark} ${c.key} (secret)`;
    if (c.change === 'added') return `${mark} ${c.key}: ${configValueText(c.after)}`;
    if (c.change === 'removed') return `${mark} ${c.key} (was ${configValueText(c.before)})`;
    return `${mark} ${c.key}: ${configValueText(c.before)} → ${configValueText(c.after)}`;
  });
}

/** `set KEY=VALUE`: the value is JSON when it parses as JSON, else the text as a string. */
export function parseAssignment(word: string): [string, unknown] {
  const at = word.indexOf('=');
  if (at <= 0) throw new Error(`"${word}" is not KEY=VALUE`);
  const key = word.slice(0, at);
  const text = word.slice(at + 1);
  try {
    return [key, JSON.parse(text) as unknown];
  } catch {
    return [key, text];
  }
}


/** `export --format json`: a file `apply -f` reads back, with every hostile character a \u escape. */
export function configJson(values: Record<string, unknown>): string {
  return `${jsonText(values, 2)}\n`;
}

/**
 * `export --format yaml`: a file `apply -f` reads back. Strings are double-quoted as JSON writes
 * them (valid YAML), and so is any key holding a hostile character, so every such character is
 * inside double quotes, where it is written as a \u escape.
 */
export async function configYaml(values: Record<string, unknown>): Promise<string> {
  if (Object.keys(values).length === 0) return '{}\n';
  const { Document, visit } = await import('yaml');
  const doc = new Document(values);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && UNSAFE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return escapePastC0(doc.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', doubleQuotedAsJSON: true, singleQuote: false, lineWidth: 0 }));
}

/**
 * A value a POSIX shell reads back as it was: bare when it is plain, else in single quotes; a value
 * with a hostile character in $'…' with each one escaped, so printing it cannot drive a terminal.
 * A character past ASCII is written as its UTF-8 bytes (`\xc2\x9b`), not `\u009b`, which bash
 * decodes only in a UTF-8 locale (under LANG=C it keeps the six characters).
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]+$/.test(value)) return value;
  if (!UNSAFE.test(value)) return `'${value.replaceAll("'", "'\\''")}'`;
  const escaped = [...value].map((char) => {
    if (char === '\\' || char === "'") return `\\${char}`;
    if (!UNSAFE.test(char)) return char;
    return [...Buffer.from(char, 'utf8')].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
  });
  return `$'${escaped.join('')}'`;
}

/** A value nested deeper than the API takes is refused here, before the client tries to serialise it (which a deep enough one overflows). */
export function checkNesting(values: Record<string, unknown>, where = ''): void {
  const deep = Object.keys(values).find((key) => nestedDeeperThan(values[key]));
  if (deep !== undefined) throw usageError(`${where}${tooDeep(deep)}`, `a configuration value may nest arrays and objects at most ${MAX_VALUE_DEPTH} deep`);
}

/** What the configs commands that read a file or change something share around their one call. */
export abstract class ConfigsCommand<T extends typeof Command> extends BaseCommand<T> {
  /** A client that may write, and the tenant: `--tenant`, or the tenant a tenant_admin token names. */
  protected async target(): Promise<{ client: ApiClient; tenant: string }> {
    const client = await this.writableClient();
    return { client, tenant: await this.tenantRef((this.flags as { tenant?: string }).tenant) };
  }

  /** The body of import, apply and diff: the file's values, and the keys --secret names. */
  protected async fileBody(flags: { file: string; prune?: boolean; secret?: string[] }): Promise<ApplyConfigs> {
    const values = await readConfigFile(flags.file);
    checkNesting(values, `${flags.file}: `);
    return { values, prune: flags.prune ?? false, ...(flags.secret ? { secret: flags.secret } : {}) };
  }

  /**
   * Sends a file's values: a value the API refuses is named by its key, and the error names the
   * file and the key's line too (`fibernet.yaml: line 3: security.session_timeout_minutes must be …`).
   */
  protected async fromFile<R>(file: string, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw located(error, file);
    }
  }

  /** One line on stderr for what happened (or that nothing did), the changes on stdout for people; the result for --json. */
  protected finish(outcome: Changed<ConfigChange>, did: (result: ConfigChange) => string, already: (result: ConfigChange) => string): ConfigChange {
    const result = outcome.value;
    this.reportChange(outcome, did(result), already(result));
    if (!this.jsonEnabled()) for (const line of changeLines(result.changes)) this.log(line);
    return result;
  }
}

function located(error: unknown, file: string): unknown {
  const problems = error instanceof ApiError && error.status === 400 ? (error.problem?.errors ?? []) : [];
  if (problems.length === 0) return error;
  let lines: Map<string, number>;
  try {
    lines = keyLines(readFileSync(file, 'utf8'));
  } catch {
    return error;
  }
  // the service names a key; a rule checked on the whole body (no NUL) names the field, values.<key>[.<where in the value>]
  const keyOf = (path: string) => (lines.has(path) ? path : path.replace(/^values\./, '').split('.').slice(0, 2).join('.'));
  if (!problems.some((p) => lines.has(keyOf(p.path)))) return error;
  const said = problems.map((p) => {
    const key = keyOf(p.path);
    if (!lines.has(key)) return p.message;
    const within = p.path.replace(/^values\./, '').slice(key.length + 1);
    return `line ${lines.get(key)}: ${p.message.startsWith(key) ? p.message : `${key}${within ? ` (at ${within})` : ''} ${p.message}`}`;
  });
  const api = error as ApiError;
  return new ApiError(api.kind, `${file}: ${said.join('; ')}`, api.status, api.problem, api.retryAfter);
}

export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
