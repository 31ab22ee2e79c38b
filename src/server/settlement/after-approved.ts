import type { SettlementVersionView } from '../../common/contracts/settlement-api.ts';
import type { Actor } from '../security/actor.ts';
import type { Db } from '../db/database.ts';
import { reportSettlementApproval } from '../settlement-report/generate-settlement-report.ts';

/** What the report step learns of an approval that has committed. */
export interface SettlementApproved {
  companyId: string;
  caseId: string;
  /** The approved version, with its computed lines and totals and its decision date. */
  settlement: SettlementVersionView;
  /** The versions this approval superseded (their reports leave the customer page). */
  supersededIds: string[];
}

/**
 * The side effect of an approval, run after its commit (issue 20, item 3): the settlement report is
 * generated and filed in the document library (settlement-report/), where the report rule shares it
 * with the customer and withholds the superseded versions' reports. It never undoes the approval: a
 * failure is logged by the report module, and the report can be made again later.
 */
export async function afterSettlementApproved(
  db: Db,
  actor: Actor,
  approved: SettlementApproved,
): Promise<void> {
  await reportSettlementApproval(db, {
    companyId: approved.companyId,
    caseId: approved.caseId,
    settlementId: approved.settlement.id,
    actorUserId: actor.kind === 'staff' ? actor.userId : null,
  });
}
