import type { Db } from '../db/database.ts';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../db/schema.ts';

export const insertEndpoint = (db: Db, row: WebhookEndpointsTable) =>
  db.insertInto('webhook_endpoints').values(row).execute();

export const findEndpoint = (db: Db, id: string) =>
  db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();

/** The endpoints of a company, newest first (a query, to read in pages). */
export const endpointsOfCompany = (db: Db, companyId: string) =>
  db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');

export async function countEndpoints(db: Db, companyId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** The active endpoints of a company (the on-change step reads them once per change). */
export const activeEndpoints = (db: Db, companyId: string) =>
  db
    .selectFrom('webhook_endpoints')
    .select(['id', 'event_kinds'])
    .where('company_id', '=', companyId)
    .where('active', '=', 1)
    .execute();

export const updateEndpoint = (db: Db, id: string, values: Partial<WebhookEndpointsTable>) =>
  db.updateTable('webhook_endpoints').set(values).where('id', '=', id).execute();

/** Switches an endpoint off because it answered 410 Gone (the transport). */
export const disableGoneEndpoint = (db: Db, id: string, at: string) =>
  db
    .updateTable('webhook_endpoints')
    .set({ active: 0, disabled_reason: 'gone', updated_at: at })
    .where('id', '=', id)
    .execute();

/**
 * Deletes an endpoint with its delivery log; its outbox rows that wait are marked failed, so the
 * worker never sends them (one being sent right now may still arrive, the transport refuses the rest).
 */
export async function deleteEndpointRows(db: Db, id: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ state: 'failed', last_error: 'The webhook endpoint was deleted.' })
    .where('channel', '=', 'webhook')
    .where('recipient', '=', id)
    .where('state', '=', 'queued')
    .execute();
  await db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
  await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

/** The events a change of a case wrote: its events stamped with the change's time. */
export const eventsAt = (db: Db, caseId: string, occurredAt: string, kinds: readonly string[]) =>
  db
    .selectFrom('case_events')
    .select(['id', 'kind', 'occurred_at', 'data'])
    .where('case_id', '=', caseId)
    .where('occurred_at', '=', occurredAt)
    .where('kind', 'in', kinds)
    .execute();

export const insertDelivery = (db: Db, row: WebhookDeliveriesTable) =>
  db.insertInto('webhook_deliveries').values(row).execute();

const deliveryColumns = [
  'd.id',
  'd.endpoint_id',
  'd.event_id',
  'd.event_kind',
  'd.case_id',
  'd.replay_of',
  'd.last_status',
  'd.last_attempt_at',
  'd.created_at',
  'o.id as outbox_id',
  'o.state',
  'o.attempts',
  'o.last_error',
  'o.next_attempt_at',
  'o.sent_at',
  'o.body_text',
] as const;

/** The delivery log of an endpoint, newest first (a query, to read in pages). */
export const deliveriesOfEndpoint = (db: Db, endpointId: string) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select(deliveryColumns)
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc');

export const findDelivery = (db: Db, endpointId: string, id: string) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select(deliveryColumns)
    .where('d.endpoint_id', '=', endpointId)
    .where('d.id', '=', id)
    .executeTakeFirst();

export type DeliveryRow = NonNullable<Awaited<ReturnType<typeof findDelivery>>>;

/** The deliveries of one event to one endpoint (the replay counts them and looks for one waiting). */
export const deliveriesOfEvent = (db: Db, endpointId: string, eventId: string) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select(['d.id', 'o.state'])
    .where('d.endpoint_id', '=', endpointId)
    .where('d.event_id', '=', eventId)
    .execute();

/** Records what the endpoint answered to an attempt (by the outbox row's idempotency key). */
export const recordAttempt = (db: Db, outboxKey: string, status: number | null, at: string) =>
  db
    .updateTable('webhook_deliveries')
    .set({ last_status: status, last_attempt_at: at })
    .where('outbox_key', '=', outboxKey)
    .execute();
