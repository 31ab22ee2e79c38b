/**
 * The case-event log: one append-only list of typed events per case. Staff read all of it (the "Log"
 * buttons); the customer page's news feed reads the same rows through a filter and a redacting
 * presenter, so every event carries the public facts redaction needs (office and person names),
 * separate from internal ones (decision outcome, closing comment, reopening reason).
 */

/** The 19 news kinds of spec §7, in the guide's order (integration contract §3 names). */
export const newsKinds = [
  'call_history',
  'inspector_assigned',
  'main_inspection_started',
  'main_inspection_finished',
  'claim_decision',
  'task_started_finished',
  'case_closed',
  'main_inspection_assigned',
  'tasks_added',
  'repair_responsible_chosen',
  'task_office_assigned',
  'case_reopened',
  'project_manager_assigned',
  'project_management_assigned',
  'meeting_time_changed',
  'repair_schedule_changed',
  'message_to_customer',
  'document_shared',
  'document_unshared',
] as const;
export type NewsKind = (typeof newsKinds)[number];

import type { StoredCall } from './calls.ts';
import type { SendLink, Trigger } from './customer-page-settings.ts';

interface Ref {
  id: string;
  name: string;
}

/** Data of each event kind. Fields named `internal*` never reach a customer. */
export interface CaseEventData {
  case_created: { claimNumber: string };
  case_updated: { fields: string[] };
  contact_added: { contactId: string; role: string; name: string };
  /** A mobile number staff added to a person when granting customer-page access (its log). */
  contact_phone_changed: { contactId: string; name: string; from: string | null; to: string };
  case_put_on_hold: Record<string, never>;
  case_resumed: Record<string, never>;
  case_closed: { internalComment: string | null };
  case_cancelled: Record<string, never>;
  case_reopened: { internalReason: string | null; companyName: string };
  claim_decision: { internalDecision: 'accepted' | 'rejected' | 'needs_more_information' };
  case_handler_changed: { from: Ref | null; to: Ref | null };
  external_case_handler_changed: { from: Ref | null; to: Ref | null };
  technical_advisor_changed: { from: Ref | null; to: Ref | null };
  project_manager_assigned: { person: Ref | null };
  project_management_assigned: { office: Ref | null };
  main_inspection_assigned: { taskId: string; office: Ref };
  inspector_assigned: { taskId: string; inspector: Ref };
  main_inspection_started: { taskId: string };
  main_inspection_finished: { taskId: string };
  task_added: { taskId: string; name: string };
  task_started: { taskId: string; name: string };
  task_finished: { taskId: string; name: string };
  task_office_assigned: { taskId: string; name: string; office: Ref | null };
  repair_responsible_chosen: { taskId: string; name: string; person: Ref | null };
  meeting_time_changed: { taskId: string; name: string; meetingAt: string | null };
  repair_schedule_changed: { taskId: string; name: string; startsOn: string | null; endsOn: string | null };
  /**
   * A call of the call history. `callerName` placed the call (on an incoming call the other party);
   * `number` is the other party's. Events written before issue 16 have neither `direction` nor
   * `partyName`: they read as outgoing calls (calls.ts, callFacts).
   */
  call_recorded: StoredCall & { callId: string };
  document_uploaded: { documentId: string; fileName: string; kind: string };
  /**
   * Shared with the customer: by hand, or (`automatic`) by the report rule when `milestone` was
   * reached or the report was uploaded after it (issue 16).
   */
  document_shared: { documentId: string; fileName: string; automatic?: boolean; milestone?: Trigger };
  /**
   * Sharing stopped. `withheld`: a report staff took out of the automatic rule too. `wasShared` false:
   * the customer had not been shown it (then it is no news); absent in events of before issue 16,
   * which were all of shared documents.
   */
  document_unshared: { documentId: string; fileName: string; withheld?: boolean; wasShared?: boolean };
  /**
   * Deleted by staff (its file is removed after the commit). `wasShared`: it was shared with the
   * customer at that moment — only then does the customer's news name it (customer-news.ts).
   */
  document_deleted: { documentId: string; fileName: string; kind: string; wasShared: boolean };
  /** A staff message on the customer page's Communication tab (`files`: how many files it carries). */
  message_to_customer: { messageId: string; files?: number };
  /** A customer's message (from the person `name`); unread for staff until marked read. */
  message_from_customer: { messageId: string; name: string; files: number };
  /** "Mark all messages as read": `count` customer messages were unread. */
  customer_messages_read: { count: number };
  reminder_set: { reminderId: string; dueOn: string; internalText: string };
  reminder_done: { reminderId: string };
  quote_request_created: { quoteRequestId: string; deadlineOn: string };
  quote_request_answered: { quoteRequestId: string };
  invoice_received: { invoiceId: string; amountOre: number; dueOn: string };
  invoice_approved: { invoiceId: string };
  budget_changed: { totalOre: number };
  /** The customer settlement's draft was saved (settlement/): its version and what it would pay. */
  settlement_saved: { settlementId: string; version: number; payoutOre: number; lines: number };
  /** A customer settlement version was approved (level 4); `supersededId`: the version it replaces. */
  settlement_approved: {
    settlementId: string;
    version: number;
    payoutOre: number;
    deductibleOre: number;
    supersededId: string | null;
  };
  /** A new draft version was made from the approved one (which stays approved until this one is). */
  settlement_version_created: { settlementId: string; version: number; fromVersion: number };
  /** Customer-page access (issue 5); `manual`: granted by staff from the case, else at the milestone. */
  customer_access_granted: { accessId: string; contactId: string; name: string; manual: boolean };
  customer_access_removed: { accessId: string; contactId: string; name: string };
  /**
   * A person's data was erased from the case (person-data/): their access ended and every row about
   * them anonymised. Carries no personal data itself (issue 19, item 6).
   */
  person_erased: { contactId: string };
  /** The per-case "send link" setting; null = the company's setting, `effective` what applies now. */
  customer_link_setting_changed: { from: SendLink | null; to: SendLink | null; effective: SendLink };
  customer_link_queued: CustomerLinkMessage;
  customer_link_sent: CustomerLinkMessage & { attempts: number };
  customer_link_failed: CustomerLinkMessage & { reason: string };
}

