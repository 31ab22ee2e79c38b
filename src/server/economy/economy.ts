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
} from '../../common/contracts/economy-api.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import { authorize, requireSameCompany, type Actor } from '../security/actor.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import { invalidReference } from '../cases/cases.ts';
import { casePolicy } from '../cases/policy.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type {
  BudgetLinesTable,
  CasesTable,
  InvoicesTable,
  QuoteRequestsTable,
  RemindersTable,
} from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
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
  invoicesOfCase,
  quoteRequestsOfCase,
  remindersOfCase,
  markInvoiceApproved,
  markQuoteRequestAnswered,
  markReminderDone,
} from './queries.ts';

// The economy of a case (spec §9 case page: reminder for the case handler, Cost control, Invoice):
// reminders, quote requests to partner offices, invoices awaiting approval, and the case budget.
// Every change is a case command (case-commands/case-command.ts): the case is locked, the guarded
// row (reminder, quote request, invoice, budget lines) is read again inside the command, and the
// change and its case event commit together. Levels: casePolicy (work = 1, budget = 2,
// approveInvoice = 4).

/** The office as a reference, or a 400 naming the field when it is not an office of the company. */
async function requireOffice(db: Db, actor: Actor, officeId: string | undefined, field = 'officeId') {
  if (officeId === undefined) return null;
  const office = await findOfficeOfCompany(db, actor.companyId, officeId);
  if (!office) throw invalidReference(field, 'is not an office of your partners');
  return office;
}

/** The names a quote request or invoice shows of its office: the office's and its partner's. */
interface OfficeNames {
  office_name: string | null;
  partner_name: string | null;
}

function officeNames(office: { name: string; partner_name: string } | null): OfficeNames {
  return { office_name: office?.name ?? null, partner_name: office?.partner_name ?? null };
}

function presentOffice(row: { office_id: string | null } & OfficeNames) {
  return row.office_id
    ? { id: row.office_id, name: row.office_name ?? '', partnerName: row.partner_name ?? '' }
    : null;
}

/**
 * A row of a case read again inside the case's command (it belongs to the locked case); the read
 * before the command only found the case to lock.
 */
function rowOfCase<T extends { case_id: string }>(row: CasesTable, found: T | undefined): T {
  if (!found || found.case_id !== row.id) throw notFound();
  return found;
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
  return caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, event, now }) => {
    const reminder: RemindersTable = {
      id: newId(),
      company_id: row.company_id,
      case_id: row.id,
      due_on: values.dueOn,
      text: values.text,
      done_at: null,
      created_at: nowIso(now),
    };
    await insertReminder(trx, reminder);
    await event('reminder_set', {
      reminderId: reminder.id,
      dueOn: reminder.due_on,
      internalText: reminder.text,
    });
    return presentReminder(reminder);
  });
}

/** One page of the reminders of a case: open ones first, earliest due first. */
export async function listReminders(
  db: Db,
  actor: Actor,
  caseId: string,
  paging: PageRequest,
): Promise<Page<ReminderView>> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return fetchPage(remindersOfCase(db, row.id), paging, presentReminder);
}

/**
 * Marks a reminder done (`reminder_done`; it leaves the dashboard). A step: a second time is 409 —
 * of simultaneous requests exactly one passes, since the reminder is read inside the command.
 */
export async function completeReminder(db: Db, actor: Actor, reminderId: string): Promise<ReminderView> {
  authorize(actor, casePolicy.work);
  const known = requireSameCompany(actor, await findReminder(db, reminderId));
  return caseCommand(db, actor, known.case_id, casePolicy.work, async ({ trx, row, event, now }) => {
    const reminder = rowOfCase(row, await findReminder(trx, reminderId));
    const at = nowIso(now);
    // The conditional update repeats the guard in SQL: belt and braces.
    if (reminder.done_at !== null || (await markReminderDone(trx, reminder.id, at)) === 0) {
      throw new AppError('conflict', 'The reminder is already done.', { reason: 'already_done' });
    }
    await event('reminder_done', { reminderId: reminder.id });
    return presentReminder({ ...reminder, done_at: at });
  });
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
  // Existence (404) before the office reference (400).
  await loadCase(db, actor, caseId);
  const office = await requireOffice(db, actor, values.officeId);
  return caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, event, now }) => {
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
    await insertQuoteRequest(trx, request);
    await event('quote_request_created', { quoteRequestId: request.id, deadlineOn: request.deadline_on });
    return presentQuoteRequest({ ...request, ...officeNames(office) });
  });
}

/** One page of the quote requests of a case: pending ones first, earliest deadline first. */
export async function listQuoteRequests(
  db: Db,
  actor: Actor,
  caseId: string,
  paging: PageRequest,
): Promise<Page<QuoteRequestView>> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return fetchPage(quoteRequestsOfCase(db, row.id), paging, presentQuoteRequest);
}

/**
 * Records that the quote came in (`quote_request_answered`). A step: a second time is 409, read
 * inside the command so that of simultaneous requests exactly one passes.
 */
