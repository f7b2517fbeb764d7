import { Flags } from '@oclif/core';
import type { ApiClient } from '../client/api-client.js';
import type { Page } from '../client/types.js';
import { columnName, type Column } from './output.js';
import { BIDI_CONTROLS, c0Except, DEL_C1 } from '../core/unsafe-text.js';

/** --limit, --cursor, --all, --csv, and --columns, whose help lists the names of this list's columns. */
export function listFlags(columns: Column[]) {
  const names = columns.map(columnName).join(', ');
  return {
    limit: Flags.integer({ description: 'how many to show (1–500)', default: 50, min: 1, max: 500, helpGroup: 'LIST' }),
    cursor: Flags.string({ description: 'continue from the cursor a previous page printed', helpGroup: 'LIST' }),
    all: Flags.boolean({ description: 'fetch every page', default: false, helpGroup: 'LIST', exclusive: ['cursor'] }),
    csv: Flags.boolean({ description: 'print CSV', default: false, helpGroup: 'LIST', exclusive: ['json'] }),
    columns: Flags.string({
      description: `comma-separated columns to show, in order (with --json, the fields to print): ${names}; or the JSON field names`,
      helpGroup: 'LIST',
    }),
  };
}

/** What the API refuses in a reason, less the line breaks, which become spaces. */
const REASON_UNSAFE = new RegExp(`[${c0Except('\n\r')}${DEL_C1}${BIDI_CONTROLS}]`);

export const reasonFlag = {
  reason: Flags.string({
    description: 'why; recorded in the audit trail (line breaks become spaces)',
    env: 'DOTMAC_REASON',
    parse: async (input) => {
      // the API refuses control characters in human text; say so here, naming the flag
      if (REASON_UNSAFE.test(input)) {
        throw new Error('must not contain control characters or bidirectional overrides');
      }
      return input;
    },
  }),
};

export const confirmFlags = {
  yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation', default: false }),
  confirm: Flags.string({ description: 'confirm by naming the object (its slug), instead of --yes' }),
};

/** One page, or with --all every page; the next cursor (if any) goes to stderr for people. */
export async function fetchList<T>(
  client: ApiClient,
  fetchPage: (cursor: string | undefined, limit: number) => Promise<Page<T>>,
  flags: { limit: number; cursor?: string; all: boolean },
): Promise<{ rows: T[]; next: string | null }> {
  if (!flags.all) {
    const page = await fetchPage(flags.cursor, flags.limit);
    return { rows: page.data, next: page.next_cursor };
  }
  const rows: T[] = [];
  for await (const row of client.all((cursor) => fetchPage(cursor, 500))) rows.push(row);
  return { rows, next: null };
}

/**
 * `--tenant SLUG|ID` on commands that act on one tenant. A tenant_admin may leave it out: its token
 * names its tenant (BaseCommand.tenantRef resolves it).
 */
export const tenantFlag = {
  tenant: Flags.string({ description: 'tenant slug or id (a tenant_admin token may leave it out: it names its tenant)', env: 'DOTMAC_TENANT' }),
};

/** On commands that queue a deployment: follow it to the end. */
export const waitFlag = {
  wait: Flags.boolean({
    description: 'follow the deployment until it ends (in local mode its job runs in this process); exit 1 if it fails',
    default: false,
  }),
};
