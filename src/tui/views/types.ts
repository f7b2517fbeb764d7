import type { ApiClient } from '../../client/api-client.js';
import type { Me } from '../../client/types.js';

export type Role = Me['role'];
export type Row = Record<string, unknown>;

export interface Column<R> {
  header: string;
  width: number;
  value: (row: R) => string;
}

/** Something the selected row offers under `a`: a key, what it does, and the CLI line that does the same. */
export interface RowAction {
  key: string;
  label: string;
  /** the equivalent `dotmac ...` command line */
  command: string;
  /** the roles the action's route allows */
  roles: readonly Role[];
  /** performs it and says what happened */
  run: (client: ApiClient) => Promise<string>;
}

/**
 * A list view: one pane, one request per refresh. `fetch` receives the filter text; a list route
 * that takes a text query gets it, the others are paged through whole and matched here.
 */
export interface ListView<R = Row> {
  name: string;
  title: string;
  roles: readonly Role[];
  columns: Column<R>[];
  fetch: (client: ApiClient, q: string | undefined) => Promise<R[]>;
  key: (row: R) => string;
  /** Enter on a row: a tenant's detail when the row names a tenant, else the row's fields */
  tenantOf?: (row: R) => string | null | undefined;
  actions?: (row: R) => RowAction[];
  /** shown instead of an error when the API has no such route yet */
  unavailable?: string;
  /** a line above the list, from the rows (the health view's latency sparkline) */
  summary?: (rows: R[], history: readonly (number | null)[]) => string;
  /** a figure per refresh for the summary's history */
  sample?: (rows: R[]) => number | null;
}
