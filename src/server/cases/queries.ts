import { sql } from 'kysely';
import { isPostgres, type Db } from '../db/database.ts';
import { countCases } from './case-counts.ts';
import { foldForSearch } from './search-text.ts';
import type { CaseContactsTable, CasesTable, CaseStatus, TasksTable } from '../db/schema.ts';

export const findCase = (db: Db, id: string) =>
  db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();

export const insertCase = (db: Db, row: CasesTable) => db.insertInto('cases').values(row).execute();
export const insertContact = (db: Db, row: CaseContactsTable) =>
  db.insertInto('case_contacts').values(row).execute();
/** Sets a person's phone (E.164) on a case. */
export const updateContactPhone = (db: Db, caseId: string, contactId: string, phone: string) =>
  db
    .updateTable('case_contacts')
    .set({ phone })
    .where('case_id', '=', caseId)
    .where('id', '=', contactId)
    .execute();
export const insertTask = (db: Db, row: TasksTable) => db.insertInto('tasks').values(row).execute();

export const claimNumberTaken = async (db: Db, companyId: string, claimNumber: string) =>
  (await db
    .selectFrom('cases')
    .select('id')
    .where('company_id', '=', companyId)
    .where('claim_number', '=', claimNumber)
    .executeTakeFirst()) !== undefined;

export const updateCaseRow = (db: Db, id: string, values: Partial<CasesTable>) =>
  db.updateTable('cases').set(values).where('id', '=', id).execute();

export const listContactsOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('case_contacts')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const listTasksOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('tasks')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Number of multimedia files per task of a case. */
export const countMediaOfTasks = (db: Db, caseId: string) =>
  db
    .selectFrom('documents')
    .select((eb) => ['task_id', eb.fn.countAll<string | number>().as('n')])
    .where('case_id', '=', caseId)
    .where('task_id', 'is not', null)
    .groupBy('task_id')
    .execute();

