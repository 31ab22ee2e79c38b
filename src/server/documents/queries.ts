import type { Db } from '../db/database.ts';
import type { DocumentsTable } from '../db/schema.ts';

export const insertDocument = (db: Db, row: DocumentsTable) =>
  db.insertInto('documents').values(row).execute();

export const findDocument = (db: Db, id: string) =>
  db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();

/** Documents of one case (optionally one task's media), newest first (a query, to read in pages). */
export const documentsOfCase = (db: Db, caseId: string, taskId?: string) => {
  let query = db.selectFrom('documents').selectAll().where('case_id', '=', caseId);
  if (taskId !== undefined) query = query.where('task_id', '=', taskId);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc');
};

export const findDocumentsOfCase = (db: Db, caseId: string, ids: string[]) =>
  db
    .selectFrom('documents')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', 'in', ids.length ? ids : [''])
    .execute();

/** Bytes stored for a case (documents and task media), and how many of them customers uploaded. */
export const storedBytesOfCase = async (
  db: Db,
  caseId: string,
): Promise<{ total: number; customer: number }> => {
  const row = await db
    .selectFrom('documents')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<string | number>('size_bytes'), eb.val(0)).as('total'),
      eb.fn
        .coalesce(
          eb.fn.sum<string | number>(
            eb
              .case()
              .when('uploaded_by_kind', '=', 'customer')
              .then(eb.ref('size_bytes'))
              .else(eb.val(0))
              .end(),
          ),
          eb.val(0),
        )
        .as('customer'),
    ])
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), customer: Number(row?.customer ?? 0) };
};

/** Deletes a document row, and first its place among a message's files (if it is one). */
export const deleteDocumentRow = async (db: Db, id: string): Promise<boolean> => {
  await db.deleteFrom('message_attachments').where('document_id', '=', id).execute();
  const result = await db.deleteFrom('documents').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
};

/** Whether a document is a file of a message (its thread shows it). */
export const isMessageAttachment = async (db: Db, id: string): Promise<boolean> =>
  (await db
    .selectFrom('message_attachments')
    .select('document_id')
    .where('document_id', '=', id)
    .executeTakeFirst()) !== undefined;

export const findTask = (db: Db, id: string) =>
  db
    .selectFrom('tasks')
    .select(['id', 'company_id', 'case_id', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findOffice = (db: Db, companyId: string, id: string) =>
  db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();

export const setSeen = (db: Db, id: string, seenAt: string) =>
  db
    .updateTable('documents')
    .set({ seen_at: seenAt })
    .where('id', '=', id)
    .where('seen_at', 'is', null)
    .execute();

/** Shares documents by hand (`byName`: who); a report withheld from the automatic rule is released. */
export const setShared = (db: Db, ids: string[], at: string, byName: string | null) =>
  db
    .updateTable('documents')
    .set({ shared_at: at, shared_by_name: byName, withheld_at: null, withheld_by_name: null })
    .where('id', 'in', ids.length ? ids : [''])
    .execute();

/** Stops sharing documents by hand. */
export const setUnshared = (db: Db, ids: string[]) =>
  db
    .updateTable('documents')
    .set({ shared_at: null, shared_by_name: null })
    .where('id', 'in', ids.length ? ids : [''])
    .execute();

/** Takes reports out of the automatic rule (`byName`: who withheld them). */
export const setWithheld = (db: Db, ids: string[], at: string, byName: string | null) =>
  db
    .updateTable('documents')
    .set({ withheld_at: at, withheld_by_name: byName })
    .where('id', 'in', ids.length ? ids : [''])
    .execute();

/** Every report of a case (both kinds, not task media), for the automatic report rule. */
export const reportsOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('documents')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', 'in', ['inspection_report', 'customer_settlement_report'])
    .where('task_id', 'is', null)
    .execute();

/** Records that the automatic share of a report was announced to the customer (once). */
export const setAutoShared = (db: Db, id: string, at: string) =>
  db
    .updateTable('documents')
    .set({ auto_shared_at: at })
    .where('id', '=', id)
    .where('auto_shared_at', 'is', null)
    .execute();
