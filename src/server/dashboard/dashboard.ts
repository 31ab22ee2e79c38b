import {
  dashboardCasesQuery,
  dashboardRows,
  type DashboardCasesQuery,
  type DashboardCaseListView,
  type DashboardView,
} from '../../common/contracts/economy-api.ts';
import { addDays, osloDate } from '../../common/rules/oslo-date.ts';
import { limitOffset } from '../../common/contracts/paging.ts';
import { authorize, type Actor } from '../security/actor.ts';
import type { Db } from '../db/database.ts';
import { countCasesByColumn, listCasesInColumn, storedRow, type DashboardScope } from './queries.ts';
import { dashboardPolicy } from './policy.ts';

// The staff dashboard (spec §11): a Today / Tomorrow / Later table of CASES per row.
//
// Decisions:
// - A number counts distinct cases. A case with several open items in one row counts once in that
//   row, in the column of its most urgent item (its earliest due date; overdue and undated → Today).
//   It may still appear in other rows.
// - "Today" is the calendar date in Europe/Oslo at the moment of the request.
// - Only open and on-hold cases of the actor's company count (closed and cancelled ones never).
// - Reminders are for the case handler: a staff member sees reminders on the cases they handle;
//   an API key (no person) sees all the company's reminders. The other rows are company-wide.
// - Customer uploads are documents uploaded by the customer not yet seen and unread messages from
//   the customer; partner uploads are partners' documents not yet seen.
// - The numbers and lists are read from tables the on-change step in entries.ts keeps current
//   inside every case change (see queries.ts for what and why).

function scopeOf(actor: Actor): DashboardScope {
  return { companyId: actor.companyId, handlerId: actor.kind === 'staff' ? actor.userId : null };
}

function daysAt(now: Date) {
  const today = osloDate(now);
  return { today, tomorrow: addDays(today, 1) };
}

/** The dashboard table; `now` is only given by tests. */
export async function getDashboard(db: Db, actor: Actor, now: Date = new Date()): Promise<DashboardView> {
  authorize(actor, dashboardPolicy.read);
  const { today, tomorrow } = daysAt(now);
  const counts = await countCasesByColumn(db, scopeOf(actor), today, tomorrow);
  const none = { today: 0, tomorrow: 0, later: 0 };
  return {
    today,
    tomorrow,
    rows: dashboardRows.map((row) => ({ row, ...(counts.get(storedRow[row]) ?? none) })),
  };
}

/**
 * One page of the cases behind one number of the table, most urgent first, with that number as the
 * total (from the same counts the table shows); `now` is only given by tests.
 */
export async function listDashboardCases(
  db: Db,
  actor: Actor,
  query: DashboardCasesQuery,
  now: Date = new Date(),
): Promise<DashboardCaseListView> {
  authorize(actor, dashboardPolicy.read);
  const { row, column, page, pageSize } = dashboardCasesQuery.parse(query);
  const { today, tomorrow } = daysAt(now);
  const scope = scopeOf(actor);
  const [counts, rows] = await Promise.all([
    countCasesByColumn(db, scope, today, tomorrow),
    listCasesInColumn(db, scope, row, column, today, tomorrow, limitOffset({ page, pageSize })),
  ]);
  return {
    items: rows.map((c) => ({
      id: c.id,
      claimNumber: c.claim_number,
      address: { street: c.street, postalCode: c.postal_code, city: c.city },
      customerName: c.customer_name,
      earliestDueOn: c.earliest_due_on,
    })),
    total: counts.get(storedRow[row])?.[column] ?? 0,
    page,
    pageSize,
  };
}
