import type {
  CustomerPagePart,
  MilestonePreviewView,
  MilestoneStep,
} from '../../common/contracts/milestone-preview-api.ts';
import { customerPageParts } from '../../common/contracts/milestone-preview-api.ts';
import { customerVisibility, type CustomerVisibility } from '../../common/rules/visibility.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import { loadCustomerPageSettings } from '../customer-page-config/settings.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { CasesTable } from '../db/schema.ts';
import { reportRulesOf } from '../documents/report-sharing.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { channelsOf, visibilityStateOf } from './access-rules.ts';
import { dueLinkRecipients } from './customer-access.ts';

/** Who may ask: the level of the step itself (deciding the claim needs 2, assigning any staff). */
const policyOf: Record<MilestoneStep, (typeof casePolicy)[keyof typeof casePolicy]> = {
  accept_claim: casePolicy.decide,
  assign_main_inspection: casePolicy.work,
};

/** The case row as the step would leave it: its milestone set now, unless it was set before. */
function afterStep(row: CasesTable, step: MilestoneStep, now: Date): CasesTable {
  if (step === 'accept_claim')
    return { ...row, positive_decision_at: row.positive_decision_at ?? nowIso(now) };
  return { ...row, main_inspection_assigned_at: row.main_inspection_assigned_at ?? nowIso(now) };
}

/** Whether a part of the customer page is visible under a visibility. */
function partVisible(visibility: CustomerVisibility, part: CustomerPagePart): boolean {
  if (part === 'news') return visibility.news;
  if (part === 'inspectionReport' || part === 'settlementReport') return visibility.reports[part];
  return visibility.tabs[part];
}

/**
 * GET /api/cases/:id/milestone-preview?step=…: what the step would change for the customer, read
 * with the rules the step runs — `customerVisibility` before and after, the report rule
 * (`reportRulesOf`) and the link rule ({@link dueLinkRecipients}) on the case as the step leaves it.
 * Nothing is written. A step whose milestone is already reached changes nothing (the on-change steps
 * only react to a milestone that moves).
 */
export async function previewMilestone(
  db: Db,
  actor: Actor,
  caseId: string,
  step: MilestoneStep,
  now = new Date(),
): Promise<MilestonePreviewView> {
  authorize(actor, policyOf[step]);
  const before = await loadCase(db, actor, caseId);
  const after = afterStep(before, step, now);
  const movesMilestone =
    before.positive_decision_at !== after.positive_decision_at ||
    before.main_inspection_assigned_at !== after.main_inspection_assigned_at;
  if (!movesMilestone) return { step, movesMilestone, newlyVisible: [], reportsShared: [], notified: [] };

  const settings = await loadCustomerPageSettings(db, before.company_id);
  const seenBefore = customerVisibility(settings, visibilityStateOf(before), now);
  const seenAfter = customerVisibility(settings, visibilityStateOf(after), now);
  const newlyVisible = customerPageParts.filter(
    (part) => partVisible(seenAfter, part) && !partVisible(seenBefore, part),
  );

  const [rulesBefore, rulesAfter, recipients] = await Promise.all([
    reportRulesOf(db, before, settings, now),
    reportRulesOf(db, after, settings, now),
    dueLinkRecipients(db, after, settings, now),
  ]);
  const reportsShared = (['inspectionReport', 'settlementReport'] as const).flatMap((report) => {
    const document = rulesAfter.shown[report];
    // A report shared by hand is on the page already.
    if (!document || document.shared_at !== null || rulesBefore.shown[report]?.id === document.id) return [];
    return [{ id: document.id, fileName: document.file_name, report }];
  });

  const notified = recipients.map((contact) => ({
    contactId: contact.id,
    name: contact.name,
    channels: channelsOf(contact).map((channel) => ({
      channel,
      recipient: (channel === 'email' ? contact.email : contact.phone) ?? '',
    })),
  }));
  return { step, movesMilestone, newlyVisible, reportsShared, notified };
}
