import { sql, type ExpressionBuilder } from 'kysely';
import type { DashboardRow } from '../../common/contracts/economy-api.ts';
import type { DashboardColumn } from '../../common/rules/oslo-date.ts';
import type { Db } from '../db/database.ts';
import type {
  CasesTable,
  Database,
  DashboardCountsTable,
  DashboardEntriesTable,
  DashboardEntryRow,
} from '../db/schema.ts';

// All SQL of the staff dashboard (spec §11).
//
// The items behind the numbers (open reminders, pending quote requests, unseen uploads, unread
// customer messages, invoices awaiting approval) are folded on write, by the on-change step in
// entries.ts, into two tables:
// - `dashboard_entries`: one row per case and dashboard row while the case is open or on hold, with
//   the date that decides its column (the earliest due date of its items in the row; null when one is
//   undated → Today). The case lists behind the numbers read one range of its index
//   (company_id, dashboard_row, handler_id, due_on) and join only the cases they show.
// - `dashboard_counts`: the number of entries per (company, row, due date; the reminders row also per
//   handler). The numbers are sums over a company's buckets — a few dozen rows per row of the table,
//   bucketed against Oslo's today and tomorrow (ISO dates compare as text) — however many cases.
// Counting the items directly cost a case lookup per item (its status decides whether it counts):
// ~25 000 lookups for the biggest bench company, 400–900 ms. Counting the entries instead still
// visited every entry (~22 000; on PostgreSQL each a visibility check, slow on a churned table).

/** Whose dashboard: the company, and for the reminders row the case handler (null: an API key, all). */
export interface DashboardScope {
  companyId: string;
  handlerId: string | null;
}

/** How each row of the table is stored in `dashboard_entries.dashboard_row`. */
export const storedRow: Record<DashboardRow, DashboardEntryRow> = {
  reminders: 'reminders',
  quoteRequests: 'quote_requests',
  customerUploads: 'customer_uploads',
  partnerUploads: 'partner_uploads',
  invoicesAwaitingApproval: 'invoices_awaiting_approval',
};

/** Only cases still being worked on count. */
export const activeStatuses = ['open', 'on_hold'] as const;

// ---- Maintenance: what a case's entries should be ----

/** One open item: its case, its dashboard row, its due date (null: undated, counts as Today). */
export interface Item {
  case_id: string;
  dashboard_row: DashboardEntryRow;
  due: string | null;
}

const rowLiteral = (row: DashboardEntryRow) => sql.lit(row).$castTo<DashboardEntryRow>().as('dashboard_row');
const undated = sql<string | null>`cast(null as text)`.as('due');

/**
 * The open items of every row, of one case (through each table's partial index of open items by
 * case) or of all cases (null: a rebuild). Literal values: SQLite uses a partial index only then.
 */
function openItems(db: Db, of: { caseId: string; companyId: string } | null) {
  const reminders = db
    .selectFrom('reminders as i')
    .select(['i.case_id', rowLiteral('reminders'), 'i.due_on as due'])
    .where('i.done_at', 'is', null)
    .$castTo<Item>();
  const quotes = db
    .selectFrom('quote_requests as i')
    .select(['i.case_id', rowLiteral('quote_requests'), 'i.deadline_on as due'])
    .where('i.status', '=', sql.lit('pending'));
  const unseen = (by: 'customer' | 'partner') =>
    db
      .selectFrom('documents as i')
      .select(['i.case_id', rowLiteral(`${by}_uploads`), undated])
      .where('i.uploaded_by_kind', '=', sql.lit(by))
      .where('i.seen_at', 'is', null);
  const unread = db
    .selectFrom('case_messages as i')
    .select(['i.case_id', rowLiteral('customer_uploads'), undated])
    .where('i.direction', '=', sql.lit('from_customer'))
    .where('i.read_at', 'is', null);
  const invoices = db
    .selectFrom('invoices as i')
    .select(['i.case_id', rowLiteral('invoices_awaiting_approval'), 'i.due_on as due'])
    .where('i.status', '=', sql.lit('awaiting_approval'));
  if (of === null) {
    return reminders
      .unionAll(quotes)
      .unionAll(unseen('customer'))
      .unionAll(unread)
      .unionAll(unseen('partner'))
      .unionAll(invoices);
  }
  const { caseId, companyId } = of;
  return (
    reminders
      .where('i.case_id', '=', caseId)
      .unionAll(quotes.where('i.case_id', '=', caseId))
      .unionAll(unseen('customer').where('i.case_id', '=', caseId))
      // With the company, the messages' partial index case_messages_unread_idx (company_id, case_id).
      .unionAll(unread.where('i.company_id', '=', companyId).where('i.case_id', '=', caseId))
      .unionAll(unseen('partner').where('i.case_id', '=', caseId))
      .unionAll(invoices.where('i.case_id', '=', caseId))
  );
}

