import type { NewsKind } from './case-events.ts';
import type { CustomerPageColors } from './customer-page-settings.ts';
import type { PortalType } from './enums.ts';
import type { NextStepKey, NextStepParty } from './next-step.ts';
import type { Page } from './pages.ts';

/**
 * What the customer page shows of one case: the props of the customer-page components
 * (components/CustomerPage.tsx). The server's customer presenter will produce it (a later issue); the
 * admin preview builds one from sample-case.ts. It holds only what a customer may see — no internal
 * notes, decision outcomes, closing comments or reopening reasons — and the components additionally
 * show only what `customerVisibility()` allows. Times are ISO 8601 instants, calendar dates
 * 'YYYY-MM-DD', amounts øre, phone numbers E.164.
 *
 * Type imports only: the customer bundle carries no zod.
 */
export interface CustomerPageModel {
  company: {
    name: string;
    /** The logo customers see, 40 px high, and its 80 px rendition; null: the name is shown. */
    logo: { url: string; url2x: string } | null;
    /** Decides the wording of the decision milestone (contractor portal: job approval). */
    portalType: PortalType;
  };
  colors: CustomerPageColors;
  case: CustomerCase;
  /**
   * The redacted news feed's first page: its newest entries (only the kinds visibility allows) and
   * its total; older pages come from GET /api/customer/news (the same order and filter).
   */
  news: Page<CustomerNewsItem>;
  /** Upcoming meetings of the case's tasks, for the dashboard's plan section. */
  plan: CustomerPlanItem[];
  /** The case's tasks (main inspection excluded) for the project plan. */
  tasks: CustomerTask[];
  documents: {
    /** The latest inspection report, if there is one (shown per visibility.reports). */
    inspectionReport: CustomerDocument | null;
    /** The latest customer settlement report, if there is one (shown per visibility.reports). */
    settlementReport: CustomerDocument | null;
    /** Documents staff shared with the customer by hand. */
    shared: CustomerDocument[];
  };
  budget: { lines: CustomerBudgetLine[] };
  /**
   * The message thread's first page: its newest messages and its total; older pages come from
   * GET /api/customer/messages (the same order and filter).
   */
  messages: Page<CustomerMessage>;
  /** "Hva skjer nå?" (issue 19): the case's next expected step, from common/rules/next-step.ts. */
  nextStep: CustomerNextStep;
  /**
   * A rejected claim, only when the company shows decision outcomes (`showDecisionOutcome`): the
   * date of the decision and the company's text on asking for a new assessment or complaining.
   * Never anything internal about the decision (there is no comment on it to leak).
   */
  rejection: CustomerRejection | null;
}

export interface CustomerNextStep {
  key: NextStepKey;
  /** Who the step waits on; null: nothing is awaited (the case is closed). */
  waitingFor: NextStepParty | null;
  /** The sentence in the page's language: the company's wording or the default, dates filled in. */
  text: string;
}

export interface CustomerRejection {
  /** When the claim was rejected (ISO instant). */
  decidedAt: string;
  /** How to ask for a new assessment or complain, in the page's language. */
  text: string;
}

/** Entries in the first page of the news feed and of the thread, and in each older page the page asks for. */
export const CUSTOMER_LIST_PAGE_SIZE = 30;

export type { Page };

export interface CustomerCase {
  address: { street: string; postalCode: string; city: string };
  claimNumber: string;
  /** The case handler; name and phone are shown only as visibility.caseInfo says. */
  caseHandler: { name: string; phone: string | null } | null;
  /** The assigned partners (office and assigned person of a task), shown per visibility.caseInfo. */
  partnerContacts: CustomerPartnerContact[];
}

export interface CustomerPartnerContact {
  office: string;
  person: string | null;
  phone: string | null;
  /** The task the partner is assigned to. */
  taskName: string | null;
}

export interface CustomerNewsItem {
  id: string;
  kind: NewsKind;
  occurredAt: string;
  /** The redacted text in the customer's language. */
  text: string;
}

export interface CustomerPlanItem {
  id: string;
  taskName: string;
  meetingAt: string;
  /** The partner office assigned to the task. */
  partner: string | null;
  /** The person responsible for the task. */
  responsible: string | null;
}

export type CustomerTaskStatus = 'not_started' | 'started' | 'finished';

export interface CustomerTask {
  id: string;
  name: string;
  description: string | null;
  startsOn: string | null;
  endsOn: string | null;
  meetingAt: string | null;
  status: CustomerTaskStatus;
  /** Photos or files were added to the task (never multimedia of inspections). */
  hasMedia: boolean;
  /** Those photos and files, oldest first (images have a thumbnail: see customerPreviewUrl). */
  media: Array<{ id: string; name: string; url: string }>;
}

export interface CustomerDocument {
  id: string;
  name: string;
  /** Where the file downloads (as an attachment). */
  url: string;
  sizeBytes: number;
  sharedAt: string;
}

export interface CustomerBudgetLine {
  id: string;
  description: string;
  amountOre: number;
}

export interface CustomerMessage {
  id: string;
  sentAt: string;
  senderEmail: string;
  /** Written by the customer (or another contact of the case), not by staff. */
  fromCustomer: boolean;
  /** Written by the person viewing the page (this grant), shown as "you". */
  own: boolean;
  text: string;
  attachments: Array<{ id: string; name: string; url: string }>;
}