/** A link message to one person by one channel (the "Send link" log of spec §9). */
export type CustomerLinkMessage = {
  messageId: string;
  accessId: string;
  name: string;
  channel: 'email' | 'sms';
  recipient: string;
};

export type CaseEventKind = keyof CaseEventData;

/** The news kind of an event, or null for events customers never see in the feed. */
export const newsKindOfEvent: Partial<Record<CaseEventKind, NewsKind>> = {
  call_recorded: 'call_history',
  inspector_assigned: 'inspector_assigned',
  main_inspection_started: 'main_inspection_started',
  main_inspection_finished: 'main_inspection_finished',
  claim_decision: 'claim_decision',
  task_started: 'task_started_finished',
  task_finished: 'task_started_finished',
  case_closed: 'case_closed',
  main_inspection_assigned: 'main_inspection_assigned',
  task_added: 'tasks_added',
  repair_responsible_chosen: 'repair_responsible_chosen',
  task_office_assigned: 'task_office_assigned',
  case_reopened: 'case_reopened',
  project_manager_assigned: 'project_manager_assigned',
  project_management_assigned: 'project_management_assigned',
  meeting_time_changed: 'meeting_time_changed',
  repair_schedule_changed: 'repair_schedule_changed',
  message_to_customer: 'message_to_customer',
  document_shared: 'document_shared',
  document_unshared: 'document_unshared',
  // Withdrawn from the customer like an unshare: news only when it was shared (customer-news.ts).
  document_deleted: 'document_unshared',
};

/** Which log of the case page an event belongs to ("Logg" buttons beside each control). */
export const logTopics = [
  'case',
  'people',
  'decision',
  'inspection',
  'tasks',
  'calls',
  'documents',
  'economy',
  'customer_access',
  'communication',
] as const;
export type LogTopic = (typeof logTopics)[number];

export const logTopicOfEvent: Record<CaseEventKind, LogTopic> = {
  case_created: 'case',
  case_updated: 'case',
  contact_added: 'people',
  contact_phone_changed: 'customer_access',
  case_put_on_hold: 'case',
  case_resumed: 'case',
  case_closed: 'case',
  case_cancelled: 'case',
  case_reopened: 'case',
  claim_decision: 'decision',
  case_handler_changed: 'people',
  external_case_handler_changed: 'people',
  technical_advisor_changed: 'people',
  project_manager_assigned: 'people',
  project_management_assigned: 'people',
  main_inspection_assigned: 'inspection',
  inspector_assigned: 'inspection',
  main_inspection_started: 'inspection',
  main_inspection_finished: 'inspection',
  task_added: 'tasks',
  task_started: 'tasks',
  task_finished: 'tasks',
  task_office_assigned: 'tasks',
  repair_responsible_chosen: 'tasks',
  meeting_time_changed: 'tasks',
  repair_schedule_changed: 'tasks',
  call_recorded: 'calls',
  document_uploaded: 'documents',
  document_shared: 'documents',
  document_unshared: 'documents',
  document_deleted: 'documents',
  message_to_customer: 'communication',
  message_from_customer: 'communication',
  customer_messages_read: 'communication',
  reminder_set: 'case',
  reminder_done: 'case',
  quote_request_created: 'economy',
  quote_request_answered: 'economy',
  invoice_received: 'economy',
  invoice_approved: 'economy',
  budget_changed: 'economy',
  settlement_saved: 'economy',
  settlement_approved: 'economy',
  settlement_version_created: 'economy',
  customer_access_granted: 'customer_access',
  customer_access_removed: 'customer_access',
  person_erased: 'people',
  customer_link_setting_changed: 'customer_access',
  customer_link_queued: 'customer_access',
  customer_link_sent: 'customer_access',
  customer_link_failed: 'customer_access',
};

export const caseEventKinds = Object.keys(logTopicOfEvent) as CaseEventKind[];