/**
 * What the on-change step compares, in one statement (one round trip on PostgreSQL): the case's
 * open items (none asked for: `withItems` false, for a closed case) and its stored entries.
 */
export async function itemsAndEntriesOfCase(
  db: Db,
  row: Pick<CasesTable, 'id' | 'company_id'>,
  withItems: boolean,
): Promise<{ items: Item[]; stored: DashboardEntriesTable[] }> {
  const stored = db
    .selectFrom('dashboard_entries as e')
    .select([
      sql.lit('stored').$castTo<'stored' | 'item'>().as('source'),
      'e.dashboard_row',
      'e.due_on as due',
      'e.handler_id',
    ])
    .where('e.case_id', '=', row.id);
  const items = db
    .selectFrom(openItems(db, { caseId: row.id, companyId: row.company_id }).as('o'))
    .select([
      sql.lit('item').$castTo<'stored' | 'item'>().as('source'),
      'o.dashboard_row',
      'o.due',
      sql<string | null>`cast(null as text)`.as('handler_id'),
    ]);
  const rows = await (withItems ? stored.unionAll(items) : stored).execute();
  return {
    items: rows
      .filter((r) => r.source === 'item')
      .map((r) => ({ case_id: row.id, dashboard_row: r.dashboard_row, due: r.due })),
    stored: rows
      .filter((r) => r.source === 'stored')
      .map((r) => ({
        case_id: row.id,
        dashboard_row: r.dashboard_row,
        company_id: row.company_id,
        handler_id: r.handler_id,
        due_on: r.due,
      })),
  };
}

/**
 * The entries every case should have: per active case and row with open items, the earliest due
 * date, or null when one of its items is undated (the same rule as entriesOfCase in entries.ts).
 */
function allEntries(db: Db) {
  return db
    .selectFrom(openItems(db, null).as('i'))
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .select((eb) => [
      'c.id as case_id',
      'i.dashboard_row',
      'c.company_id',
      'c.case_handler_id as handler_id',
      sql<string | null>`case when count(${eb.ref('i.due')}) = count(*) then min(${eb.ref('i.due')}) end`.as(
        'due_on',
      ),
    ])
    .where('c.status', 'in', activeStatuses)
    .groupBy(['c.id', 'i.dashboard_row', 'c.company_id', 'c.case_handler_id']);
}

/** Writes entries (new ones, or new values of existing ones). */
export async function upsertEntries(db: Db, entries: DashboardEntriesTable[]): Promise<void> {
  if (!entries.length) return;
  await db
    .insertInto('dashboard_entries')
    .values(entries)
    .onConflict((conflict) =>
      conflict.columns(['case_id', 'dashboard_row']).doUpdateSet((eb) => ({
        company_id: eb.ref('excluded.company_id'),
        handler_id: eb.ref('excluded.handler_id'),
        due_on: eb.ref('excluded.due_on'),
      })),
    )
    .execute();
}

/** Removes a case's entries in the given rows. */
export async function deleteEntries(db: Db, caseId: string, rows: DashboardEntryRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .deleteFrom('dashboard_entries')
    .where('case_id', '=', caseId)
    .where('dashboard_row', 'in', rows)
    .execute();
}

/** The bucket of `dashboard_counts` an entry is counted in. */
export type CountBucket = Omit<DashboardCountsTable, 'cases'>;

/** An entry's bucket: only the reminders row is counted per handler; '' stands for none. */
export const bucketOf = (entry: DashboardEntriesTable): CountBucket => ({
  company_id: entry.company_id,
  dashboard_row: entry.dashboard_row,
  handler_id: entry.dashboard_row === 'reminders' ? (entry.handler_id ?? '') : '',
  due_on: entry.due_on ?? '',
});

const inBucket = (bucket: CountBucket) => (eb: ExpressionBuilder<Database, 'dashboard_counts'>) =>
  eb.and([
    eb('company_id', '=', bucket.company_id),
    eb('dashboard_row', '=', bucket.dashboard_row),
    eb('handler_id', '=', bucket.handler_id),
    eb('due_on', '=', bucket.due_on),
  ]);

/** Adds `delta` cases to a bucket (a bucket that reaches 0 is deleted). */
export async function addToCount(db: Db, bucket: CountBucket, delta: number): Promise<void> {
  if (delta > 0) {
    await db
      .insertInto('dashboard_counts')
      .values({ ...bucket, cases: delta })
      .onConflict((conflict) =>
        conflict.columns(['company_id', 'dashboard_row', 'handler_id', 'due_on']).doUpdateSet((eb) => ({
          cases: eb('dashboard_counts.cases', '+', eb.ref('excluded.cases')),
        })),
      )
      .execute();
  } else if (delta < 0) {
    // Update first: it locks the bucket's row (PostgreSQL), so no other change can empty it between
    // this update and the delete below.
    await db
      .updateTable('dashboard_counts')
      .set((eb) => ({ cases: eb('cases', '-', -delta) }))
      .where(inBucket(bucket))
      .execute();
    await db.deleteFrom('dashboard_counts').where(inBucket(bucket)).where('cases', '<=', 0).execute();
  }
}

