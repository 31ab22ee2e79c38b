import type { Db } from '../db/database.ts';

// Reads of the customer presenter. Each selects only the columns a customer may see (or that
// redaction needs), never a whole row.

export const findCaseForCustomer = (db: Db, companyId: string, caseId: string) =>
  db
    .selectFrom('cases')
    .select([
      'id',
      'company_id',
      'claim_number',
      'street',
      'postal_code',
      'city',
      'status',
      'case_handler_id',
      'created_at',
      'main_inspection_assigned_at',
      'positive_decision_at',
      'closed_at',
    ])
    .where('id', '=', caseId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();

export const findCompanyForCustomer = (db: Db, companyId: string) =>
  db.selectFrom('companies').select(['name', 'portal_type']).where('id', '=', companyId).executeTakeFirst();

export const findHandlerForCustomer = (db: Db, companyId: string, userId: string) =>
  db
    .selectFrom('users')
    .select(['name', 'phone'])
    .where('id', '=', userId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();

/** The case's tasks with their office and responsible person names. */
export const listTasksForCustomer = (db: Db, caseId: string) =>
  db
    .selectFrom('tasks as t')
    .leftJoin('offices as o', 'o.id', 't.office_id')
    .leftJoin('persons as p', 'p.id', 't.responsible_id')
    .select([
      't.id',
      't.kind',
      't.name',
      't.description',
      't.starts_on',
      't.ends_on',
      't.meeting_at',
      't.status',
      't.created_at',
      'o.name as office_name',
      'o.phone as office_phone',
      'p.name as person_name',
      'p.phone as person_phone',
    ])
    .where('t.case_id', '=', caseId)
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();

/** Task ids of the case that have multimedia attached. */
export const listTasksWithMedia = (db: Db, caseId: string) =>
  db
    .selectFrom('documents')
    .select('task_id')
    .distinct()
    .where('case_id', '=', caseId)
    .where('task_id', 'is not', null)
    .execute();

/** Documents a customer may be shown: reports (for the automatic rules) and those shared by hand. */
export const listDocumentsForCustomer = (db: Db, caseId: string) =>
  db
    .selectFrom('documents')
    .select(['id', 'kind', 'file_name', 'size_bytes', 'shared_at', 'created_at'])
    .where('case_id', '=', caseId)
    .where((eb) =>
      eb.or([
        eb('kind', 'in', ['inspection_report', 'customer_settlement_report']),
        eb('shared_at', 'is not', null),
      ]),
    )
    .where('task_id', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

export const listBudgetForCustomer = (db: Db, caseId: string) =>
  db
    .selectFrom('budget_lines')
    .select(['id', 'description', 'amount_ore'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Events of the kinds given, newest first (the presenter redacts them). */
export const listEventsForCustomer = (db: Db, caseId: string, kinds: string[]) =>
  kinds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('case_events')
        .select(['id', 'kind', 'occurred_at', 'data'])
        .where('case_id', '=', caseId)
        .where('kind', 'in', kinds)
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
