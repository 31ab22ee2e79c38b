import { sql, type Expression } from 'kysely';
import type { DashboardRow } from '../../common/economy-api.ts';
import type { DashboardColumn } from '../../common/oslo-date.ts';
import type { Db } from '../db/database.ts';

// All SQL of the staff dashboard (spec §11). Nothing is loaded into memory to be counted: per row,
// one query groups the row's open items by case (min due date), and the outer query buckets those
// per-case dates against Oslo's today/tomorrow (ISO dates compare as text) and counts cases.
// Each source filters on the leading columns of its index: reminders_open_idx (company_id, done_at,
// due_on), quote_requests_pending_idx and invoices_status_idx (company_id, status, due date),
// documents_unseen_idx (company_id, uploaded_by_kind, seen_at); cases are joined by primary key.

/** Whose dashboard: the company, and for the reminders row the case handler (null: an API key, all). */
export interface DashboardScope {
  companyId: string;
  handlerId: string | null;
}

/** Only cases still being worked on count. */
const activeStatuses = ['open', 'on_hold'] as const;

/** One open item of a row: its case and its due date (null: undated, counts as Today). */
interface Item {
  case_id: string;
  due: string | null;
}

const undated = sql<string | null>`cast(null as text)`;

/** Open reminders of active cases; on a staff member's dashboard only cases they handle. */
function openReminders(db: Db, scope: DashboardScope): Expression<Item> {
  let query = db
    .selectFrom('reminders as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .select(['i.case_id', 'i.due_on as due'])
    .where('i.company_id', '=', scope.companyId)
    .where('i.done_at', 'is', null)
    .where('c.company_id', '=', scope.companyId)
    .where('c.status', 'in', activeStatuses);
  if (scope.handlerId !== null) query = query.where('c.case_handler_id', '=', scope.handlerId);
  return query;
}

function pendingQuoteRequests(db: Db, scope: DashboardScope): Expression<Item> {
  return db
    .selectFrom('quote_requests as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .select(['i.case_id', 'i.deadline_on as due'])
    .where('i.company_id', '=', scope.companyId)
    .where('i.status', '=', 'pending')
    .where('c.company_id', '=', scope.companyId)
    .where('c.status', 'in', activeStatuses);
}

function invoicesAwaitingApproval(db: Db, scope: DashboardScope): Expression<Item> {
  return db
    .selectFrom('invoices as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .select(['i.case_id', 'i.due_on as due'])
    .where('i.company_id', '=', scope.companyId)
    .where('i.status', '=', 'awaiting_approval')
    .where('c.company_id', '=', scope.companyId)
    .where('c.status', 'in', activeStatuses);
}

/** Documents a partner or the customer uploaded that no staff member has seen yet (undated). */
function unseenUploads(db: Db, scope: DashboardScope, uploadedBy: 'customer' | 'partner') {
  return db
    .selectFrom('documents as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .select(['i.case_id', undated.as('due')])
    .where('i.company_id', '=', scope.companyId)
    .where('i.uploaded_by_kind', '=', uploadedBy)
    .where('i.seen_at', 'is', null)
    .where('c.company_id', '=', scope.companyId)
    .where('c.status', 'in', activeStatuses);
}

/** Messages customers wrote that staff have not marked read yet (undated). */
function unreadCustomerMessages(db: Db, scope: DashboardScope) {
  return (
    db
      .selectFrom('case_messages as i')
      .innerJoin('cases as c', 'c.id', 'i.case_id')
      .select(['i.case_id', undated.as('due')])
      .where('i.company_id', '=', scope.companyId)
      // Literal, so the partial index case_messages_unread_idx applies (on SQLite too).
      .where('i.direction', '=', sql.lit('from_customer'))
      .where('i.read_at', 'is', null)
      .where('c.company_id', '=', scope.companyId)
      .where('c.status', 'in', activeStatuses)
  );
}

/** "Cases with documents/messages from the customer": unseen customer documents and unread messages. */
function customerDocumentsAndMessages(db: Db, scope: DashboardScope): Expression<Item> {
  return unseenUploads(db, scope, 'customer').unionAll(unreadCustomerMessages(db, scope));
}

const itemsOfRow: Record<DashboardRow, (db: Db, scope: DashboardScope) => Expression<Item>> = {
  reminders: openReminders,
  quoteRequests: pendingQuoteRequests,
  customerUploads: customerDocumentsAndMessages,
  partnerUploads: (db, scope) => unseenUploads(db, scope, 'partner'),
  invoicesAwaitingApproval,
};

/**
 * One row per case with open items in the row: `due` is the date of its most urgent item (undated
 * items count as `today`, so they always land in Today), `earliest_due_on` the earliest real due
 * date (null when all its items are undated).
 */
function dueByCase(db: Db, scope: DashboardScope, row: DashboardRow, today: string) {
  const items = sql<Item>`${itemsOfRow[row](db, scope)}`.as('items');
  return db
    .selectFrom(items)
    .select((eb) => [
      'items.case_id',
      eb.fn.min<string>(eb.fn.coalesce('items.due', eb.val(today))).as('due'),
      eb.fn.min<string | null>('items.due').as('earliest_due_on'),
    ])
    .groupBy('items.case_id');
}

/** Number of cases of a row in each column: due ≤ today → today, = tomorrow → tomorrow, else later. */
export async function countCasesByColumn(
  db: Db,
  scope: DashboardScope,
  row: DashboardRow,
  today: string,
  tomorrow: string,
): Promise<Record<DashboardColumn, number>> {
  const due = sql.ref('d.due');
  const counts = await db
    .selectFrom(dueByCase(db, scope, row, today).as('d'))
    .select([
      sql<string | number>`count(case when ${due} <= ${today} then 1 end)`.as('today'),
      sql<string | number>`count(case when ${due} = ${tomorrow} then 1 end)`.as('tomorrow'),
      sql<string | number>`count(case when ${due} > ${tomorrow} then 1 end)`.as('later'),
    ])
    .executeTakeFirstOrThrow();
  return { today: Number(counts.today), tomorrow: Number(counts.tomorrow), later: Number(counts.later) };
}

/** The cases behind one number of the table, most urgent first. */
export function listCasesInColumn(
  db: Db,
  scope: DashboardScope,
  row: DashboardRow,
  column: DashboardColumn,
  today: string,
  tomorrow: string,
) {
  const query = db
    .selectFrom(dueByCase(db, scope, row, today).as('d'))
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .leftJoin('case_contacts as cc', (join) =>
      join.onRef('cc.case_id', '=', 'c.id').on('cc.role', '=', 'customer'),
    )
    .select([
      'c.id',
      'c.claim_number',
      'c.street',
      'c.postal_code',
      'c.city',
      'cc.name as customer_name',
      'd.earliest_due_on',
    ])
    .where('c.company_id', '=', scope.companyId);
  const inColumn =
    column === 'today'
      ? query.where('d.due', '<=', today)
      : column === 'tomorrow'
        ? query.where('d.due', '=', tomorrow)
        : query.where('d.due', '>', tomorrow);
  return inColumn.orderBy('d.due').orderBy('c.claim_number').orderBy('c.id').execute();
}
