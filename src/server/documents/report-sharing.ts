import type { DocumentCustomerSharing } from '../../common/contracts/document-api.ts';
import type { CustomerPageSettings, Trigger } from '../../common/rules/customer-page-settings.ts';
import {
  automaticReports,
  automaticShareTime,
  customerVisibility,
  newestReports,
  reportKeyOfKind,
  reportTrigger,
  triggerReached,
  triggerReachedAt,
  type CaseVisibilityState,
  type ReportKey,
} from '../../common/rules/visibility.ts';
import { appendCaseEvent, type EventActor } from '../case-events/case-events.ts';
import { nowIso, provide, provided, type Db } from '../db/database.ts';
import type { CasesTable, DocumentsTable } from '../db/schema.ts';
import { reportsOfCase, setAutoShared } from './queries.ts';

/**
 * The reports the customer page shares by a milestone rule (issue 16), as the document library sees
 * them: which report each rule shares now or will share, why the customer sees a document (the staff
 * library's `customerSharing`), and the announcement of an automatic share — a `document_shared`
 * event marked automatic, once per report, in the transaction of the change that made it visible.
 * The rule itself is the customer page's (`customerVisibility`'s `reports`, `automaticReports` in
 * common/rules/visibility.ts), so the library, the customer page, its downloads and its news agree.
 *
 * The company's settings belong to the customer side, which this module may not import: app.ts gives
 * their loader to the database handle ({@link setUpReportSharing}), as it gives the write path.
 */

/** Reads a company's customer-page settings (the customer side's loader). */
export type CustomerPageSettingsSource = (db: Db, companyId: string) => Promise<CustomerPageSettings>;

const SETTINGS = Symbol('customer page settings');

/** Gives the documents module the settings' loader on a database handle (buildApp does). */
export function setUpReportSharing(db: Db, source: CustomerPageSettingsSource): void {
  provide(db, SETTINGS, source);
}

/** The company's customer-page settings, through the loader app.ts gave. */
export async function customerPageSettingsOf(db: Db, companyId: string): Promise<CustomerPageSettings> {
  const source = provided<CustomerPageSettingsSource>(db, SETTINGS);
  if (!source) {
    throw new Error(
      'Report sharing is not set up on this database handle: build the app (setUpReportSharing).',
    );
  }
  return source(db, companyId);
}

const reportKeys: readonly ReportKey[] = ['inspectionReport', 'settlementReport'];

/** The facts of a case the visibility rules read. */
function stateOf(row: CasesTable): CaseVisibilityState {
  const { status, created_at, main_inspection_assigned_at, positive_decision_at, closed_at } = row;
  return {
    status,
    createdAt: created_at,
    mainInspectionAssignedAt: main_inspection_assigned_at,
    positiveDecisionAt: positive_decision_at,
    closedAt: closed_at,
  };
}

/** A document row as the rule reads it. */
const candidate = (row: DocumentsTable) => ({
  id: row.id,
  kind: row.kind,
  taskId: row.task_id,
  createdAt: row.created_at,
  withheld: Boolean(row.withheld_at),
  row,
});

/** What the report rule says of one case now. */
export interface ReportRules {
  state: CaseVisibilityState;
  /** The milestone each report is shared at. */
  triggers: Record<ReportKey, Trigger>;
  /** Whether each report's milestone is reached (while the page is closed: whether it was). */
  reached: Record<ReportKey, boolean>;
  /** The report of each kind the rule shares (the newest upload), shown or not. */
  newest: Partial<Record<ReportKey, DocumentsTable>>;
  /** The report of each kind the customer page shows by the rule now. */
  shown: Record<ReportKey, DocumentsTable | null>;
}

