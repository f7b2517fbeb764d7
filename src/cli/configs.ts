import { Flags, type Command } from '@oclif/core';
import type { ApiClient, Changed } from '../client/api-client.js';
import type { ApplyConfigs, ConfigChange, ConfigDelta } from '../client/types.js';
import { BaseCommand } from './base-command.js';
import { readConfigFile } from './config-file.js';
import { configValueText } from './columns.js';

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


/**
 * A value a POSIX shell reads back as it was: bare when it is plain, else in single quotes; a value
 * with control characters in $'…' with every one escaped, so printing it cannot drive a terminal.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]+$/.test(value)) return value;
  if (!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(value)) return `'${value.replaceAll("'", "'\\''")}'`;
  const escaped = [...value].map((char) => {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === "'") return `\\${char}`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return `\\u${code.toString(16)}`;
    return char;
  });
  return `$'${escaped.join('')}'`;
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
    return { values, prune: flags.prune ?? false, ...(flags.secret ? { secret: flags.secret } : {}) };
  }

  /** One line on stderr for what happened (or that nothing did), the changes on stdout for people; the result for --json. */
  protected finish(outcome: Changed<ConfigChange>, did: (result: ConfigChange) => string, already: (result: ConfigChange) => string): ConfigChange {
    const result = outcome.value;
    this.reportChange(outcome, did(result), already(result));
    if (!this.jsonEnabled()) for (const line of changeLines(result.changes)) this.log(line);
    return result;
  }
}

export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
