import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

// All SQL of person-data/: the rows that hold one person's data on one case (see the map at the top
// of person-data.ts), read for the export and changed by the erasure. Every query is scoped by the
// case (or by the person's grants, which belong to the case).

export const findContact = (db: Db, caseId: string, contactId: string) =>
  db
    .selectFrom('case_contacts')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', contactId)
    .executeTakeFirst();

export const grantsOf = (db: Db, caseId: string, contactId: string) =>
  db
    .selectFrom('customer_access')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('contact_id', '=', contactId)
    .orderBy('granted_at')
    .execute();

export const sessionsOf = (db: Db, accessIds: string[]) =>
  accessIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('customer_sessions')
        .selectAll()
        .where('access_id', 'in', accessIds)
        .orderBy('created_at')
        .execute();

export const smsCodesOf = (db: Db, accessIds: string[]) =>
  accessIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('sms_codes')
        .selectAll()
        .where('access_id', 'in', accessIds)
        .orderBy('created_at')
        .execute();

/** The messages the person wrote on the customer page (sender: one of their grants). */
export const messagesWrittenBy = (db: Db, caseId: string, accessIds: string[]) =>
  accessIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('case_messages')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('sender_kind', '=', 'customer')
        .where('sender_id', 'in', accessIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();

/** The files the person uploaded (message attachments from the customer page). */
export const documentsUploadedBy = (db: Db, caseId: string, accessIds: string[]) =>
  accessIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('documents')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('uploaded_by_kind', '=', 'customer')
        .where('uploaded_by_id', 'in', accessIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();

export const attachmentsOf = (db: Db, messageIds: string[]) =>
  messageIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('message_attachments')
        .selectAll()
        .where('message_id', 'in', messageIds)
        .orderBy('position')
        .execute();

/** The outbox rows of the case, and any addressed to the person's grants. */
export function outboxRowsOf(db: Db, caseId: string, accessIds: string[]) {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where((eb) =>
      accessIds.length === 0
        ? eb('case_id', '=', caseId)
        : eb.or([eb('case_id', '=', caseId), eb('access_id', 'in', accessIds)]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export const satisfactionAnswersOf = (db: Db, accessIds: string[]) =>
  accessIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('satisfaction_answers')
        .selectAll()
        .where('access_id', 'in', accessIds)
        .orderBy('answered_at')
        .execute();

export const callsOfCase = (db: Db, caseId: string) =>
  db.selectFrom('calls').selectAll().where('case_id', '=', caseId).orderBy('called_at').execute();

export const eventsOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();

/**
 * The case-scoped tables whose free text staff or other people write, by column: an erasure replaces
 * the person's name, e-mail and phone wherever they appear in them. (Calls, events, outbox and the
 * person's own rows are handled one by one in person-data.ts.)
 */
export const FREE_TEXT_COLUMNS = {
  cases: ['description'],
  tasks: ['name', 'description'],
  reminders: ['text'],
  quote_requests: ['description'],
  invoices: ['description'],
  budget_lines: ['description'],
  case_messages: ['body', 'sender_name', 'sender_email'],
  documents: ['file_name', 'uploaded_by_name'],
  satisfaction_answers: ['comment'],
} as const satisfies { [T in keyof Database]?: readonly (keyof Database[T] & string)[] };

type TextTable = keyof typeof FREE_TEXT_COLUMNS;

/** The id and the free-text columns of a table's rows on the case (the case itself: its row). */
export function freeTextRowsOf(db: Db, table: TextTable, caseId: string) {
  // The table name varies, so the query is untyped here; the columns come from FREE_TEXT_COLUMNS.
  const untyped = db as unknown as Kysely<Record<string, Record<string, string | null>>>;
  return untyped
    .selectFrom(table)
    .select(['id', ...FREE_TEXT_COLUMNS[table]])
    .where(table === 'cases' ? 'id' : 'case_id', '=', caseId)
    .execute();
}

export function updateFreeText(db: Db, table: TextTable, id: string, values: Record<string, string | null>) {
  const untyped = db as unknown as Kysely<Record<string, Record<string, string | null>>>;
  return untyped.updateTable(table).set(values).where('id', '=', id).execute();
}
