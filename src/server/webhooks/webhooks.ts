import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import type {
  CreateWebhookInput,
  UpdateWebhookInput,
  WebhookDeliveryView,
  WebhookView,
  WebhookWithSecretView,
} from '../../common/contracts/webhook-api.ts';
import type { WebhookEventKind } from '../../common/rules/webhook-events.ts';
import type { Config } from '../config.ts';
import { inTransaction, nowIso, type Db } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { WebhookEndpointsTable } from '../db/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError, notFound } from '../errors.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { createSealer } from '../outbox/sealing.ts';
import { authorize, requireSameCompany, type Actor } from '../security/actor.ts';
import { newId, randomToken } from '../security/tokens.ts';
import { webhookPolicy } from './policy.ts';
import {
  countEndpoints,
  deleteEndpointRows,
  deliveriesOfEndpoint,
  deliveriesOfEvent,
  endpointsOfCompany,
  findDelivery,
  findEndpoint,
  insertDelivery,
  insertEndpoint,
  updateEndpoint,
  type DeliveryRow,
} from './queries.ts';
import { findTargetProblem, targetProblemText, type TargetRules } from './targets.ts';

/**
 * A company's webhook endpoints (level 6): registration with a signing secret shown once (stored
 * sealed under the server secret), changes, deletion, secret rotation, the delivery log and replay.
 * Events are queued by the on-change step (queue-events.ts) and sent by the outbox's worker through
 * the webhook transport (transport.ts).
 */

/** Our number: endpoints per company (a core system or two, a test one, a monitoring one …). */
export const MAX_ENDPOINTS_PER_COMPANY = 20;
/** How long the secret before a rotation still signs (a second `v1=`), so receivers can switch over. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60_000;

/** The part of the configuration the endpoints need: URL rules and the server secret for sealing. */
export type WebhookConfig = Pick<Config, 'nodeEnv' | 'webhookAllowPrivateTargets' | 'sessionSecret'>;

export const targetRulesOf = (config: WebhookConfig): TargetRules => ({
  production: config.nodeEnv === 'production',
  allowPrivate: config.webhookAllowPrivateTargets,
});

/** The signing secrets are sealed with the server secret, as the outbox seals its messages' secrets. */
export const webhookSealer = (config: Pick<Config, 'sessionSecret'>) => createSealer(config.sessionSecret);

/** A new signing secret: 256 random bits, prefixed so it is recognisable in a secret store. */
const newSecret = () => `whsec_${randomToken(32)}`;

function presentEndpoint(row: WebhookEndpointsTable): WebhookView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventKinds: JSON.parse(row.event_kinds) as WebhookEventKind[],
    active: row.active === 1,
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function presentDelivery(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventKind: row.event_kind,
    caseId: row.case_id,
    state: row.state,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.state === 'queued' ? row.next_attempt_at : null,
    sentAt: row.sent_at,
    replayOf: row.replay_of,
  };
}

async function requireAllowedUrl(config: WebhookConfig, url: string): Promise<void> {
  const problem = await findTargetProblem(url, targetRulesOf(config));
  if (problem) {
    throw new AppError('webhook_url_refused', targetProblemText[problem], {
      fields: [{ path: 'url', message: targetProblemText[problem], code: 'invalid' }],
    });
  }
}

async function requireEndpoint(db: Db, actor: Actor, id: string): Promise<WebhookEndpointsTable> {
  return requireSameCompany(actor, await findEndpoint(db, id));
}

/** POST /api/webhooks: registers an endpoint; the answer carries its signing secret, this once. */
export async function createWebhook(
  db: Db,
  config: WebhookConfig,
  actor: Actor,
  input: CreateWebhookInput,
  now = new Date(),
): Promise<WebhookWithSecretView> {
  authorize(actor, webhookPolicy.manage);
  await requireAllowedUrl(config, input.url);
  const secret = newSecret();
  const row: WebhookEndpointsTable = {
    id: newId(),
    company_id: actor.companyId,
    url: input.url,
    description: input.description || null,
    event_kinds: JSON.stringify(input.eventKinds),
    active: 1,
    disabled_reason: null,
    secret_sealed: webhookSealer(config).seal(secret),
    previous_secret_sealed: null,
    previous_secret_until: null,
    created_at: nowIso(now),
    updated_at: nowIso(now),
  };
  await inTransaction(db, async (trx) => {
    if ((await countEndpoints(trx, actor.companyId)) >= MAX_ENDPOINTS_PER_COMPANY) {
      throw new AppError('conflict', `A company has at most ${MAX_ENDPOINTS_PER_COMPANY} webhook endpoints.`);
    }
    await insertEndpoint(trx, row);
    await recordAudit(trx, actor, {
      action: 'webhook.created',
      subjectType: 'webhook',
      subjectId: row.id,
      detail: { url: input.url, eventKinds: input.eventKinds },
      at: now,
    });
  });
  return { ...presentEndpoint(row), secret };
}

/** GET /api/webhooks: one page of the company's endpoints, newest first, without secrets. */
export async function listWebhooks(db: Db, actor: Actor, paging: PageRequest): Promise<Page<WebhookView>> {
  authorize(actor, webhookPolicy.manage);
  return fetchPage(endpointsOfCompany(db, actor.companyId), paging, presentEndpoint);
}

/** GET /api/webhooks/:id */
export async function getWebhook(db: Db, actor: Actor, id: string): Promise<WebhookView> {
  authorize(actor, webhookPolicy.manage);
  return presentEndpoint(await requireEndpoint(db, actor, id));
}

