import type { Db } from '../db/database.ts';
import type { BudgetLinesTable, InvoicesTable, QuoteRequestsTable, RemindersTable } from '../db/schema.ts';

// All SQL of the economy module. Rows are scoped by case id or checked with requireSameCompany by
// the service; amounts are bigint øre, which PostgreSQL returns as text (the service wraps Number()).

export const findOfficeOfCompany = (db: Db, companyId: string, officeId: string) =>
  db
    .selectFrom('offices as o')
    .innerJoin('partners as p', 'p.id', 'o.partner_id')
    .select(['o.id', 'o.name', 'p.name as partner_name'])
    .where('o.company_id', '=', companyId)
    .where('o.id', '=', officeId)
    .executeTakeFirst();

// ---- Reminders ----

export const insertReminder = (db: Db, row: RemindersTable) =>
  db.insertInto('reminders').values(row).execute();

export const findReminder = (db: Db, id: string) =>
  db.selectFrom('reminders').selectAll().where('id', '=', id).executeTakeFirst();

/** Open reminders first (earliest due first), then done ones (a query, to read in pages). */
export const remindersOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('reminders')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('done_at', (ob) => ob.asc().nullsFirst())
    .orderBy('due_on')
    .orderBy('created_at')
    .orderBy('id');

/** Marks a reminder done unless it already is; the number of rows changed tells which. */
export const markReminderDone = async (db: Db, id: string, at: string) =>
  Number(
    (
      await db
        .updateTable('reminders')
        .set({ done_at: at })
        .where('id', '=', id)
        .where('done_at', 'is', null)
        .executeTakeFirst()
    ).numUpdatedRows,
  );

// ---- Quote requests ----

export const insertQuoteRequest = (db: Db, row: QuoteRequestsTable) =>
  db.insertInto('quote_requests').values(row).execute();

const quoteRequestsWithOffice = (db: Db) =>
  db
    .selectFrom('quote_requests as q')
    .leftJoin('offices as o', 'o.id', 'q.office_id')
    .leftJoin('partners as p', 'p.id', 'o.partner_id')
    .selectAll('q')
    .select(['o.name as office_name', 'p.name as partner_name']);

export const findQuoteRequest = (db: Db, id: string) =>
  quoteRequestsWithOffice(db).where('q.id', '=', id).executeTakeFirst();

/** Pending first (earliest deadline first), then answered ones (a query, to read in pages). */
export const quoteRequestsOfCase = (db: Db, caseId: string) =>
  quoteRequestsWithOffice(db)
    .where('q.case_id', '=', caseId)
    .orderBy('q.answered_at', (ob) => ob.asc().nullsFirst())
    .orderBy('q.deadline_on')
    .orderBy('q.created_at')
    .orderBy('q.id');

export const markQuoteRequestAnswered = async (db: Db, id: string, at: string, amountOre: number | null) =>
  Number(
    (
      await db
        .updateTable('quote_requests')
        .set({ status: 'answered', answered_at: at, amount_ore: amountOre })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst()
    ).numUpdatedRows,
  );

// ---- Invoices ----

export const insertInvoice = (db: Db, row: InvoicesTable) => db.insertInto('invoices').values(row).execute();

const invoicesWithOffice = (db: Db) =>
  db
    .selectFrom('invoices as i')
    .leftJoin('offices as o', 'o.id', 'i.office_id')
    .leftJoin('partners as p', 'p.id', 'o.partner_id')
    .selectAll('i')
    .select(['o.name as office_name', 'p.name as partner_name']);

export const findInvoice = (db: Db, id: string) =>
  invoicesWithOffice(db).where('i.id', '=', id).executeTakeFirst();

/** Awaiting approval first (earliest due first), then approved ones (a query, to read in pages). */
export const invoicesOfCase = (db: Db, caseId: string) =>
  invoicesWithOffice(db)
    .where('i.case_id', '=', caseId)
    .orderBy('i.approved_at', (ob) => ob.asc().nullsFirst())
    .orderBy('i.due_on')
    .orderBy('i.created_at')
    .orderBy('i.id');

export const markInvoiceApproved = async (db: Db, id: string, at: string, by: string | null) =>
  Number(
    (
      await db
        .updateTable('invoices')
        .set({ status: 'approved', approved_at: at, approved_by_name: by })
        .where('id', '=', id)
        .where('status', '=', 'awaiting_approval')
        .executeTakeFirst()
    ).numUpdatedRows,
  );

// ---- Case budget ----

export const listBudgetLinesOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('budget_lines')
    .select(['id', 'description', 'amount_ore'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const deleteBudgetLinesOfCase = (db: Db, caseId: string) =>
  db.deleteFrom('budget_lines').where('case_id', '=', caseId).execute();

export const insertBudgetLines = (db: Db, rows: BudgetLinesTable[]) =>
  rows.length === 0 ? Promise.resolve() : db.insertInto('budget_lines').values(rows).execute();
