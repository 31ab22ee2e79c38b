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
      'claim_decision',
      'claim_decision_at',
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

/** The multimedia of the case's tasks, oldest first (the project plan shows it per task). */
export const listTasksWithMedia = (db: Db, caseId: string) =>
  db
    .selectFrom('documents')
    .select(['id', 'task_id', 'file_name'])
    .where('case_id', '=', caseId)
    .where('task_id', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Documents a customer may be shown: reports (for the automatic rules) and those shared by hand. */
export const listDocumentsForCustomer = (db: Db, caseId: string) =>
  db
    .selectFrom('documents')
    .select([
      'id',
      'kind',
      'task_id',
      'file_name',
      'size_bytes',
      'shared_at',
      'created_at',
      'withheld_at',
      'auto_shared_at',
    ])
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

/** Where a newest-first list is counted from: an entry's time and id (see schemas.ts, `anchor`). */
export interface ListAnchor {
  time: string;
  id: string;
}

/**
 * A `document_deleted` event is news only when the customer had been shown the document (its text
 * declines the others, common/rules/customer-news.ts). The filter is in SQL so that a page and its total
 * count exactly the entries the feed shows. The data is JSON.stringify's output: this key with its
 * value can only appear as written here (a quote inside a string value is escaped).
 */
const SHOWN_DELETION = '%"wasShared":true%';
/** A `document_unshared` of a report the customer had not been shown (withheld before its milestone). */
const UNSHOWN_UNSHARE = '%"wasShared":false%';

/**
 * The news events of a case among `kinds` (event kinds, at least one), newest first, at or before
 * `anchor`: the query the news feed's pages are read from (indexed by case and time).
 */
export function newsEventsOfCase(db: Db, caseId: string, kinds: readonly string[], anchor?: ListAnchor) {
  const plain = kinds.filter((kind) => kind !== 'document_deleted' && kind !== 'document_unshared');
  let query = db
    .selectFrom('case_events')
    .select(['id', 'kind', 'occurred_at', 'data'])
    .where('case_id', '=', caseId)
    .where((eb) =>
      eb.or([
        eb('kind', 'in', plain.length > 0 ? plain : ['']),
        ...(kinds.includes('document_deleted')
          ? [eb.and([eb('kind', '=', 'document_deleted'), eb('data', 'like', SHOWN_DELETION)])]
          : []),
        ...(kinds.includes('document_unshared')
          ? [eb.and([eb('kind', '=', 'document_unshared'), eb('data', 'not like', UNSHOWN_UNSHARE)])]
          : []),
      ]),
    );
  if (anchor) {
    query = query.where((eb) =>
      eb.or([
        eb('occurred_at', '<', anchor.time),
        eb.and([eb('occurred_at', '=', anchor.time), eb('id', '<=', anchor.id)]),
      ]),
    );
  }
  return query.orderBy('occurred_at', 'desc').orderBy('id', 'desc');
}

/** The anchor of the news feed: an event of the case. */
export const findEventAnchor = (db: Db, caseId: string, id: string): Promise<ListAnchor | undefined> =>
  db
    .selectFrom('case_events')
    .select(['id', 'occurred_at as time'])
    .where('id', '=', id)
    .where('case_id', '=', caseId)
    .executeTakeFirst();

/**
 * A case's thread, newest first, at or before `anchor`; `ownAccessId` narrows it to one customer's
 * own messages (the "only from the customer" method). Whole rows: the messages module's customer
 * presenter names the fields a customer sees.
 */
export function threadOfCase(db: Db, caseId: string, ownAccessId: string | undefined, anchor?: ListAnchor) {
  let query = db.selectFrom('case_messages').selectAll().where('case_id', '=', caseId);
  if (ownAccessId !== undefined) {
    query = query.where('sender_kind', '=', 'customer').where('sender_id', '=', ownAccessId);
  }
  if (anchor) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', anchor.time),
        eb.and([eb('created_at', '=', anchor.time), eb('id', '<=', anchor.id)]),
      ]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc');
}

/** The anchor of the thread: a message of the case. */
export const findMessageAnchor = (db: Db, caseId: string, id: string): Promise<ListAnchor | undefined> =>
  db
    .selectFrom('case_messages')
    .select(['id', 'created_at as time'])
    .where('id', '=', id)
    .where('case_id', '=', caseId)
    .executeTakeFirst();

/** The message a document is attached to, in the case given (its sender decides who sees it). */
export const findMessageOfAttachment = (db: Db, caseId: string, documentId: string) =>
  db
    .selectFrom('message_attachments as m')
    .innerJoin('case_messages as c', 'c.id', 'm.message_id')
    .select(['c.sender_kind', 'c.sender_id'])
    .where('m.document_id', '=', documentId)
    .where('c.case_id', '=', caseId)
    .executeTakeFirst();
