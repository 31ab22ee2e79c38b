/**
 * Table types of the database, shared by SQLite and PostgreSQL.
 * To keep the two databases equal, columns use only portable types: ids are opaque text
 * (random UUIDs), times are ISO 8601 UTC text (`toISOString()`, so they sort as text),
 * booleans are integers 0/1. See docs/architecture.md.
 */
export interface CompaniesTable {
  id: string;
  name: string;
  org_number: string | null;
  portal_type: 'insurance' | 'contractor';
  logo_key: string | null;
  created_at: string;
  /**
   * Bumped by every change of what the customer pages of the company show besides their case (name,
   * logos, customer-page settings, a user's name or phone): stored customer pages carry it.
   */
  page_version: number;
  /** Quiet hours of customer notices, whole Oslo hours 0–23 (common/rules/quiet-hours.ts); null: none. Column default 21 → 8. */
  quiet_hours_from?: number | null;
  quiet_hours_to?: number | null;
  /** Years a closed case keeps personal data (1–30; default 10 in the migration), data-lifecycle/. */
  personal_data_retention_years?: number;
  /** Whether a new cash-settlement line includes VAT by default (0/1, default 0), settlement/. */
  cash_settlement_includes_vat?: number;
}

export interface UsersTable {
  id: string;
  company_id: string;
  name: string;
  email: string;
  phone: string | null;
  level: number;
  active: number;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

export interface StaffSessionsTable {
  /** HMAC of the session token; the token itself is only in the cookie. */
  id: string;
  user_id: string;
  company_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiKeysTable {
  id: string;
  company_id: string;
  name: string;
  level: number;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PartnersTable {
  id: string;
  company_id: string;
  name: string;
  org_number: string | null;
  created_at: string;
}

export interface OfficesTable {
  id: string;
  company_id: string;
  partner_id: string;
  name: string;
  phone: string | null;
  email: string | null;
  created_at: string;
}

export interface PersonsTable {
  id: string;
  company_id: string;
  office_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: string;
}

/** Failed attempts (logins, later SMS codes) counted in a sliding window, shared by all processes. */
export interface AuthFailuresTable {
  id: string;
  bucket: string;
  key: string;
  at: string;
}

export type CaseStatus = 'open' | 'on_hold' | 'closed' | 'cancelled';
export type ClaimDecision = 'accepted' | 'rejected' | 'needs_more_information';

export interface CasesTable {
  id: string;
  company_id: string;
  claim_number: string;
  street: string;
  postal_code: string;
  city: string;
  description: string | null;
  status: CaseStatus;
  claim_decision: ClaimDecision | null;
  claim_decision_at: string | null;
  case_handler_id: string | null;
  /** A person (of a partner office) handling the claim outside the company. */
  external_case_handler_id: string | null;
  /** A staff user advising on the technical side. */
  technical_advisor_id: string | null;
  project_manager_id: string | null;
  project_management_office_id: string | null;
  quality_control: number;
  /** Milestones (spec §6): set when first reached, never moved back. */
  created_at: string;
  main_inspection_assigned_at: string | null;
  positive_decision_at: string | null;
  closed_at: string | null;
  updated_at: string;
  /** Per-case override of the company's `sendLink` (spec §9); null = the company's setting. */
  send_link: 'case_created' | 'main_inspection_assigned' | 'positive_decision' | 'manual' | null;
  /** Bumped by the write path of case work in every change of the case (0 for a new case). */
  version: number;
  /** When the retention job anonymised the case (data-lifecycle/); null: personal data still kept. */
  personal_data_removed_at?: string | null;
}

export interface CaseContactsTable {
  id: string;
  company_id: string;
  case_id: string;
  role: 'customer' | 'contact_person' | 'other';
  name: string;
  email: string | null;
  phone: string | null;
  created_at: string;
  /** When this person's data was erased (person-data/): the row stays, anonymised. */
  erased_at?: string | null;
}

export interface TasksTable {
  id: string;
  company_id: string;
  case_id: string;
  kind: 'main_inspection' | 'repair';
  name: string;
  description: string | null;
  office_id: string | null;
  /** The inspector of a main inspection, the responsible person of a repair task. */
  responsible_id: string | null;
  /** Calendar dates 'YYYY-MM-DD'. */
  starts_on: string | null;
  ends_on: string | null;
  meeting_at: string | null;
  status: 'not_started' | 'started' | 'finished';
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
}

export interface CaseEventsTable {
  id: string;
  company_id: string;
  case_id: string;
  kind: string;
  occurred_at: string;
  actor_kind: 'user' | 'api_key' | 'system' | 'customer';
  actor_id: string | null;
  actor_name: string | null;
  /** JSON of the event's typed data (src/common/rules/case-events.ts). */
  data: string;
}

export interface CallsTable {
  id: string;
  company_id: string;
  case_id: string;
  /** Which way the call went (common/rules/calls.ts). */
  direction: 'outgoing' | 'incoming';
  /** Who placed the call; on an incoming call the other party. */
  caller_name: string;
  /** The other party's name (null: not given, as on calls recorded before issue 16). */
  party_name: string | null;
  /** The other party's number (E.164). */
  number: string;
  reached: number;
  duration_seconds: number;
  called_at: string;
}

export interface DocumentsTable {
  id: string;
  company_id: string;
  case_id: string;
  /** Set for multimedia attached to a task. */
  task_id: string | null;
  kind: 'inspection_report' | 'customer_settlement_report' | 'other' | 'task_media';
  file_name: string;
  content_type: string;
  size_bytes: string | number;
  storage_key: string;
  uploaded_by_kind: 'staff' | 'partner' | 'customer';
  uploaded_by_id: string | null;
  uploaded_by_name: string | null;
  /** When staff saw a partner's or customer's upload (null: unseen). */
  seen_at: string | null;
  /** When shared by hand with the customer (null: not shared). */
  shared_at: string | null;
  created_at: string;
  // Issue 16 (reports shared by a milestone rule). Optional in the type only, so inserts that share
  // nothing need not name them; the columns are nullable text.
  /** Who shared it by hand (null: not shared, or shared before this was recorded). */
  shared_by_name?: string | null;
  /** A report staff withheld from the customer: the automatic rule does not show it. */
  withheld_at?: string | null;
  withheld_by_name?: string | null;
  /** When the automatic rule's share of this report was announced to the customer (its news entry). */
  auto_shared_at?: string | null;
}

export interface RemindersTable {
  id: string;
  company_id: string;
  case_id: string;
  due_on: string;
  text: string;
  done_at: string | null;
  created_at: string;
}

export interface QuoteRequestsTable {
  id: string;
  company_id: string;
  case_id: string;
  office_id: string | null;
  description: string;
  deadline_on: string;
  status: 'pending' | 'answered';
  answered_at: string | null;
  created_at: string;
  /** What the answered quote came to, in øre (cost control's "quoted"); null: not recorded. */
  amount_ore?: string | number | null;
}

export interface InvoicesTable {
  id: string;
  company_id: string;
  case_id: string;
  office_id: string | null;
  description: string;
  /** Money in øre (1/100 NOK); PostgreSQL returns bigint as text, so read it through Number(). */
  amount_ore: string | number;
  due_on: string;
  status: 'awaiting_approval' | 'approved';
  approved_at: string | null;
  /** Who approved it: a snapshot of the name the case log shows (null before 2026-12-07). */
  approved_by_name: string | null;
  created_at: string;
}

export interface BudgetLinesTable {
  id: string;
  company_id: string;
  case_id: string;
  description: string;
  amount_ore: string | number;
  created_at: string;
}

/** One version of a case's customer settlement (settlement/); approved rows never change but for `superseded`. */
export interface SettlementsTable {
  id: string;
  company_id: string;
  case_id: string;
  /** 1, 2, … per case (unique). */
  version: number;
  /** Moves on with every write of this version (stale editors get 409). */
  revision: number;
  status: 'draft' | 'approved' | 'superseded';
  deductible_ore: string | number;
  decided_at: string | null;
  /** Who approved it: a snapshot of the name the case log shows. */
  approved_by: string | null;
  supersedes_id: string | null;
  created_at: string;
  updated_at: string;
}

/** One line of a settlement version. */
export interface SettlementLinesTable {
  id: string;
  settlement_id: string;
  position: number;
  kind: 'contractor_repair' | 'cash_settlement' | 'own_work' | 'other_costs';
  description: string;
  claimed_ore: string | number;
  depreciation_basis_points: number;
  depreciation_reason: string | null;
  vat_included: number;
}

/** Customer-page settings of a company (issue 4); no row = the defaults. */
export interface CustomerPageSettingsTable {
  company_id: string;
  /** JSON of every setting (common/rules/customer-page-settings.ts). */
  settings: string;
  /** Content hash of the uploaded customer-page logo; its renditions live under `logos/`. */
  logo_key: string | null;
  updated_at: string;
  /** Id of the user or API key that saved last. */
  updated_by: string;
}

/** One changed setting: who, when, old → new (values as JSON text). Append-only. */
export interface CustomerPageAuditTable {
  id: string;
  company_id: string;
  actor_id: string;
  actor_name: string | null;
  at: string;
  /** A setting name, `colors.<key>` for one colour, `logo` or `companyLogo`. */
  setting: string;
  old_value: string | null;
  new_value: string | null;
}

/** One person's access to the customer page of one case (issue 5). */
export interface CustomerAccessTable {
  id: string;
  company_id: string;
  case_id: string;
  contact_id: string;
  /** SHA-256 of the link token; the token itself is only in the link sent to the person. */
  token_hash: string;
  /** Counts (re)grants: each grant has its own token and its own link messages. */
  link_version: number;
  state: 'active' | 'removed';
  granted_by_kind: 'user' | 'api_key' | 'system';
  granted_by_id: string | null;
  granted_by_name: string | null;
  granted_at: string;
  removed_at: string | null;
  last_used_at: string | null;
  /** Wrong SMS codes since the last right one (or new link); at the limit the grant is locked. */
  wrong_codes: number;
  /** When too many wrong codes locked the grant's code checks; cleared by a new link from staff. */
  code_locked_at: string | null;
  /** The grant's latest identification ('sms_code' | 'bankid'), with BankID's name and birth date. */
  identified_by: string | null;
  identified_name: string | null;
  identified_birth_date: string | null;
  identified_at: string | null;
}

/** A customer's browser session on one case; the id is the SHA-256 of the cookie's token. */
export interface CustomerSessionsTable {
  id: string;
  access_id: string;
  company_id: string;
  case_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /** 1 once the SMS security code was entered in this session. */
  code_verified: number;
  /** How this session identified the customer: 'sms_code' or 'bankid'; null: the link alone. */
  identified_by: string | null;
  /** The name and birth date (YYYY-MM-DD) BankID verified; never the national identity number. */
  verified_name: string | null;
  verified_birth_date: string | null;
  identified_at: string | null;
  /** The last BankID attempt's problem for the page: 'failed' or 'unavailable'; null: none. */
  bankid_problem: string | null;
}

/** A company's OpenID Provider for staff single sign-on (sso/); the secret is sealed. */
export interface StaffSsoTable {
  company_id: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  /** 1: the sign-in link works; 0: configured but switched off. */
  enabled: number;
  /** 1: the company's users may not sign in with a password (only through the provider). */
  sso_only: number;
  updated_at: string;
  updated_by: string;
}

/** A company's OIDC broker for BankID (customer-access/bankid-broker.ts); the secret is sealed. */
export interface BankIdBrokersTable {
  company_id: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  updated_at: string;
  updated_by: string;
}

/** A one-time SMS security code (only an HMAC of it is stored). */
export interface SmsCodesTable {
  id: string;
  access_id: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  wrong_attempts: number;
  /** 1 after too many wrong tries, or when a newer code replaced it. */
  dead: number;
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

/** A message to deliver (transactional outbox); see src/server/outbox/. */
/** The channels and kinds of messages to people (e-mail, SMS), i.e. every outbox row but webhook events. */
export type PersonMessage = { kind: Exclude<OutboxTable['kind'], 'webhook_event'>; channel: 'email' | 'sms' };

export interface OutboxTable {
  id: string;
  company_id: string;
  case_id: string | null;
  access_id: string | null;
  /** customer_link, sms_code; message_notice: a new staff message (to a customer); staff_notice: a customer's message (to the case handler). */
  kind:
    | 'customer_link'
    | 'sms_code'
    | 'message_notice'
    | 'staff_notice'
    | 'webhook_event'
    /** The customer page closes soon: download the archive (case-archive/). */
    | 'archive_notice';
  /** webhook: `recipient` is the endpoint's id, `body_text` the event's JSON (webhooks/). */
  channel: 'email' | 'sms' | 'webhook';
  recipient: string;
  sender_name: string | null;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  /** The message's secret (link or code), sealed; `{{secret}}` in subject and bodies stands for it. */
  secret_sealed: string | null;
  idempotency_key: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  delivered_via: 'smtp' | 'sms-webhook' | 'dev-mailbox' | 'webhook' | null;
  created_at: string;
  sent_at: string | null;
  /** What the SMS provider's latest applied delivery report said (sms-reports/delivery-reports.ts); null: none yet. */
  provider_status: 'delivered' | 'failed' | null;
  /** When that report says it happened (the provider's `at`, else when we received it). */
  provider_status_at: string | null;
  /** The provider's reason of a `failed` report. */
  provider_error: string | null;
  /** When the address and texts were cleared after delivery and the grace period (data-lifecycle/). */
  personal_data_scrubbed_at?: string | null;
}

/** One line of the audit trail (audit/): who changed what of the company's administration, or downloaded a document. */
export interface AuditLogTable {
  id: string;
  company_id: string;
  at: string;
  actor_kind: 'user' | 'api_key' | 'system';
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  /** The actor's name at the time (a snapshot, as the case log keeps it). */
  actor_name: string | null;
  /** One of common/rules/audit-actions.ts. */
  action: string;
  subject_type: string;
  subject_id: string | null;
  /** JSON of a small detail without secrets. */
  detail: string;
}

/** One run of the retention job for a company on one Oslo day (data-lifecycle/); unique per day. */
export interface RetentionRunsTable {
  id: string;
  company_id: string;
  /** YYYY-MM-DD, Europe/Oslo. */
  day: string;
  started_at: string;
  finished_at: string | null;
  cases_anonymised: number;
  files_deleted: number;
  outbox_scrubbed: number;
}

/** A customer's answer to "how satisfied are you?" on a closed case (one per grant and case). */
export interface SatisfactionAnswersTable {
  id: string;
  company_id: string;
  case_id: string;
  access_id: string;
  /** 1 (very dissatisfied) – 5 (very satisfied). */
  score: number;
  comment: string | null;
  /** The case handler when the answer was given (results per handler). */
  case_handler_id: string | null;
  answered_at: string;
}

/** The archive notice of one closing of a case (case-archive/): the row is the claim, sent once. */
export interface CaseArchiveNoticesTable {
  case_id: string;
  closed_at: string;
  company_id: string;
  /** The last day the page is open (Europe/Oslo) the notice told; null: no notice was due. */
  last_day: string | null;
  recipients: number;
  noticed_at: string;
}

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  staff_sessions: StaffSessionsTable;
  staff_sso: StaffSsoTable;
  api_keys: ApiKeysTable;
  partners: PartnersTable;
  offices: OfficesTable;
  persons: PersonsTable;
  auth_failures: AuthFailuresTable;
  cases: CasesTable;
  case_contacts: CaseContactsTable;
  case_search: CaseSearchTable;
  case_counts: CaseCountsTable;
  tasks: TasksTable;
  case_events: CaseEventsTable;
  calls: CallsTable;
  documents: DocumentsTable;
  reminders: RemindersTable;
  quote_requests: QuoteRequestsTable;
  invoices: InvoicesTable;
  budget_lines: BudgetLinesTable;
  settlements: SettlementsTable;
  settlement_lines: SettlementLinesTable;
  customer_page_settings: CustomerPageSettingsTable;
  customer_page_audit: CustomerPageAuditTable;
  customer_access: CustomerAccessTable;
  customer_sessions: CustomerSessionsTable;
  bankid_brokers: BankIdBrokersTable;
  sms_codes: SmsCodesTable;
  outbox: OutboxTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  case_messages: CaseMessagesTable;
  message_attachments: MessageAttachmentsTable;
  staff_notifications: StaffNotificationsTable;
  customer_link_tokens: CustomerLinkTokensTable;
  dashboard_entries: DashboardEntriesTable;
  dashboard_counts: DashboardCountsTable;
  customer_page_models: CustomerPageModelsTable;
  satisfaction_answers: SatisfactionAnswersTable;
  case_archive_notices: CaseArchiveNoticesTable;
  audit_log: AuditLogTable;
  retention_runs: RetentionRunsTable;
}

/**
 * The stored answer of the customer page per case × grant × language (customer-page/read-model.ts),
 * sent only while its stamps equal the case's `version` and the company's `page_version` and the
 * clock is not past `valid_until`.
 */
export interface CustomerPageModelsTable {
  case_id: string;
  access_id: string;
  language: string;
  company_id: string;
  case_version: number;
  company_version: number;
  /** The presenter's format that built it (read-model.ts CUSTOMER_PAGE_FORMAT); 0 before formats. */
  format: number;
  /** The last instant the page is right by the clock (the next meeting of its plan); null: always. */
  valid_until: string | null;
  /** A hash of `body`. */
  etag: string;
  /** `{"visibility":…,"model":…}` as sent. */
  body: string;
  built_at: string;
}

/**
 * The text a case is found by in the case search (cases/search-text.ts keeps it current on every case
 * change), with the case's company and creation time so a search is counted and ordered without
 * reading the cases. SQLite also has an integer row key (`fts_key`) its trigram index refers to;
 * it is the database's own and never read or written by the app.
 */
export interface CaseSearchTable {
  case_id: string;
  company_id: string;
  created_at: string;
  /** Claim number, address and customer, folded (lower case, Æ/Ø/Å included), one field per line. */
  search_text: string;
}

/**
 * How many cases a company has of each status and case handler (cases/case-counts.ts keeps it on
 * every case change): the totals of the case list without reading the cases.
 */
export interface CaseCountsTable {
  company_id: string;
  status: CaseStatus;
  /** The case handler's user id, or '' for cases without one. */
  handler_key: string;
  cases: number;
}

export interface CaseMessagesTable {
  id: string;
  company_id: string;
  case_id: string;
  direction: 'to_customer' | 'from_customer';
  sender_kind: 'user' | 'api_key' | 'customer';
  /** The user, API key or customer-access grant that wrote it. */
  sender_id: string;
  sender_name: string;
  sender_email: string | null;
  /** Plain text; empty when the message is only files. */
  body: string;
  created_at: string;
  /** A customer's message: when staff marked it read (null: unread). */
  read_at: string | null;
}

export interface MessageAttachmentsTable {
  document_id: string;
  message_id: string;
  position: number;
}

export interface StaffNotificationsTable {
  id: string;
  company_id: string;
  user_id: string;
  case_id: string;
  message_id: string | null;
  kind: 'customer_message';
  created_at: string;
  read_at: string | null;
}

export interface CustomerLinkTokensTable {
  token_hash: string;
  access_id: string;
  link_version: number;
  created_at: string;
}

/** The rows of the staff dashboard as stored in `dashboard_entries.dashboard_row`. */
export type DashboardEntryRow =
  'reminders' | 'quote_requests' | 'customer_uploads' | 'partner_uploads' | 'invoices_awaiting_approval';

/**
 * One case in one row of the staff dashboard (spec §11): present while the case is open or on hold
 * and has open items in the row; kept current by the dashboard's on-change step
 * (dashboard/entries.ts). The case lists behind the numbers read it.
 */
export interface DashboardEntriesTable {
  case_id: string;
  dashboard_row: DashboardEntryRow;
  company_id: string;
  /** The case's handler (the reminders row is theirs). */
  handler_id: string | null;
  /** The earliest due date of the case's open items in the row; null when one is undated (Today). */
  due_on: string | null;
}

/**
 * How many entries (cases) of a company's dashboard row fall on one due date — for the reminders
 * row per handler. Kept with the entries by the same step; the numbers of the dashboard sum it.
 */
export interface DashboardCountsTable {
  company_id: string;
  dashboard_row: DashboardEntryRow;
  /** The handler in the reminders row ('' for a case without one); '' in every other row. */
  handler_id: string;
  /** The entries' due date; '' when undated (sorts before every date: always Today). */
  due_on: string;
  /** > 0 once a change commits: a bucket that empties is deleted. */
  cases: number;
}

/** A company's outbound webhook endpoint (webhooks/): where its case events are POSTed, signed. */
export interface WebhookEndpointsTable {
  id: string;
  company_id: string;
  url: string;
  description: string | null;
  /** JSON array of the event kinds it receives (common/rules/webhook-events.ts). */
  event_kinds: string;
  /** 0: nothing is queued for it and what was queued is not sent. */
  active: number;
  /** Why it was switched off by us: 'gone' (it answered 410); null when active or switched off by staff. */
  disabled_reason: 'gone' | null;
  /** The signing secret, sealed with the server secret (outbox/sealing.ts); shown once at creation. */
  secret_sealed: string;
  /** The secret before the last rotation, still signed with until `previous_secret_until`. */
  previous_secret_sealed: string | null;
  previous_secret_until: string | null;
  created_at: string;
  updated_at: string;
}

/** One delivery of one event to one endpoint: its outbox row, and what the endpoint last answered. */
export interface WebhookDeliveriesTable {
  id: string;
  company_id: string;
  endpoint_id: string;
  outbox_id: string;
  /** The outbox row's idempotency key (the transport finds the delivery by it). */
  outbox_key: string;
  event_id: string;
  event_kind: string;
  case_id: string;
  /** The delivery this one replays; null for the first. */
  replay_of: string | null;
  /** The HTTP status of the last attempt; null before one, or when no answer came. */
  last_status: number | null;
  last_attempt_at: string | null;
  created_at: string;
}
