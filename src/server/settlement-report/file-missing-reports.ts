import { nowIso, type Db } from '../db/database.ts';
import { reportSettlementApproval, settlementReportDocumentId } from './generate-settlement-report.ts';

// The report is made after the approval commits (a side effect after commit): a process that stops in
// between leaves an approved settlement without its report. This periodic job makes what is missing;
// generating is idempotent per version (the document id is derived from the settlement's id).

/** How far back the job looks: an approval older than this without a report is an operator's matter. */
const LOOK_BACK_MS = 7 * 24 * 60 * 60 * 1000;
/** An approval younger than this is left to its own after-commit step, which may still be running. */
const GRACE_MS = 60 * 1000;

/** Files the report of every recently approved settlement that has none; returns how many it made. */
export async function fileMissingSettlementReports(db: Db, now = new Date()): Promise<number> {
  const approved = await db
    .selectFrom('settlements')
    .select(['id', 'company_id', 'case_id', 'approved_by'])
    .where('status', '=', 'approved')
    .where('decided_at', '>=', nowIso(new Date(now.getTime() - LOOK_BACK_MS)))
    .where('decided_at', '<=', nowIso(new Date(now.getTime() - GRACE_MS)))
    .execute();
  if (approved.length === 0) return 0;
  const ids = approved.map((row) => settlementReportDocumentId(row.id));
  const filed = new Set(
    (await db.selectFrom('documents').select('id').where('id', 'in', ids).execute()).map((row) => row.id),
  );
  let made = 0;
  for (const row of approved) {
    if (filed.has(settlementReportDocumentId(row.id))) continue;
    await reportSettlementApproval(db, {
      companyId: row.company_id,
      caseId: row.case_id,
      settlementId: row.id,
      actorUserId: row.approved_by,
    });
    made += 1;
  }
  return made;
}
