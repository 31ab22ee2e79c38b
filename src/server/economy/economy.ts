import {
  createInvoiceSchema,
  createQuoteRequestSchema,
  createReminderSchema,
  replaceBudgetSchema,
  type BudgetView,
  type CreateInvoiceInput,
  type CreateQuoteRequestInput,
  type CreateReminderInput,
  type InvoiceView,
  type QuoteRequestView,
  type ReminderView,
  type ReplaceBudgetInput,
} from '../../common/economy-api.ts';
import { authorize, requireSameCompany, type Actor } from '../auth/actor.ts';
import { appendCaseEvent, eventActorOf } from '../case-events/case-events.ts';
import { loadCase } from '../cases/access.ts';
import { invalidReference } from '../cases/cases.ts';
import { casePolicy } from '../cases/policy.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import type { BudgetLinesTable, InvoicesTable, QuoteRequestsTable, RemindersTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import {
  deleteBudgetLinesOfCase,
  findInvoice,
  findOfficeOfCompany,
  findQuoteRequest,
  findReminder,
  insertBudgetLines,
  insertInvoice,
  insertQuoteRequest,
  insertReminder,
  listBudgetLinesOfCase,
  listInvoicesOfCase,
  listQuoteRequestsOfCase,
  listRemindersOfCase,
  markInvoiceApproved,
  markQuoteRequestAnswered,
  markReminderDone,
} from './queries.ts';

// The economy of a case (spec §9 case page: reminder for the case handler, Cost control, Invoice):
// reminders, quote requests to partner offices, invoices awaiting approval, and the case budget.
// Every change writes its case event in the same transaction. Levels: casePolicy (work = 1,
// budget = 2, approveInvoice = 4).

/** The office as a reference, or a 400 naming the field when it is not an office of the company. */
async function requireOffice(db: Db, actor: Actor, officeId: string | undefined, field = 'officeId') {
  if (officeId === undefined) return null;
  const office = await findOfficeOfCompany(db, actor.companyId, officeId);
  if (!office) throw invalidReference(field, 'is not an office of your partners');
  return office;
}

// ---- Reminders ----

/** Sets a reminder for the case handler, due on an Oslo calendar date (`reminder_set`). */
export async function setReminder(
  db: Db,
  actor: Actor,
  caseId: string,
  input: CreateReminderInput,
): Promise<ReminderView> {
  authorize(actor, casePolicy.work);
  const values = createReminderSchema.parse(input);
  const row = await loadCase(db, actor, caseId);
  const stamp = await eventActorOf(db, actor);
  const now = new Date();
  const reminder: RemindersTable = {
    id: newId(),
    company_id: row.company_id,
    case_id: row.id,
    due_on: values.dueOn,
    text: values.text,
    done_at: null,
    created_at: nowIso(now),
  };
  await inTransaction(db, async (trx) => {
    await insertReminder(trx, reminder);
    await appendCaseEvent(
      trx,
      { companyId: row.company_id, caseId: row.id },
      stamp,
      'reminder_set',
      { reminderId: reminder.id, dueOn: reminder.due_on, internalText: reminder.text },
      now,
    );
  });
  return presentReminder(reminder);
}

/** The reminders of a case: open ones first, earliest due first. */
export async function listReminders(db: Db, actor: Actor, caseId: string): Promise<ReminderView[]> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return (await listRemindersOfCase(db, row.id)).map(presentReminder);
}

/**
 * Marks a reminder done (it leaves the dashboard); a second time is 409. No case event: the event
 * catalogue (common/case-events.ts) has no kind for it yet.
 */
export async function completeReminder(db: Db, actor: Actor, reminderId: string): Promise<ReminderView> {
  authorize(actor, casePolicy.work);
  const reminder = requireSameCompany(actor, await findReminder(db, reminderId));
  const stamp = await eventActorOf(db, actor);
  const at = nowIso();
  await inTransaction(db, async (trx) => {
    if (reminder.done_at !== null || (await markReminderDone(trx, reminder.id, at)) === 0) {
      throw new AppError('conflict', 'The reminder is already done.');
    }
    await appendCaseEvent(
      trx,
      { companyId: reminder.company_id, caseId: reminder.case_id },
      stamp,
      'reminder_done',
      {
        reminderId: reminder.id,
      },
    );
  });
  return presentReminder({ ...reminder, done_at: at });
}