export const findUsersByIds = (db: Db, companyId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('users')
        .select(['id', 'name', 'phone'])
        .where('company_id', '=', companyId)
        .where('id', 'in', ids)
        .execute();

export const findPersonsByIds = (db: Db, companyId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('persons')
        .select(['id', 'name', 'phone', 'office_id'])
        .where('company_id', '=', companyId)
        .where('id', 'in', ids)
        .execute();

export const findOfficesByIds = (db: Db, companyId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('offices')
        .select(['id', 'name', 'phone'])
        .where('company_id', '=', companyId)
        .where('id', 'in', ids)
        .execute();

export const countInvoicesAwaitingApproval = async (db: Db, caseId: string) =>
  Number(
    (
      await db
        .selectFrom('invoices')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('case_id', '=', caseId)
        .where('status', '=', 'awaiting_approval')
        .executeTakeFirstOrThrow()
    ).n,
  );

export interface CaseListFilter {
  companyId: string;
  q?: string | undefined;
  status?: CaseStatus | undefined;
  handlerId?: string | undefined;
  limit: number;
  offset: number;
}

/** Fewer characters than a trigram: no trigram index can find these, see {@link searchCases}. */
const TRIGRAM = 3;

/**
 * One page of a company's cases, newest first, with the total matching the filter.
 *
 * Without `q`: the page through the company's index on (company_id, created_at), and the total from
 * the counts kept on write (case-counts.ts) instead of counting the company's cases.
 *
 * With `q` (claim number, address, customer name, e-mail or phone containing it, æ/ø/å-insensitive):
 * the matches come from `case_search` (see search-text.ts) through its trigram index — SQLite FTS5,
 * PostgreSQL pg_trgm — and are counted and ordered there, in one statement that then reads only the
 * page's cases with their customer and case handler. A query of one or two characters has no
 * trigram: it scans the search texts instead (one narrow row per case, no joins), a cost bounded by
 * the number of cases, and still exact.
 */
export async function searchCases(db: Db, filter: CaseListFilter) {
  return filter.q ? searchByText(db, { ...filter, q: filter.q }) : listPage(db, filter);
}

async function listPage(db: Db, filter: CaseListFilter) {
  let page = db
    .selectFrom('cases as c')
    .leftJoin('case_contacts as cc', (join) =>
      join.onRef('cc.case_id', '=', 'c.id').on('cc.role', '=', 'customer'),
    )
    .leftJoin('users as u', 'u.id', 'c.case_handler_id')
    .select(listColumns)
    .where('c.company_id', '=', filter.companyId);
  if (filter.status) page = page.where('c.status', '=', filter.status);
  if (filter.handlerId) page = page.where('c.case_handler_id', '=', filter.handlerId);
  const [total, rows] = await Promise.all([
    countCases(db, filter),
    page
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
  ]);
  return { total, rows };
}

const listColumns = [
  'c.id',
  'c.claim_number',
  'c.street',
  'c.postal_code',
  'c.city',
  'c.status',
  'c.created_at',
  'c.case_handler_id',
  'u.name as case_handler_name',
  'cc.name as customer_name',
] as const;

async function searchByText(db: Db, filter: CaseListFilter & { q: string }) {
  const q = foldForSearch(filter.q);
  let matches = db
    .selectFrom('case_search as s')
    .select(['s.case_id', 's.created_at'])
    .where('s.company_id', '=', filter.companyId);
  if (isPostgres(db)) {
    // pg_trgm's GIN index serves the `like` (the planner scans instead for one or two characters).
    const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    matches = matches.where(sql<boolean>`s.search_text like ${pattern} escape '\\'`);
  } else if ([...q].length < TRIGRAM) {
    // One scan of the narrow table in its own order (no index on the company: visiting the rows in
    // an index's order would cost a random read each), with a cheap `instr` per row.
    matches = matches.where(sql<boolean>`instr(s.search_text, ${q}) > 0`);
  } else {
    // FTS5 trigram phrase: the query's trigrams at consecutive positions, i.e. the exact substring.
    const phrase = `"${q.replace(/"/g, '""')}"`;
    matches = matches.innerJoin(sql<{ rowid: number }>`case_search_fts(${phrase})`.as('f'), (join) =>
      join.on(sql<boolean>`f.rowid = s.fts_key`),
    );
  }
  if (filter.status || filter.handlerId) {
    matches = matches.innerJoin('cases as fc', 'fc.id', 's.case_id');
    if (filter.status) matches = matches.where(sql.ref('fc.status'), '=', filter.status);
    if (filter.handlerId) matches = matches.where(sql.ref('fc.case_handler_id'), '=', filter.handlerId);
  }
  const rows = await db
    // Materialized: every match is read once, through the trigram index. Left to itself PostgreSQL
    // would walk the company's index in the list's order hoping to stop after one page, but the
    // count needs them all.
    .with(
      (cte) => cte('m').materialized(),
      () => matches,
    )
    .with('hits', (qb) =>
      qb
        .selectFrom('m')
        .select(['m.case_id', 'm.created_at', sql<string | number>`(select count(*) from m)`.as('total')])
        .orderBy('m.created_at', 'desc')
        .orderBy('m.case_id', 'desc')
        .limit(filter.limit)
        .offset(filter.offset),
    )
    .selectFrom('hits as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .leftJoin('case_contacts as cc', (join) =>
      join.onRef('cc.case_id', '=', 'c.id').on('cc.role', '=', 'customer'),
    )
    .leftJoin('users as u', 'u.id', 'c.case_handler_id')
    .select([...listColumns, 'h.total'])
    .orderBy('h.created_at', 'desc')
    .orderBy('h.case_id', 'desc')
    .execute();
  const first = rows[0];
  if (first) return { total: Number(first.total), rows };
  // A page past the last match has no row to carry the count: count on its own (rare).
  if (filter.offset === 0) return { total: 0, rows };
  const { total } = await db
    .selectFrom(matches.as('m'))
    .select((eb) => eb.fn.countAll<string | number>().as('total'))
    .executeTakeFirstOrThrow();
  return { total: Number(total), rows };
}

/**
 * Messages from the customer that staff have not read, of one case: the case page's banner (case
 * view) and the thread's count (messages/). Read here, below the customer side, so case work never
 * imports it (docs/architecture.md, "Layers"), as the dashboard reads its counts.
 */
export const countUnreadFromCustomer = async (db: Db, companyId: string, caseId: string): Promise<number> => {
  const row = await db
    .selectFrom('case_messages')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('company_id', '=', companyId)
    // Literal, so the partial index case_messages_unread_idx applies (on SQLite too).
    .where('direction', '=', sql.lit('from_customer'))
    .where('read_at', 'is', null)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};
