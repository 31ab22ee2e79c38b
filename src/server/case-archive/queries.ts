import type { Db } from '../db/database.ts';
import type { CaseArchiveNoticesTable } from '../db/schema.ts';

// All SQL of the case archive's notice. The (case, closing time) primary key of
// case_archive_notices is the claim that makes "notify once" hold across workers and processes.

/**
 * Closed cases whose current closing has no notice row yet, oldest closing first, closed after
 * `closedAfter` (older closings are past any window the settings allow), in batches after `after`.
 */
export const closedCasesWithoutNotice = (
  db: Db,
  closedAfter: string,
  after: { closedAt: string; id: string } | null,
  limit: number,
) => {
  let query = db
    .selectFrom('cases as c')
    .leftJoin('case_archive_notices as n', (join) =>
      join.onRef('n.case_id', '=', 'c.id').onRef('n.closed_at', '=', 'c.closed_at'),
    )
    .select(['c.id', 'c.company_id', 'c.closed_at'])
    .where('c.status', '=', 'closed')
    .where('c.closed_at', 'is not', null)
    .where('c.closed_at', '>', closedAfter)
    .where('n.case_id', 'is', null);
  // Keyset paging: the next batch starts after the last case of the one before.
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('c.closed_at', '>', after.closedAt),
        eb.and([eb('c.closed_at', '=', after.closedAt), eb('c.id', '>', after.id)]),
      ]),
    );
  return query.orderBy('c.closed_at').orderBy('c.id').limit(limit).execute();
};

/** Claims the notice of one closing; false when another run claimed it first. */
export async function claimNotice(db: Db, row: CaseArchiveNoticesTable): Promise<boolean> {
  const inserted = await db
    .insertInto('case_archive_notices')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'closed_at']).doNothing())
    .returning('case_id')
    .execute();
  return inserted.length === 1;
}

/** Records how many people the claimed notice went to. */
export const setNoticeRecipients = (db: Db, caseId: string, closedAt: string, recipients: number) =>
  db
    .updateTable('case_archive_notices')
    .set({ recipients })
    .where('case_id', '=', caseId)
    .where('closed_at', '=', closedAt)
    .execute();

/** The case as it is inside the notice's transaction (it may have been reopened meanwhile). */
export const findCaseState = (db: Db, caseId: string) =>
  db
    .selectFrom('cases')
    .select([
      'id',
      'company_id',
      'status',
      'closed_at',
      'created_at',
      'main_inspection_assigned_at',
      'positive_decision_at',
    ])
    .where('id', '=', caseId)
    .executeTakeFirst();

/** The documents of a case among `ids` with their storage keys (the archive's files). */
export const documentsForArchive = (db: Db, caseId: string, ids: string[]) =>
  db
    .selectFrom('documents')
    .select(['id', 'file_name', 'content_type', 'size_bytes', 'storage_key', 'created_at'])
    .where('case_id', '=', caseId)
    .where('id', 'in', ids.length ? ids : [''])
    .execute();
