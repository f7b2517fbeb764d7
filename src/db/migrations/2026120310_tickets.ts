import type { Kysely } from 'kysely';
import { protectTenantTable } from './row-security.js';

// Frozen once shipped: never edit it; add a new migration instead.
// Support tickets (issue 9): tickets, their comments and their history. All tenant-owned, under
// row-level security; resellers reach them through their tenants. Times are ISO-8601 UTC text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sla_started_at', 'text', (c) => c.notNull())
    .addColumn('response_due_at', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('breaches', 'integer', (c) => c.notNull())
    .addColumn('last_breach_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('csat', 'integer')
    .execute();
  await db.schema.createIndex('tickets_tenant').on('tickets').columns(['tenant_id', 'id']).execute();
  // the SLA check: open tickets whose response is due
  await db.schema.createIndex('tickets_response_due').on('tickets').columns(['status', 'response_due_at']).execute();
  await protectTenantTable(db, { table: 'tickets', tenant: 'tenant_id', privileges: 'select, insert, update' });

  await db.schema
    .createTable('ticket_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_comments_ticket').on('ticket_comments').columns(['ticket_id', 'id']).execute();
  await protectTenantTable(db, { table: 'ticket_comments', tenant: 'tenant_id', privileges: 'select, insert' });

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();
  await protectTenantTable(db, { table: 'ticket_events', tenant: 'tenant_id', privileges: 'select, insert' });
}
