import type { CaseEventKind } from './case-events.ts';

/**
 * The case events a company's core system can receive by webhook (issue 18, part 4): the kinds of
 * the case-event log (case-events.ts) that tell a core system something it acts on, under their
 * own names. Left out: the customer-access and link bookkeeping, reminders (internal notes), calls
 * (phone numbers) and read receipts. What each carries: server/webhooks/payload.ts and
 * docs/integrations.md.
 */
export const webhookEventKinds = [
  'case_created',
  'case_updated',
  'case_put_on_hold',
  'case_resumed',
  'case_closed',
  'case_cancelled',
  'case_reopened',
  'claim_decision',
  'case_handler_changed',
  'main_inspection_assigned',
  'inspector_assigned',
  'main_inspection_started',
  'main_inspection_finished',
  'task_added',
  'task_started',
  'task_finished',
  'document_uploaded',
  'document_shared',
  'document_unshared',
  'document_deleted',
  'message_to_customer',
  'message_from_customer',
  'quote_request_created',
  'quote_request_answered',
  'invoice_received',
  'invoice_approved',
  'budget_changed',
] as const satisfies readonly CaseEventKind[];

export type WebhookEventKind = (typeof webhookEventKinds)[number];

/** The version of the payload's shape, sent as `version` (raised only for a breaking change). */
export const WEBHOOK_PAYLOAD_VERSION = 1;
