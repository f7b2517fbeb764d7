import { commissionsView } from './commissions.js';
import { customersView } from './customers.js';
import { deploymentsView } from './deployments.js';
import { healthView } from './health.js';
import { pipelineView } from './pipeline.js';
import { quotesView } from './quotes.js';
import { tenantsView } from './tenants.js';
import { ticketsView } from './tickets.js';
import type { ListView, Role, Row } from './types.js';

/** Every view, in the order the tab line shows them; a new pane is one more entry here. */
export const VIEWS = [tenantsView, deploymentsView, healthView, ticketsView, quotesView, pipelineView, commissionsView, customersView] as unknown as ListView<Row>[];

export function viewNamed(name: string): ListView<Row> | undefined {
  return VIEWS.find((view) => view.name === name);
}

export function viewsFor(role: Role): ListView<Row>[] {
  return VIEWS.filter((view) => view.roles.includes(role));
}

/** The view a role starts on. */
export function firstView(role: Role): ListView<Row> {
  return role === 'tenant_admin' ? healthView as unknown as ListView<Row> : viewsFor(role)[0]!;
}

export type { ListView, Role, Row };
