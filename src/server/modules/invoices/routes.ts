import { PEOPLE_ROLES } from '../../auth/principal.js';
import { changed, outcomeResponse } from '../../outcome.js';
import { defineRoute, json, jsonBody, problems } from '../../routing.js';
import { runBilling } from './run.js';
import { BillingRunBody, BillingRunSchema, InvoiceDetailSchema, InvoiceIdParam, InvoiceListQuery, InvoicePageSchema, PayInvoiceBody, RefundInvoiceBody, VoidInvoiceBody } from './schema.js';
import { getInvoice, listInvoices, payInvoice, refundInvoice, voidInvoice } from './service.js';

const STAFF = ['master_admin'] as const;

export const invoiceRoutes = [
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/billing/runs',
      operationId: 'runBilling',
      tags: ['invoices'],
      summary: 'Issue a period\'s invoices for every subscription in force (idempotent: a second run writes nothing and answers unchanged)',
      request: jsonBody(BillingRunBody),
      responses: { 200: changed(BillingRunSchema, 'What the run wrote'), ...problems(403, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await runBilling(ctx, c.req.valid('json'))),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/invoices',
      operationId: 'listInvoices',
      tags: ['invoices'],
      summary: 'Invoices in the caller\'s scope (a reseller: its customers\'; a tenant admin: its own), oldest first',
      request: { query: InvoiceListQuery },
      responses: { 200: json(InvoicePageSchema, 'A page of invoices'), ...problems(404) },
    },
    async (c, ctx) => c.json(await listInvoices(ctx, c.req.valid('query')), 200),
  ),
  defineRoute(
    PEOPLE_ROLES,
    {
      method: 'get',
      path: '/v1/invoices/{id}',
      operationId: 'getInvoice',
      tags: ['invoices'],
      summary: 'One invoice with its lines',
      request: { params: InvoiceIdParam },
      responses: { 200: json(InvoiceDetailSchema, 'The invoice'), ...problems(404) },
    },
    async (c, ctx) => c.json(await getInvoice(ctx, c.req.valid('param').id), 200),
  ),
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/invoices/{id}/pay',
      operationId: 'payInvoice',
      tags: ['invoices'],
      summary: 'Record the payment of an open invoice on the day it happened (a void invoice cannot be paid: 409)',
      request: { params: InvoiceIdParam, ...jsonBody(PayInvoiceBody) },
      responses: { 200: changed(InvoiceDetailSchema, 'The invoice'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await payInvoice(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/invoices/{id}/refund',
      operationId: 'refundInvoice',
      tags: ['invoices'],
      summary: 'Refund a paid invoice in full or in part, never more than was paid',
      request: { params: InvoiceIdParam, ...jsonBody(RefundInvoiceBody) },
      responses: { 200: changed(InvoiceDetailSchema, 'The invoice'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await refundInvoice(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
  defineRoute(
    STAFF,
    {
      method: 'post',
      path: '/v1/invoices/{id}/void',
      operationId: 'voidInvoice',
      tags: ['invoices'],
      summary: 'Void an open invoice (a paid one is refunded instead: 409)',
      request: { params: InvoiceIdParam, ...jsonBody(VoidInvoiceBody) },
      responses: { 200: changed(InvoiceDetailSchema, 'The invoice'), ...problems(403, 404, 409, 413, 422) },
    },
    async (c, ctx) => outcomeResponse(c, await voidInvoice(ctx, c.req.valid('param').id, c.req.valid('json'))),
  ),
];