export async function markQuoteAnswered(
  db: Db,
  actor: Actor,
  quoteRequestId: string,
  amountOre: number | null = null,
): Promise<QuoteRequestView> {
  authorize(actor, casePolicy.work);
  const known = requireSameCompany(actor, await findQuoteRequest(db, quoteRequestId));
  return caseCommand(db, actor, known.case_id, casePolicy.work, async ({ trx, row, event, now }) => {
    const request = rowOfCase(row, await findQuoteRequest(trx, quoteRequestId));
    const at = nowIso(now);
    // The conditional update repeats the guard in SQL: belt and braces.
    if (
      request.status !== 'pending' ||
      (await markQuoteRequestAnswered(trx, request.id, at, amountOre)) === 0
    ) {
      throw new AppError('conflict', 'The quote request is already answered.', { reason: 'already_done' });
    }
    await event('quote_request_answered', { quoteRequestId: request.id });
    return presentQuoteRequest({ ...request, status: 'answered', answered_at: at, amount_ore: amountOre });
  });
}

function presentQuoteRequest(row: QuoteRequestsTable & OfficeNames): QuoteRequestView {
  return {
    id: row.id,
    caseId: row.case_id,
    office: presentOffice(row),
    description: row.description,
    deadlineOn: row.deadline_on,
    status: row.status,
    answeredAt: row.answered_at,
    amountOre: row.amount_ore == null ? null : Number(row.amount_ore),
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
  // Existence (404) before the office reference (400).
  await loadCase(db, actor, caseId);
  const office = await requireOffice(db, actor, values.officeId);
  return caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, event, now }) => {
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
      approved_by_name: null,
      created_at: nowIso(now),
    };
    await insertInvoice(trx, invoice);
    await event('invoice_received', {
      invoiceId: invoice.id,
      amountOre: values.amountOre,
      dueOn: invoice.due_on,
    });
    return presentInvoice({ ...invoice, ...officeNames(office) });
  });
}

/** One page of the invoices of a case: those awaiting approval first, earliest due first. */
export async function listInvoices(
  db: Db,
  actor: Actor,
  caseId: string,
  paging: PageRequest,
): Promise<Page<InvoiceView>> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return fetchPage(invoicesOfCase(db, row.id), paging, presentInvoice);
}

/**
 * Approves an invoice (level 4, `invoice_approved`). A step: a second time is 409, read inside the
 * command so that of simultaneous approvals exactly one passes.
 */
export async function approveInvoice(db: Db, actor: Actor, invoiceId: string): Promise<InvoiceView> {
  authorize(actor, casePolicy.approveInvoice);
  const known = requireSameCompany(actor, await findInvoice(db, invoiceId));
  return caseCommand(
    db,
    actor,
    known.case_id,
    casePolicy.approveInvoice,
    async ({ trx, row, event, now, stamp }) => {
      const invoice = rowOfCase(row, await findInvoice(trx, invoiceId));
      const at = nowIso(now);
      // The approver's name as the case log stamps it (a user, or "API: <key name>").
      const by = stamp.name;
      // The conditional update repeats the guard in SQL: belt and braces.
      if (
        invoice.status !== 'awaiting_approval' ||
        (await markInvoiceApproved(trx, invoice.id, at, by)) === 0
      ) {
        throw new AppError('conflict', 'The invoice is already approved.', { reason: 'already_done' });
      }
      await event('invoice_approved', { invoiceId: invoice.id });
      return presentInvoice({ ...invoice, status: 'approved', approved_at: at, approved_by_name: by });
    },
  );
}

function presentInvoice(row: InvoicesTable & OfficeNames): InvoiceView {
  return {
    id: row.id,
    caseId: row.case_id,
    office: presentOffice(row),
    description: row.description,
    amountOre: Number(row.amount_ore),
    dueOn: row.due_on,
    status: row.status,
    approvedAt: row.approved_at,
    approvedBy: row.approved_by_name,
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
 * Replaces every line of the case budget (level 2, `budget_changed` with the new total). The whole
 * body is validated first, so one invalid line changes nothing. A set-value change: the budget
 * already stored (same lines in the same order) is a no-op without an event; of simultaneous
 * replacements each runs on the lines the one before left, so the last one's lines are stored.
 */
export async function replaceBudget(
  db: Db,
  actor: Actor,
  caseId: string,
  input: ReplaceBudgetInput,
): Promise<BudgetView> {
  authorize(actor, casePolicy.budget);
  const values = replaceBudgetSchema.parse(input);
  return caseCommand(db, actor, caseId, casePolicy.budget, async ({ trx, row, event, now }) => {
    const stored = presentBudget(await listBudgetLinesOfCase(trx, row.id));
    if (sameLines(stored.lines, values.lines)) return stored;
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
    await deleteBudgetLinesOfCase(trx, row.id);
    await insertBudgetLines(trx, lines);
    await event('budget_changed', { totalOre: budget.totalOre });
    return budget;
  });
}

/** Whether two budgets have the same lines (description and amount) in the same order. */
function sameLines(
  stored: ReadonlyArray<{ description: string; amountOre: number }>,
  next: ReadonlyArray<{ description: string; amountOre: number }>,
): boolean {
  return (
    stored.length === next.length &&
    stored.every(
      (line, index) =>
        line.description === next[index]?.description && line.amountOre === next[index]?.amountOre,
    )
  );
}

function presentBudget(rows: Array<Pick<BudgetLinesTable, 'id' | 'description' | 'amount_ore'>>): BudgetView {
  const lines = rows.map((line) => ({
    id: line.id,
    description: line.description,
    amountOre: Number(line.amount_ore),
  }));
  return { lines, totalOre: lines.reduce((sum, line) => sum + line.amountOre, 0) };
}
