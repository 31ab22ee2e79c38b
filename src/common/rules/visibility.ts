import { newsKinds as allNewsKinds, type NewsKind } from './case-events.ts';
import type { CustomerPageSettings, SendLink, Trigger } from './customer-page-settings.ts';
import { addDays, osloDate } from './oslo-date.ts';

/**
 * What a customer sees of a case (spec §5–§8), decided in one place: the server (customer-page API),
 * the customer page and the admin preview all call {@link customerVisibility}; nothing else decides
 * visibility. Pure: no clock, no database — the caller passes the settings, the case's milestones
 * and `now`. It imports no zod, so the customer page's bundle stays small.
 */

export type CaseStatus = 'open' | 'on_hold' | 'closed' | 'cancelled';

/** The facts of a case visibility depends on (the case's status and milestone times, ISO 8601). */
export interface CaseVisibilityState {
  status: CaseStatus;
  createdAt: string;
  /** When the main inspection was first assigned; never moves back (spec §6 Decision). */
  mainInspectionAssignedAt: string | null;
  /** When the claim decision was first set to accepted (contractor portal: job approved). */
  positiveDecisionAt: string | null;
  /** When the case was closed; null while open (reopening clears it). */
  closedAt: string | null;
}

export interface CustomerVisibility {
  /** False: every link of the case shows the "no longer available" page (with contactForMoreInfo). */
  reachable: boolean;
  reason?: 'cancelled' | 'closed_too_long';
  /** The customer page always has a dashboard (guide: "Vis instrumentbordet: Alltid"). */
  dashboard: true;
  /** The news section of the dashboard. */
  news: boolean;
  /** The kinds the feed shows, in the guide's order; empty when the news section is hidden. */
  newsKinds: NewsKind[];
  /** The plan section of the dashboard. */
  planOnDashboard: boolean;
  tabs: { projectPlan: boolean; communication: boolean; documents: boolean; budget: boolean };
  /** Reports shared automatically; only while the Documents tab is visible. */
  reports: { inspectionReport: boolean; settlementReport: boolean };
  /** What the customer may do on the Communication tab (all false while it is hidden). */
  communication: { customerCanRead: boolean; customerCanPost: boolean; onlyOwnMessages: boolean };
  caseInfo: {
    caseHandlerName: boolean;
    /** Never true without the name (guide: "krever at saksbehandlerens navn vises"). */
    caseHandlerPhone: boolean;
    partnerContact: boolean;
    /** The text to show, null when none; also shown on the "no longer available" page. */
    contactForMoreInfo: string | null;
  };
}

/** Whether a trigger is reached for a case. Milestones, once set, stay reached; a later one implies the earlier. */
export function triggerReached(trigger: Trigger, state: CaseVisibilityState): boolean {
  switch (trigger) {
    case 'case_created':
      return true;
    case 'main_inspection_assigned':
      // Milestones are ordered: a claim accepted without a main inspection (small claims) has passed
      // that stage too, so what shows "from the inspection on" shows after the decision as well.
      return state.mainInspectionAssignedAt !== null || state.positiveDecisionAt !== null;
    case 'positive_decision':
      return state.positiveDecisionAt !== null;
    case 'never':
      return false;
  }
}

/**
 * When a trigger was reached (the first milestone that reaches it, see {@link triggerReached}), or
 * null while it is not.
 */
export function triggerReachedAt(trigger: Trigger, state: CaseVisibilityState): string | null {
  switch (trigger) {
    case 'case_created':
      return state.createdAt;
    case 'main_inspection_assigned':
      return (
        [state.mainInspectionAssignedAt, state.positiveDecisionAt]
          .filter((at): at is string => at !== null)
          .sort()[0] ?? null
      );
    case 'positive_decision':
      return state.positiveDecisionAt;
    case 'never':
      return null;
  }
}

/** The order of the milestones: a later trigger reached implies every earlier one (never: never). */
const triggerOrder: Record<Trigger, number> = {
  case_created: 0,
  main_inspection_assigned: 1,
  positive_decision: 2,
  never: 3,
};

/** A report of the customer page: the inspection report or the customer settlement report. */
export type ReportKey = keyof CustomerVisibility['reports'];

/** The report a document kind is, if any (task media are never reports). */
export const reportKeyOfKind: Readonly<Record<string, ReportKey | undefined>> = {
  inspection_report: 'inspectionReport',
  customer_settlement_report: 'settlementReport',
};

/**
 * The milestone at which a report is shared automatically: the later of the Documents tab's trigger
 * and the report's own (a report shows only on the Documents tab); `never` when either is never.
 */
export function reportTrigger(
  settings: Pick<CustomerPageSettings, 'showDocuments' | 'showInspectionReport' | 'showSettlementReport'>,
  report: ReportKey,
): Trigger {
  const own = report === 'inspectionReport' ? settings.showInspectionReport : settings.showSettlementReport;
  return triggerOrder[own] >= triggerOrder[settings.showDocuments] ? own : settings.showDocuments;
}

/** A document of the library as the automatic report rule reads it. */
export interface ReportCandidate {
  id: string;
  kind: string;
  /** Task media are never reports. */
  taskId: string | null;
  createdAt: string;
  /** Staff withheld it: the rule does not share it. */
  withheld: boolean;
}

/**
 * The newest report of each kind (newest upload, then id): the only one the rule shares — a newer
 * upload replaces the older on the customer page.
 */
