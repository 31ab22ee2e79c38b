import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CaseContactsTable, CasesTable, CaseStatus, TasksTable } from '../db/schema.ts';

export const findCase = (db: Db, id: string) =>
  db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();

export const insertCase = (db: Db, row: CasesTable) => db.insertInto('cases').values(row).execute();
export const insertContact = (db: Db, row: CaseContactsTable) =>
  db.insertInto('case_contacts').values(row).execute();
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

/** One page of a company's cases, newest first, with the total matching the filter. */
export async function searchCases(db: Db, filter: CaseListFilter) {
  let query = db
    .selectFrom('cases as c')
    .leftJoin('case_contacts as cc', (join) =>
      join.onRef('cc.case_id', '=', 'c.id').on('cc.role', '=', 'customer'),
    )
    .leftJoin('users as u', 'u.id', 'c.case_handler_id')
    .where('c.company_id', '=', filter.companyId);
  if (filter.status) query = query.where('c.status', '=', filter.status);
  if (filter.handlerId) query = query.where('c.case_handler_id', '=', filter.handlerId);
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const columns = [
      'c.claim_number',
      'c.street',
      'c.city',
      'c.postal_code',
      'cc.name',
      'cc.email',
      'cc.phone',
    ];
    query = query.where((eb) =>
      eb.or(columns.map((column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`)),
    );
  }
  const [{ total }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirstOrThrow(),
    query
      .select([
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
      ])
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
  ]);
  return { total: Number(total), rows };
}