function presentReminder(row: RemindersTable): ReminderView {
  return {
    id: row.id,
    caseId: row.case_id,
    dueOn: row.due_on,
    text: row.text,
    done: row.done_at !== null,
    doneAt: row.done_at,
    createdAt: row.created_at,
  };
}

// ---- Quote requests ----

/** Asks a partner office (or someone outside the system) for a quote by a deadline. */
export async function requestQuote(
  db: Db,
  actor: Actor,
  caseId: string,
  input: CreateQuoteRequestInput,
): Promise<QuoteRequestView> {
  authorize(actor, casePolicy.work);
  const values = createQuoteRequestSchema.parse(input);
  const row = await loadCase(db, actor, caseId);
  const office = await requireOffice(db, actor, values.officeId);
  const stamp = await eventActorOf(db, actor);
  const now = new Date();
  const request: QuoteRequestsTable = {
    id: newId(),
    company_id: row.company_id,
    case_id: row.id,
    office_id: office?.id ?? null,
    description: values.description,
    deadline_on: values.deadlineOn,
    status: 'pending',
    answered_at: null,
    created_at: nowIso(now),
  };
  await inTransaction(db, async (trx) => {
    await insertQuoteRequest(trx, request);
    await appendCaseEvent(
      trx,
      { companyId: row.company_id, caseId: row.id },
      stamp,
      'quote_request_created',
      { quoteRequestId: request.id, deadlineOn: request.deadline_on },
      now,
    );
  });
  return presentQuoteRequest({ ...request, office_name: office?.name ?? null });
}

/** The quote requests of a case: pending ones first, earliest deadline first. */
export async function listQuoteRequests(db: Db, actor: Actor, caseId: string): Promise<QuoteRequestView[]> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return (await listQuoteRequestsOfCase(db, row.id)).map(presentQuoteRequest);
}

/** Records that the quote came in (`quote_request_answered`); a second time is 409. */
export async function markQuoteAnswered(
  db: Db,
  actor: Actor,
  quoteRequestId: string,
): Promise<QuoteRequestView> {
  authorize(actor, casePolicy.work);
  const request = requireSameCompany(actor, await findQuoteRequest(db, quoteRequestId));
  const stamp = await eventActorOf(db, actor);
  const now = new Date();
  await inTransaction(db, async (trx) => {
    if (
      request.status !== 'pending' ||
      (await markQuoteRequestAnswered(trx, request.id, nowIso(now))) === 0
    ) {
      throw new AppError('conflict', 'The quote request is already answered.');
    }
    await appendCaseEvent(
      trx,
      { companyId: request.company_id, caseId: request.case_id },
      stamp,
      'quote_request_answered',
      { quoteRequestId: request.id },
      now,
    );
  });
  return presentQuoteRequest({ ...request, status: 'answered', answered_at: nowIso(now) });
}

function presentQuoteRequest(row: QuoteRequestsTable & { office_name: string | null }): QuoteRequestView {
  return {
    id: row.id,
    caseId: row.case_id,
    office: row.office_id ? { id: row.office_id, name: row.office_name ?? '' } : null,
    description: row.description,
    deadlineOn: row.deadline_on,
    status: row.status,
    answeredAt: row.answered_at,
    createdAt: row.created_at,
  };
}

// ---- Invoices ----

/** Registers an invoice on the case; it awaits approval (`invoice_received`). */
export async function receiveInvoice(
  db: Db,
  actor: Actor,
  caseId: string,
  input: CreateInvoiceInput,
): Promise<InvoiceView> {
  authorize(actor, casePolicy.work);
  const values = createInvoiceSchema.parse(input);
  const row = await loadCase(db, actor, caseId);
  const office = await requireOffice(db, actor, values.officeId);
  const stamp = await eventActorOf(db, actor);
  const now = new Date();
  const invoice: InvoicesTable = {
    id: newId(),
    company_id: row.company_id,
    case_id: row.id,
    office_id: office?.id ?? null,
    description: values.description,
    amount_ore: values.amountOre,
    due_on: values.dueOn,
    status: 'awaiting_approval',
    approved_at: null,
    created_at: nowIso(now),
  };
  await inTransaction(db, async (trx) => {
    await insertInvoice(trx, invoice);
    await appendCaseEvent(
      trx,
      { companyId: row.company_id, caseId: row.id },
      stamp,
      'invoice_received',
      { invoiceId: invoice.id, amountOre: values.amountOre, dueOn: invoice.due_on },
      now,
    );
  });
  return presentInvoice({ ...invoice, office_name: office?.name ?? null });
}