export function newestReports<T extends ReportCandidate>(
  documents: readonly T[],
): Partial<Record<ReportKey, T>> {
  const newest: Partial<Record<ReportKey, T>> = {};
  for (const document of documents) {
    const key = reportKeyOfKind[document.kind];
    if (!key || document.taskId !== null) continue;
    const known = newest[key];
    if (!known || [document.createdAt, document.id].join() > [known.createdAt, known.id].join()) {
      newest[key] = document;
    }
  }
  return newest;
}

/**
 * The reports the customer page shows by the automatic rule now: per kind, the newest report while
 * the rule is reached ({@link customerVisibility}'s `reports`), unless staff withheld that one (then
 * none: withholding a report never brings an older one back).
 */
export function automaticReports<T extends ReportCandidate>(
  reports: CustomerVisibility['reports'],
  documents: readonly T[],
): Record<ReportKey, T | null> {
  const newest = newestReports(documents);
  const shown = (key: ReportKey) => {
    const document = newest[key];
    return reports[key] && document && !document.withheld ? document : null;
  };
  return { inspectionReport: shown('inspectionReport'), settlementReport: shown('settlementReport') };
}

/**
 * When the rule shared a report: its announcement when there was one, else the later of its upload
 * and the moment its trigger was reached.
 */
export function automaticShareTime(
  document: { createdAt: string; announcedAt: string | null },
  reachedAt: string | null,
): string {
  if (document.announcedAt) return document.announcedAt;
  return reachedAt && reachedAt > document.createdAt ? reachedAt : document.createdAt;
}

/**
 * The last calendar day (Europe/Oslo) a closed case is reachable, or null when it is not reachable
 * after closing at all. `visibleDaysAfterClose` is "how many days the case is visible after it is
 * closed" (the admin's words): 0 closes the page at the moment the case is closed; N ≥ 1 keeps it
 * through the whole of the Nth Oslo calendar day after the closing day — with 30 days, a case closed
 * on 1 March (at any time of day) is reachable until 31 March 23:59:59 Oslo time.
 */
export function lastVisibleDay(closedAt: string, visibleDaysAfterClose: number): string | null {
  if (visibleDaysAfterClose <= 0) return null;
  return addDays(osloDate(new Date(closedAt)), visibleDaysAfterClose);
}

/** Whether the customer page of a case can be opened at `now`, and if not why. */
export function reachability(
  settings: Pick<CustomerPageSettings, 'visibleDaysAfterClose'>,
  state: CaseVisibilityState,
  now: Date,
): { reachable: true } | { reachable: false; reason: 'cancelled' | 'closed_too_long' } {
  if (state.status === 'cancelled') return { reachable: false, reason: 'cancelled' };
  if (state.status === 'closed') {
    // A closed case without a closing time (should not happen) counts as closed just now.
    const lastDay = lastVisibleDay(state.closedAt ?? now.toISOString(), settings.visibleDaysAfterClose);
    if (lastDay === null || osloDate(now) > lastDay) {
      return { reachable: false, reason: 'closed_too_long' };
    }
  }
  return { reachable: true };
}

/** What a customer sees of a case at `now` under the company's settings. */
export function customerVisibility(
  settings: CustomerPageSettings,
  state: CaseVisibilityState,
  now: Date,
): CustomerVisibility {
  const contactForMoreInfo = settings.contactForMoreInfo.trim() || null;
  const access = reachability(settings, state, now);
  if (!access.reachable) {
    return {
      reachable: false,
      reason: access.reason,
      dashboard: true,
      news: false,
      newsKinds: [],
      planOnDashboard: false,
      tabs: { projectPlan: false, communication: false, documents: false, budget: false },
      reports: { inspectionReport: false, settlementReport: false },
      communication: { customerCanRead: false, customerCanPost: false, onlyOwnMessages: false },
      caseInfo: {
        caseHandlerName: false,
        caseHandlerPhone: false,
        partnerContact: false,
        contactForMoreInfo,
      },
    };
  }

  const reached = (trigger: Trigger) => triggerReached(trigger, state);
  const news = reached(settings.showNews);
  const documents = reached(settings.showDocuments);
  const communication = reached(settings.showCommunication);
  const method = settings.communicationMethod;
  return {
    reachable: true,
    dashboard: true,
    news,
    newsKinds: news ? allNewsKinds.filter((kind) => settings.newsFilter.includes(kind)) : [],
    planOnDashboard: settings.showPlanOnDashboard,
    tabs: {
      projectPlan: reached(settings.showProjectPlan),
      communication,
      documents,
      budget: reached(settings.showBudget),
    },
    reports: {
      inspectionReport: reached(reportTrigger(settings, 'inspectionReport')),
      settlementReport: reached(reportTrigger(settings, 'settlementReport')),
    },
    communication: {
      customerCanRead: communication && method !== 'from_customer',
      customerCanPost: communication && method !== 'to_customer',
      onlyOwnMessages: communication && method === 'from_customer',
    },
    caseInfo: {
      caseHandlerName: settings.showCaseHandler,
      caseHandlerPhone: settings.showCaseHandler && settings.showCaseHandlerPhone,
      partnerContact: settings.showPartnerContact,
      contactForMoreInfo,
    },
  };
}

/**
 * Whether the link to the customer page is due to be sent automatically for a case: never with
 * `manual` (staff grant access by hand) and never for a cancelled case; otherwise once the chosen
 * milestone is reached. The caller sends it once per person (and checks reachability at sending).
 */
export function sendLinkDue(sendLink: SendLink, state: CaseVisibilityState): boolean {
  if (sendLink === 'manual' || state.status === 'cancelled') return false;
  return triggerReached(sendLink, state);
}