/** Replaces every entry and count with what the item tables say (for rows loaded without the write path). */
export async function rebuildEntries(db: Db): Promise<void> {
  await db.deleteFrom('dashboard_counts').execute();
  await db.deleteFrom('dashboard_entries').execute();
  await db
    .insertInto('dashboard_entries')
    .columns(['case_id', 'dashboard_row', 'company_id', 'handler_id', 'due_on'])
    .expression(allEntries(db))
    .execute();
  const buckets = db
    .selectFrom('dashboard_entries')
    .select((eb) => [
      'company_id',
      'dashboard_row',
      eb
        .case()
        .when('dashboard_row', '=', 'reminders')
        .then(eb.fn.coalesce('handler_id', sql.lit('')))
        .else(sql.lit(''))
        .end()
        .as('handler_id'),
      eb.fn.coalesce('due_on', sql.lit('')).as('due_on'),
    ])
    .as('e');
  await db
    .insertInto('dashboard_counts')
    .columns(['company_id', 'dashboard_row', 'handler_id', 'due_on', 'cases'])
    .expression(
      db
        .selectFrom(buckets)
        .select((eb) => [
          'e.company_id',
          'e.dashboard_row',
          'e.handler_id',
          'e.due_on',
          eb.fn.countAll().as('cases'),
        ])
        .groupBy(['e.company_id', 'e.dashboard_row', 'e.handler_id', 'e.due_on']),
    )
    .execute();
}

// ---- Reading ----

/** A row's entries of the actor's dashboard (the reminders row: only the handler's, for staff). */
function entriesInRow(db: Db, scope: DashboardScope, row: DashboardRow) {
  const query = db
    .selectFrom('dashboard_entries as d')
    .where('d.company_id', '=', scope.companyId)
    .where('d.dashboard_row', '=', storedRow[row]);
  return row === 'reminders' && scope.handlerId !== null
    ? query.where('d.handler_id', '=', scope.handlerId)
    : query;
}

/**
 * Number of cases per row in each column, summed from the company's buckets: due ≤ today (undated
 * '' included) → today, = tomorrow → tomorrow, later → later. Rows without cases are left out.
 */
export async function countCasesByColumn(
  db: Db,
  scope: DashboardScope,
  today: string,
  tomorrow: string,
): Promise<Map<DashboardEntryRow, Record<DashboardColumn, number>>> {
  const summed = (rows: DashboardEntryRow[]) =>
    db
      .selectFrom('dashboard_counts as b')
      .select((eb) => {
        const due = eb.ref('b.due_on');
        const cases = eb.ref('b.cases');
        return [
          'b.dashboard_row',
          sql<string | number>`sum(case when ${due} <= ${today} then ${cases} else 0 end)`.as('today'),
          sql<string | number>`sum(case when ${due} = ${tomorrow} then ${cases} else 0 end)`.as('tomorrow'),
          sql<string | number>`sum(case when ${due} > ${tomorrow} then ${cases} else 0 end)`.as('later'),
        ];
      })
      .where('b.company_id', '=', scope.companyId)
      .where('b.dashboard_row', 'in', rows)
      .groupBy('b.dashboard_row');
  const reminders = summed(['reminders']);
  // Two ranges of the primary key: the company-wide rows, and the reminders (of one handler).
  const counts = await summed(Object.values(storedRow).filter((row) => row !== 'reminders'))
    .unionAll(scope.handlerId === null ? reminders : reminders.where('b.handler_id', '=', scope.handlerId))
    .execute();
  return new Map(
    counts.map((c) => [
      c.dashboard_row,
      { today: Number(c.today), tomorrow: Number(c.tomorrow), later: Number(c.later) },
    ]),
  );
}

/** The cases behind one number of the table, most urgent first (undated ones as due today). */
export function listCasesInColumn(
  db: Db,
  scope: DashboardScope,
  row: DashboardRow,
  column: DashboardColumn,
  today: string,
  tomorrow: string,
  page: { limit: number; offset: number },
) {
  return entriesInRow(db, scope, row)
    .where((eb) => {
      if (column === 'tomorrow') return eb('d.due_on', '=', tomorrow);
      if (column === 'later') return eb('d.due_on', '>', tomorrow);
      return eb.or([eb('d.due_on', 'is', null), eb('d.due_on', '<=', today)]);
    })
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
      'd.due_on as earliest_due_on',
    ])
    .where('c.company_id', '=', scope.companyId)
    .orderBy(sql`coalesce(${sql.ref('d.due_on')}, ${today})`)
    .orderBy('c.claim_number')
    .orderBy('c.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}
