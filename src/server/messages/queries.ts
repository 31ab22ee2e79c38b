import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CaseMessagesTable, MessageAttachmentsTable, StaffNotificationsTable } from '../db/schema.ts';

/** Newest messages first; a case thread longer than this shows its newest part. */
export const THREAD_LIMIT = 500;

export const insertMessage = (db: Db, row: CaseMessagesTable) =>
  db.insertInto('case_messages').values(row).execute();

export const insertAttachments = (db: Db, rows: MessageAttachmentsTable[]) =>
  rows.length ? db.insertInto('message_attachments').values(rows).execute() : Promise.resolve([]);

/**
 * A case's thread, newest first. `ownAccessId` narrows it to one customer's own messages (the
 * "only from the customer" method).
 */
export function listMessagesOfCase(db: Db, caseId: string, ownAccessId?: string) {
  let query = db.selectFrom('case_messages').selectAll().where('case_id', '=', caseId);
  if (ownAccessId !== undefined) {
    query = query.where('sender_kind', '=', 'customer').where('sender_id', '=', ownAccessId);
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(THREAD_LIMIT).execute();
}

/** A case's whole thread, newest first, as staff read it (a query, to read in pages). */
export const messagesOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('case_messages')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');

/** The files of the given messages, in their order within each message. */
export const listAttachmentsOf = (db: Db, messageIds: string[]) =>
  messageIds.length
    ? db
        .selectFrom('message_attachments as m')
        .innerJoin('documents as d', 'd.id', 'm.document_id')
        .select(['m.message_id', 'm.position', 'd.id', 'd.file_name', 'd.content_type', 'd.size_bytes'])
        .where('m.message_id', 'in', messageIds)
        .orderBy('m.message_id')
        .orderBy('m.position')
        .execute()
    : Promise.resolve([]);

/** The message a document is attached to (with its sender), if it is an attachment. */
export const findMessageOfDocument = (db: Db, documentId: string) =>
  db
    .selectFrom('message_attachments as m')
    .innerJoin('case_messages as c', 'c.id', 'm.message_id')
    .select(['c.id', 'c.case_id', 'c.company_id', 'c.sender_kind', 'c.sender_id'])
    .where('m.document_id', '=', documentId)
    .executeTakeFirst();

/** Marks every unread customer message of a case read; returns how many were. */
export async function markCustomerMessagesRead(db: Db, companyId: string, caseId: string, at: string) {
  const result = await db
    .updateTable('case_messages')
    .set({ read_at: at })
    .where('company_id', '=', companyId)
    .where('direction', '=', sql.lit('from_customer'))
    .where('read_at', 'is', null)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks the files customers sent with their messages as seen (they leave the dashboard row too). */
export const markCustomerUploadsSeen = (db: Db, caseId: string, at: string) =>
  db
    .updateTable('documents')
    .set({ seen_at: at })
    .where('case_id', '=', caseId)
    .where('uploaded_by_kind', '=', 'customer')
    .where('seen_at', 'is', null)
    .execute();

/** The active grants of a case with the person's name and addresses (who a staff message notifies). */
export const listActiveAccessWithContacts = (db: Db, caseId: string) =>
  db
    .selectFrom('customer_access as a')
    .innerJoin('case_contacts as p', 'p.id', 'a.contact_id')
    .select(['a.id', 'a.link_version', 'p.name', 'p.email', 'p.phone'])
    .where('a.case_id', '=', caseId)
    .where('a.state', '=', 'active')
    .orderBy('a.granted_at')
    .execute();

/** Whether a grant of the case is still active (a customer writes only while their access lasts). */
export const grantIsActive = async (db: Db, caseId: string, accessId: string): Promise<boolean> =>
  (await db
    .selectFrom('customer_access')
    .select('id')
    .where('id', '=', accessId)
    .where('case_id', '=', caseId)
    .where('state', '=', 'active')
    .executeTakeFirst()) !== undefined;

/** The case handler, when set and active (who a customer's message notifies). */
export const findActiveUser = (db: Db, companyId: string, userId: string) =>
  db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', '=', userId)
    .where('company_id', '=', companyId)
    .where('active', '=', 1)
    .executeTakeFirst();

export const insertNotification = (db: Db, row: StaffNotificationsTable) =>
  db.insertInto('staff_notifications').values(row).execute();

/** A user's notifications, newest first, with the case they are about (a query, to read in pages). */
export const notificationsOfUser = (db: Db, userId: string) =>
  db
    .selectFrom('staff_notifications as n')
    .innerJoin('cases as c', 'c.id', 'n.case_id')
    .leftJoin('case_messages as m', 'm.id', 'n.message_id')
    .select([
      'n.id',
      'n.kind',
      'n.case_id',
      'n.created_at',
      'n.read_at',
      'c.claim_number',
      'c.street',
      'c.postal_code',
      'c.city',
      'm.sender_name',
    ])
    .where('n.user_id', '=', userId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc');

export const countUnreadNotifications = async (db: Db, userId: string): Promise<number> => {
  const row = await db
    .selectFrom('staff_notifications')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

/** Marks a user's notifications read: one (by id), or all. Returns how many changed. */
export async function markNotificationsRead(db: Db, userId: string, at: string, id?: string) {
  let query = db
    .updateTable('staff_notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (id !== undefined) query = query.where('id', '=', id);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

export const findNotification = (db: Db, id: string) =>
  db.selectFrom('staff_notifications').selectAll().where('id', '=', id).executeTakeFirst();

/** Marks everyone's notifications about a case's customer messages read ("Mark all messages as read"). */
export const markCaseNotificationsRead = (db: Db, caseId: string, at: string) =>
  db
    .updateTable('staff_notifications')
    .set({ read_at: at })
    .where('case_id', '=', caseId)
    .where('kind', '=', 'customer_message')
    .where('read_at', 'is', null)
    .execute();

/** The e-mail address of a case contact (the sender address of a customer's message). */
export const findContactEmail = async (db: Db, contactId: string): Promise<string | null> =>
  (await db.selectFrom('case_contacts').select('email').where('id', '=', contactId).executeTakeFirst())
    ?.email ?? null;
