import type { CaseChangeStep } from '../case-commands/case-command.ts';
import { loadCustomerPageSettings } from '../customer-page-config/settings.ts';
import { announceAutomaticReports } from '../documents/report-sharing.ts';

/**
 * The on-change step of the customer page's report rule (registered in app.ts): a change that moves
 * a milestone (the main inspection first assigned, the claim first accepted) or the case's status (a
 * reopened case) can bring a report to the customer page; its `document_shared` event, marked
 * automatic, is written in the same transaction, so the news, the staff log and the page (whose
 * stored answer the change's version outdates; open pages get the change's live signal) agree at
 * once. A report uploaded after its milestone is announced by the upload itself.
 */
export const shareReportsWhenDue: CaseChangeStep = async ({ trx, before, after, stamp, now }) => {
  if (before === null) return; // a new case has no documents yet
  const moved =
    before.main_inspection_assigned_at !== after.main_inspection_assigned_at ||
    before.positive_decision_at !== after.positive_decision_at ||
    before.status !== after.status;
  if (!moved) return;
  const settings = await loadCustomerPageSettings(trx, after.company_id);
  await announceAutomaticReports(trx, after, settings, stamp, now);
};