/** The invoices of a case: those awaiting approval first, earliest due first. */
export async function listInvoices(db: Db, actor: Actor, caseId: string): Promise<InvoiceView[]> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return (await listInvoicesOfCase(db, row.id)).map(presentInvoice);
}

/** Approves an invoice (level 4, `invoice_approved`); a second time is 409. */
export async function approveInvoice(db: Db, actor: Actor, invoiceId: string): Promise<InvoiceView> {
  authorize(actor, casePolicy.approveInvoice);
  const invoice = requireSameCompany(actor, await findInvoice(db, invoiceId));
  const stamp = await eventActorOf(db, actor);
  const now = new Date();
  await inTransaction(db, async (trx) => {
    if (
      invoice.status !== 'awaiting_approval' ||
      (await markInvoiceApproved(trx, invoice.id, nowIso(now))) === 0
    ) {
      throw new AppError('conflict', 'The invoice is already approved.');
    }
    await appendCaseEvent(
      trx,
      { companyId: invoice.company_id, caseId: invoice.case_id },
      stamp,
      'invoice_approved',
      { invoiceId: invoice.id },
      now,
    );
  });
  return presentInvoice({ ...invoice, status: 'approved', approved_at: nowIso(now) });
}

function presentInvoice(row: InvoicesTable & { office_name: string | null }): InvoiceView {
  return {
    id: row.id,
    caseId: row.case_id,
    office: row.office_id ? { id: row.office_id, name: row.office_name ?? '' } : null,
    description: row.description,
    amountOre: Number(row.amount_ore),
    dueOn: row.due_on,
    status: row.status,
    approvedAt: row.approved_at,
    createdAt: row.created_at,
  };
}

// ---- Case budget ----

/** The case budget (Cost control): its lines in the order they were saved, and their total. */
export async function getBudget(db: Db, actor: Actor, caseId: string): Promise<BudgetView> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return presentBudget(await listBudgetLinesOfCase(db, row.id));
}

/**
 * Replaces every line of the case budget in one transaction (level 2, `budget_changed` with the new
 * total). The whole body is validated first, so one invalid line changes nothing.
 */
export async function replaceBudget(
  db: Db,
  actor: Actor,
  caseId: string,
  input: ReplaceBudgetInput,
): Promise<BudgetView> {
  authorize(actor, casePolicy.budget);
  const values = replaceBudgetSchema.parse(input);
  const row = await loadCase(db, actor, caseId);
  const stamp = await eventActorOf(db, actor);
  const now = new Date();
  // No position column: the lines keep their order through created_at, one millisecond apart.
  const lines: BudgetLinesTable[] = values.lines.map((line, index) => ({
    id: newId(),
    company_id: row.company_id,
    case_id: row.id,
    description: line.description,
    amount_ore: line.amountOre,
    created_at: nowIso(new Date(now.getTime() + index)),
  }));
  const budget = presentBudget(lines);
  await inTransaction(db, async (trx) => {
    await deleteBudgetLinesOfCase(trx, row.id);
    await insertBudgetLines(trx, lines);
    await appendCaseEvent(
      trx,
      { companyId: row.company_id, caseId: row.id },
      stamp,
      'budget_changed',
      { totalOre: budget.totalOre },
      now,
    );
  });
  return budget;
}

function presentBudget(rows: Array<Pick<BudgetLinesTable, 'id' | 'description' | 'amount_ore'>>): BudgetView {
  const lines = rows.map((line) => ({
    id: line.id,
    description: line.description,
    amountOre: Number(line.amount_ore),
  }));
  return { lines, totalOre: lines.reduce((sum, line) => sum + line.amountOre, 0) };
}
