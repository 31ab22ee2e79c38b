import { z } from 'zod';
import { emptyBodySchema } from '../../common/contracts/case-schemas.ts';
import {
  answerQuoteRequestSchema,
  budgetView,
  createInvoiceSchema,
  createQuoteRequestSchema,
  createReminderSchema,
  invoiceView,
  quoteRequestView,
  reminderView,
  replaceBudgetSchema,
} from '../../common/contracts/economy-api.ts';
import { pageQuery, pageView } from '../../common/contracts/paging.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import {
  approveInvoice,
  completeReminder,
  getBudget,
  listInvoices,
  listQuoteRequests,
  listReminders,
  markQuoteAnswered,
  receiveInvoice,
  replaceBudget,
  requestQuote,
  setReminder,
} from './economy.ts';

const params = z.object({ id: idSchema });
const tags = ['economy'];

/** Economy of a case: reminders, quote requests, invoices and the case budget. */
export async function economyRoutes(app: App): Promise<void> {
  app.post(
    '/cases/:id/reminders',
    {
      schema: {
        tags,
        summary: 'Set a reminder for the case handler',
        params,
        body: createReminderSchema,
        response: { 201: reminderView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await setReminder(app.db, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/cases/:id/reminders',
    {
      schema: {
        tags,
        summary: 'Reminders of the case, open ones first, in pages',
        params,
        querystring: pageQuery(),
        response: { 200: pageView(reminderView) },
      },
    },
    async (request) => listReminders(app.db, actorOf(request), request.params.id, request.query),
  );
  app.post(
    '/reminders/:id/done',
    {
      schema: {
        tags,
        summary: 'Mark a reminder done',
        params,
        body: emptyBodySchema,
        response: { 200: reminderView },
      },
    },
    async (request) => completeReminder(app.db, actorOf(request), request.params.id),
  );

  app.post(
    '/cases/:id/quote-requests',
    {
      schema: {
        tags,
        summary: 'Request a quote, optionally from a partner office, by a deadline',
        params,
        body: createQuoteRequestSchema,
        response: { 201: quoteRequestView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await requestQuote(app.db, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/cases/:id/quote-requests',
    {
      schema: {
        tags,
        summary: 'Quote requests of the case, pending ones first, in pages',
        params,
        querystring: pageQuery(),
        response: { 200: pageView(quoteRequestView) },
      },
    },
    async (request) => listQuoteRequests(app.db, actorOf(request), request.params.id, request.query),
  );
  app.post(
    '/quote-requests/:id/answered',
    {
      schema: {
        tags,
        summary: 'Record that the quote came in, with what it came to when known',
        params,
        body: answerQuoteRequestSchema,
        response: { 200: quoteRequestView },
      },
    },
    async (request) =>
      markQuoteAnswered(app.db, actorOf(request), request.params.id, request.body?.amountOre ?? null),
  );

  app.post(
    '/cases/:id/invoices',
    {
      schema: {
        tags,
        summary: 'Register an invoice on the case; it awaits approval',
        params,
        body: createInvoiceSchema,
        response: { 201: invoiceView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await receiveInvoice(app.db, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/cases/:id/invoices',
    {
      schema: {
        tags,
        summary: 'Invoices of the case, those awaiting approval first, in pages',
        params,
        querystring: pageQuery(),
        response: { 200: pageView(invoiceView) },
      },
    },
    async (request) => listInvoices(app.db, actorOf(request), request.params.id, request.query),
  );
  app.post(
    '/invoices/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve an invoice (level 4)',
        params,
        body: emptyBodySchema,
        response: { 200: invoiceView },
      },
    },
    async (request) => approveInvoice(app.db, actorOf(request), request.params.id),
  );

  app.get(
    '/cases/:id/budget',
    {
      schema: {
        tags,
        summary: 'The case budget: its lines and their total in øre',
        params,
        response: { 200: budgetView },
      },
    },
    async (request) => getBudget(app.db, actorOf(request), request.params.id),
  );
  app.put(
    '/cases/:id/budget',
    {
      schema: {
        tags,
        summary: 'Replace every line of the case budget (level 2)',
        params,
        body: replaceBudgetSchema,
        response: { 200: budgetView },
      },
    },
    async (request) => replaceBudget(app.db, actorOf(request), request.params.id, request.body),
  );
}
