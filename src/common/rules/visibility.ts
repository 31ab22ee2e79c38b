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
      inspectionReport: documents && reached(settings.showInspectionReport),
      settlementReport: documents && reached(settings.showSettlementReport),
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
