import { fillTemplate, enqueueMessage } from '../outbox/outbox.ts';
import type { CaseChange } from '../case-commands/case-command.ts';
import { nowIso } from '../db/database.ts';
import { newId } from '../security/tokens.ts';
import { webhookEventKinds, type WebhookEventKind } from '../../common/rules/webhook-events.ts';
import { webhookPayload } from './payload.ts';
import { activeEndpoints, eventsAt, insertDelivery } from './queries.ts';

/**
 * The on-change step of webhooks (registered in app.ts after the steps that write events): every
 * event the change wrote, of a kind an active endpoint of the company asked for, is queued in the
 * outbox for that endpoint — in the change's transaction, so a change that rolls back queues
 * nothing. The events of the change are the case's events stamped with the change's time (every
 * command and step writes its events at `now`); the outbox key `webhook:<endpoint>:<event>` makes a
 * second queueing of one event (a change in the same millisecond) write nothing.
 *
 * The body is stored as the JSON that is sent, quoted for the outbox's one placeholder pass
 * (`fillTemplate`), so the worker's rendering gives back exactly these bytes.
 */
export async function queueWebhookEvents(change: CaseChange): Promise<void> {
  const { trx, after, now } = change;
  const endpoints = await activeEndpoints(trx, after.company_id);
  if (!endpoints.length) return;
  const wanted = endpoints.map((endpoint) => ({
    id: endpoint.id,
    kinds: new Set(JSON.parse(endpoint.event_kinds) as WebhookEventKind[]),
  }));
  const kinds = webhookEventKinds.filter((kind) => wanted.some((endpoint) => endpoint.kinds.has(kind)));
  if (!kinds.length) return;
  const events = await eventsAt(trx, after.id, nowIso(now), kinds);
  for (const event of events) {
    const kind = event.kind as WebhookEventKind;
    const payload = webhookPayload(
      { ...event, kind },
      { companyId: after.company_id, caseId: after.id, claimNumber: after.claim_number },
    );
    const bodyText = fillTemplate('{{body}}', { body: JSON.stringify(payload) });
    for (const endpoint of wanted) {
      if (!endpoint.kinds.has(kind)) continue;
      const key = `webhook:${endpoint.id}:${event.id}`;
      const outboxId = await enqueueMessage(
        trx,
        {
          companyId: after.company_id,
          caseId: after.id,
          kind: 'webhook_event',
          channel: 'webhook',
          recipient: endpoint.id,
          senderName: null,
          bodyText,
          idempotencyKey: key,
        },
        now,
      );
      if (!outboxId) continue;
      await insertDelivery(trx, {
        id: newId(),
        company_id: after.company_id,
        endpoint_id: endpoint.id,
        outbox_id: outboxId,
        outbox_key: key,
        event_id: event.id,
        event_kind: kind,
        case_id: after.id,
        replay_of: null,
        last_status: null,
        last_attempt_at: null,
        created_at: nowIso(now),
      });
    }
  }
}