/** The report rule of a case at `now`, under `settings` (read with the case's reports). */
export async function reportRulesOf(
  db: Db,
  caseRow: CasesTable,
  settings: CustomerPageSettings,
  now: Date,
): Promise<ReportRules> {
  const state = stateOf(caseRow);
  const visibility = customerVisibility(settings, state, now);
  const triggers = {
    inspectionReport: reportTrigger(settings, 'inspectionReport'),
    settlementReport: reportTrigger(settings, 'settlementReport'),
  };
  const reports = (await reportsOfCase(db, caseRow.id)).map(candidate);
  const newest = newestReports(reports);
  const shown = automaticReports(visibility.reports, reports);
  // A page closed (cancelled, or closed too long) shows nothing, yet what the rule shared stays shared.
  const reached = (key: ReportKey) =>
    visibility.reachable ? visibility.reports[key] : triggerReached(triggers[key], state);
  return {
    state,
    triggers,
    reached: { inspectionReport: reached('inspectionReport'), settlementReport: reached('settlementReport') },
    newest: {
      inspectionReport: newest.inspectionReport?.row,
      settlementReport: newest.settlementReport?.row,
    },
    shown: {
      inspectionReport: shown.inspectionReport?.row ?? null,
      settlementReport: shown.settlementReport?.row ?? null,
    },
  };
}

/** Whether the customer sees a document now by the rule or by hand (the Documents tab permitting). */
export function customerSeesNow(row: DocumentsTable, rules: ReportRules): boolean {
  return row.shared_at !== null || reportKeys.some((key) => rules.shown[key]?.id === row.id);
}

/** The report `row` is, when a rule shares reports of its kind (its trigger is not `never`). */
function ruleOf(row: DocumentsTable, rules: ReportRules | null): ReportKey | null {
  const key = row.task_id === null ? reportKeyOfKind[row.kind] : undefined;
  return rules && key && rules.triggers[key] !== 'never' ? key : null;
}

/** Whether the rule would share `row` (the newest report of its kind, its trigger not `never`). */
export function isRuleReport(row: DocumentsTable, rules: ReportRules): boolean {
  const key = ruleOf(row, rules);
  return key !== null && rules.newest[key]?.id === row.id;
}

/**
 * Why the customer sees a document, or why not (the staff library's `customerSharing`); `rules` null
 * for a document that is no report.
 */
export function customerSharingOf(row: DocumentsTable, rules: ReportRules | null): DocumentCustomerSharing {
  const key = ruleOf(row, rules);
  const milestone = rules && key ? rules.triggers[key] : null;
  if (row.shared_at !== null) {
    return { state: 'shared_by_staff', milestone, at: row.shared_at, by: row.shared_by_name ?? null };
  }
  if (row.withheld_at) {
    return { state: 'withheld', milestone, at: row.withheld_at, by: row.withheld_by_name ?? null };
  }
  if (!rules || !key || !milestone) return { state: 'not_shared', milestone: null, at: null, by: null };
  if (rules.newest[key]?.id !== row.id) return { state: 'replaced', milestone, at: null, by: null };
  if (!rules.reached[key]) return { state: 'automatic_pending', milestone, at: null, by: null };
  const at = automaticShareTime(
    { createdAt: row.created_at, announcedAt: row.auto_shared_at ?? null },
    triggerReachedAt(milestone, rules.state),
  );
  return { state: 'shared_automatically', milestone, at, by: null };
}

/**
 * Announces the reports the rule shows now and that were never announced: per report one
 * `document_shared` event marked automatic (the customer's news, the staff log) and its
 * `auto_shared_at`, in the caller's transaction (a case change: the on-change step when a milestone
 * moves, an upload of a report after its milestone). A report shared by hand was announced then.
 * Under the case lock, so each report is announced once however many changes race.
 */
export async function announceAutomaticReports(
  trx: Db,
  caseRow: CasesTable,
  settings: CustomerPageSettings,
  stamp: EventActor,
  now: Date,
): Promise<void> {
  const visibility = customerVisibility(settings, stateOf(caseRow), now);
  if (!visibility.reports.inspectionReport && !visibility.reports.settlementReport) return;
  const rules = await reportRulesOf(trx, caseRow, settings, now);
  for (const key of reportKeys) {
    const report = rules.shown[key];
    if (!report || report.auto_shared_at || report.shared_at !== null) continue;
    await setAutoShared(trx, report.id, nowIso(now));
    await appendCaseEvent(
      trx,
      { companyId: caseRow.company_id, caseId: caseRow.id },
      stamp,
      'document_shared',
      { documentId: report.id, fileName: report.file_name, automatic: true, milestone: rules.triggers[key] },
      now,
    );
  }
}
