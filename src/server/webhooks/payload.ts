import type { CaseEventData } from '../../common/rules/case-events.ts';
import {
  WEBHOOK_PAYLOAD_VERSION,
  webhookEventKinds,
  type WebhookEventKind,
} from '../../common/rules/webhook-events.ts';

/**
 * The body of a webhook (version 1): the event's envelope and the part of its data a core system
 * acts on. Each kind names the fields it sends, so a field added to an event later is not sent until
 * it is named here: no customer's name, address, phone, e-mail or message text, no file names, no
 * internal comments or reasons (ids lead to them through the API for a caller allowed to read them).
 */
export interface WebhookPayload {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  /** The case event's id: the same on every retry and replay. */
  id: string;
  kind: WebhookEventKind;
  occurredAt: string;
  companyId: string;
  caseId: string;
  claimNumber: string;
  data: Record<string, unknown>;
}

type Ref = { id: string; name: string } | null;
const ref = (value: Ref) => (value ? { id: value.id, name: value.name } : null);
const none = () => ({});

/** What each kind sends of its event's data. */
const dataOf: { [K in WebhookEventKind]: (data: CaseEventData[K]) => Record<string, unknown> } = {
  case_created: none,
  case_updated: (d) => ({ fields: d.fields }),
  case_put_on_hold: none,
  case_resumed: none,
  case_closed: none,
  case_cancelled: none,
  case_reopened: none,
  claim_decision: (d) => ({ decision: d.internalDecision }),
  case_handler_changed: (d) => ({ from: ref(d.from), to: ref(d.to) }),
  main_inspection_assigned: (d) => ({ taskId: d.taskId, office: ref(d.office) }),
  inspector_assigned: (d) => ({ taskId: d.taskId, inspector: ref(d.inspector) }),
  main_inspection_started: (d) => ({ taskId: d.taskId }),
  main_inspection_finished: (d) => ({ taskId: d.taskId }),
  task_added: (d) => ({ taskId: d.taskId, name: d.name }),
  task_started: (d) => ({ taskId: d.taskId, name: d.name }),
  task_finished: (d) => ({ taskId: d.taskId, name: d.name }),
  document_uploaded: (d) => ({ documentId: d.documentId, kind: d.kind }),
  document_shared: (d) => ({ documentId: d.documentId, automatic: d.automatic ?? false }),
  document_unshared: (d) => ({ documentId: d.documentId }),
  document_deleted: (d) => ({ documentId: d.documentId, kind: d.kind }),
  message_to_customer: (d) => ({ messageId: d.messageId, files: d.files ?? 0 }),
  message_from_customer: (d) => ({ messageId: d.messageId, files: d.files }),
  quote_request_created: (d) => ({ quoteRequestId: d.quoteRequestId, deadlineOn: d.deadlineOn }),
  quote_request_answered: (d) => ({ quoteRequestId: d.quoteRequestId }),
  invoice_received: (d) => ({ invoiceId: d.invoiceId, amountOre: d.amountOre, dueOn: d.dueOn }),
  invoice_approved: (d) => ({ invoiceId: d.invoiceId }),
  budget_changed: (d) => ({ totalOre: d.totalOre }),
};

const kinds = new Set<string>(webhookEventKinds);

/** True for the event kinds a webhook can carry. */
export const isWebhookEventKind = (kind: string): kind is WebhookEventKind => kinds.has(kind);

/** The payload of a stored case event. */
export function webhookPayload(
  event: { id: string; kind: WebhookEventKind; occurred_at: string; data: string },
  target: { companyId: string; caseId: string; claimNumber: string },
): WebhookPayload {
  const present = dataOf[event.kind] as (data: unknown) => Record<string, unknown>;
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    id: event.id,
    kind: event.kind,
    occurredAt: new Date(event.occurred_at).toISOString(),
    companyId: target.companyId,
    caseId: target.caseId,
    claimNumber: target.claimNumber,
    data: present(JSON.parse(event.data)),
  };
}