/** PATCH /api/webhooks/:id: URL (checked again), kinds, description, on/off. */
export async function updateWebhook(
  db: Db,
  config: WebhookConfig,
  actor: Actor,
  id: string,
  input: UpdateWebhookInput,
  now = new Date(),
): Promise<WebhookView> {
  authorize(actor, webhookPolicy.manage);
  await requireEndpoint(db, actor, id);
  if (input.url !== undefined) await requireAllowedUrl(config, input.url);
  await inTransaction(db, async (trx) => {
    await updateEndpoint(trx, id, {
      ...(input.url !== undefined && { url: input.url }),
      ...(input.eventKinds !== undefined && { event_kinds: JSON.stringify(input.eventKinds) }),
      ...(input.description !== undefined && { description: input.description || null }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0, disabled_reason: null }),
      updated_at: nowIso(now),
    });
    await recordAudit(trx, actor, {
      action: 'webhook.changed',
      subjectType: 'webhook',
      subjectId: id,
      detail: {
        fields: Object.keys(input).filter((key) => input[key as keyof UpdateWebhookInput] !== undefined),
      },
      at: now,
    });
  });
  return presentEndpoint(await requireEndpoint(db, actor, id));
}

/** DELETE /api/webhooks/:id: the endpoint and its log go; what waits for it is never sent. */
export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, webhookPolicy.manage);
  await inTransaction(db, async (trx) => {
    const endpoint = await requireEndpoint(trx, actor, id);
    await deleteEndpointRows(trx, id);
    await recordAudit(trx, actor, {
      action: 'webhook.deleted',
      subjectType: 'webhook',
      subjectId: id,
      detail: { url: endpoint.url },
    });
  });
}

/**
 * POST /api/webhooks/:id/rotate-secret: a new secret, shown once; the old one still signs (a
 * second `v1=`) for {@link PREVIOUS_SECRET_GRACE_MS}, so the receiver can switch without a gap.
 */
export async function rotateWebhookSecret(
  db: Db,
  config: WebhookConfig,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<WebhookWithSecretView> {
  authorize(actor, webhookPolicy.manage);
  const row = await requireEndpoint(db, actor, id);
  const secret = newSecret();
  const values = {
    secret_sealed: webhookSealer(config).seal(secret),
    previous_secret_sealed: row.secret_sealed,
    previous_secret_until: nowIso(new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS)),
    updated_at: nowIso(now),
  };
  await inTransaction(db, async (trx) => {
    await updateEndpoint(trx, id, values);
    await recordAudit(trx, actor, {
      action: 'webhook.secret_rotated',
      subjectType: 'webhook',
      subjectId: id,
      detail: { url: row.url },
      at: now,
    });
  });
  return { ...presentEndpoint({ ...row, ...values }), secret };
}

/** GET /api/webhooks/:id/deliveries: the endpoint's delivery log, newest first, in pages. */
export async function listWebhookDeliveries(
  db: Db,
  actor: Actor,
  id: string,
  paging: PageRequest,
): Promise<Page<WebhookDeliveryView>> {
  authorize(actor, webhookPolicy.manage);
  await requireEndpoint(db, actor, id);
  return fetchPage(deliveriesOfEndpoint(db, id), paging, presentDelivery);
}

/**
 * POST /api/webhooks/:id/deliveries/:deliveryId/replay: queues the same event again (same body,
 * same event id, same `Kundeside-Delivery` key) as a new delivery. Refused (409) while a delivery of
 * that event to the endpoint is still waiting, or the endpoint is switched off. Two replays at once
 * make one delivery: the n-th replay's outbox key is unique, the second insert writes nothing.
 */
export async function replayWebhookDelivery(
  db: Db,
  actor: Actor,
  id: string,
  deliveryId: string,
  now = new Date(),
): Promise<WebhookDeliveryView> {
  authorize(actor, webhookPolicy.manage);
  const replayId = await inTransaction(db, async (trx) => {
    const endpoint = await requireEndpoint(trx, actor, id);
    const original = await findDelivery(trx, id, deliveryId);
    if (!original) throw notFound();
    // Past the outbox's grace period the event's body was scrubbed (data-lifecycle/): nothing to resend.
    if (original.body_text === '') {
      throw new AppError('conflict', 'This delivery is too old to replay: its content was removed.');
    }
    if (endpoint.active !== 1) {
      throw new AppError('conflict', 'The endpoint is switched off: switch it on before replaying.');
    }
    const earlier = await deliveriesOfEvent(trx, id, original.event_id);
    if (earlier.some((delivery) => delivery.state === 'queued' || delivery.state === 'sending')) {
      throw new AppError('conflict', 'A delivery of this event to this endpoint is still waiting.');
    }
    const key = `webhook:${id}:${original.event_id}:replay:${earlier.length}`;
    const outboxId = await enqueueMessage(
      trx,
      {
        companyId: endpoint.company_id,
        caseId: original.case_id,
        kind: 'webhook_event',
        channel: 'webhook',
        recipient: id,
        senderName: null,
        bodyText: original.body_text,
        idempotencyKey: key,
      },
      now,
    );
    if (!outboxId) throw new AppError('conflict', 'This event is being replayed already.');
    const newDeliveryId = newId();
    await insertDelivery(trx, {
      id: newDeliveryId,
      company_id: endpoint.company_id,
      endpoint_id: id,
      outbox_id: outboxId,
      outbox_key: key,
      event_id: original.event_id,
      event_kind: original.event_kind,
      case_id: original.case_id,
      replay_of: original.id,
      last_status: null,
      last_attempt_at: null,
      created_at: nowIso(now),
    });
    return newDeliveryId;
  });
  const row = await findDelivery(db, id, replayId);
  if (!row) throw notFound();
  return presentDelivery(row);
}
