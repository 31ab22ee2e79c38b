import type { Db } from '../db/database.ts';
import { afterCommit, nowIso, provide, provided } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import { quietHoursEnd } from '../../common/rules/quiet-hours.ts';
import { newId } from '../security/tokens.ts';
import { createSealer, type Sealer } from './sealing.ts';
import type { Transport } from './transports.ts';

/**
 * The transactional outbox: a message is written in the transaction of the change that causes it
 * (so both are committed or neither), and the worker (worker.ts) delivers it at least once, with its
 * idempotency key, retrying with back-off. A second enqueue with the same key writes nothing, so a
 * message meant once per person is queued once however often its cause is evaluated.
 *
 * A message's secret (the token of a link, an SMS code) is stored sealed (sealing.ts) and put into
 * the text only when it is sent: `{{link}}` becomes PUBLIC_BASE_URL + `/k/` + token, `{{code}}` the
 * code. Once delivered to a real provider the sealed copy is erased.
 */

/**
 * What another module does when a message of its own is delivered or given up on (e.g. customer
 * access logs a link's delivery in the case log): called in the transaction that records the
 * outcome, once per message. The outbox imports none of them; app.ts lists them.
 */
export type DeliveryListener = (
  trx: Db,
  row: OutboxTable,
  outcome: { state: 'sent' } | { state: 'failed'; reason: string },
  now: Date,
) => Promise<void>;

/**
 * The outbox of an app, built by buildApp from its configuration (no module state): the sealer of
 * the server secret, the public base URL (links are put into texts with it when sent; services fit
 * SMS texts to its length), the wake-up of the app's worker, and the delivery listeners.
 */
export interface Outbox extends Sealer {
  publicBaseUrl: string;
  /** Tells the app's worker that messages were queued (after the transaction committed). */
  notify(): void;
  /** Subscribes a worker to {@link Outbox.notify}; returns the unsubscribe function. */
  onNotified(wake: () => void): () => void;
  listeners: readonly DeliveryListener[];
  /**
   * Transports of channels that other modules own (the 'webhook' channel: webhooks/transport.ts),
   * given by app.ts; the worker sends a row of such a channel through this one.
   */
  channels: Partial<Record<OutboxTable['channel'], Transport>>;
}

/** Builds an outbox for a configuration (the same secret seals and opens in every process). */
export function createOutbox(
  config: { sessionSecret: string; publicBaseUrl: string },
  listeners: readonly DeliveryListener[] = [],
  channels: Outbox['channels'] = {},
): Outbox {
  const { seal, unseal } = createSealer(config.sessionSecret);
  const wakers = new Set<() => void>();
  return {
    seal,
    unseal,
    publicBaseUrl: config.publicBaseUrl,
    notify: () => {
      for (const wake of wakers) wake();
    },
    onNotified: (wake) => {
      wakers.add(wake);
      return () => wakers.delete(wake);
    },
    listeners,
    channels,
  };
}

const OUTBOX = Symbol('outbox');

/**
 * Gives a database handle (and every transaction opened on it) its outbox, as the case write path
 * is given (case-command.ts): services that queue messages keep their `(db, …)` signatures.
 */
export function setUpOutbox(db: Db, outbox: Outbox): void {
  provide(db, OUTBOX, outbox);
}

/** The outbox of a handle set up by buildApp (or a tool, with {@link setUpOutbox}), if any. */
export const findOutbox = (db: Db): Outbox | undefined => provided<Outbox>(db, OUTBOX);

/** The outbox of a handle set up by buildApp (or a tool, with {@link setUpOutbox}). */
export function outboxOf(db: Db): Outbox {
  const outbox = findOutbox(db);
  if (!outbox) {
    throw new Error('The outbox is not set up on this database handle: build the app (setUpOutbox) first.');
  }
  return outbox;
}

export const LINK_PLACEHOLDER = '{{link}}';
export const CODE_PLACEHOLDER = '{{code}}';

/** A placeholder in a template or a queued text: `{{name}}`. */
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
/** How a queued text writes a `{` of user data, so no name or number can ever form a placeholder. */
const LITERAL_BRACE = '{{brace}}';

/**
 * Fills a message template in one pass: each `{{name}}` with a value becomes that value, quoted so
 * that the send-time pass of {@link renderMessage} reads it as plain text (a customer named
 * `{{link}}` is greeted by that name, not sent a second link); `{{link}}` and `{{code}}` stay for
 * that pass. The values are never scanned for placeholders.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (placeholder, name: string) => {
    // Own keys only: `{{constructor}}` must not find Object's.
    return Object.hasOwn(values, name) ? values[name]!.replaceAll('{', LITERAL_BRACE) : placeholder;
  });
}

export interface NewMessage {
  companyId: string;
  caseId?: string | null;
  accessId?: string | null;
  kind: OutboxTable['kind'];
  channel: OutboxTable['channel'];
  recipient: string;
  senderName: string | null;
  subject?: string | null;
  bodyText: string;
  bodyHtml?: string | null;
  /** The link token (kind customer_link) or the code (kind sms_code). */
  secret?: string;
  idempotencyKey: string;
  /**
   * Not sent before this instant. Left out, a customer notice (see {@link HELD_IN_QUIET_HOURS}) waits
   * until the company's quiet hours end; null sends it at once.
   */
  notBefore?: Date | null;
}

/**
 * Which messages wait out the company's quiet hours (issue 19, item 5): what a customer gets unasked
 * (links, "new message" notices). Never held: an SMS code (the customer is waiting for it), staff
 * notices and webhooks. A record, so a new kind does not compile until it is placed here.
 */
export const HELD_IN_QUIET_HOURS: Record<OutboxTable['kind'], boolean> = {
  customer_link: true,
  message_notice: true,
  // "Your page closes on …, download your archive" (case-archive/).
  archive_notice: true,
  sms_code: false,
  staff_notice: false,
  webhook_event: false,
};

/** When a message may go out first: `now`, or the end of the company's quiet hours for a customer notice. */
async function firstAttemptAt(trx: Db, message: NewMessage, now: Date): Promise<Date> {
  let notBefore = message.notBefore;
  if (notBefore === undefined) {
    notBefore = null;
    if (HELD_IN_QUIET_HOURS[message.kind]) {
      const company = await trx
        .selectFrom('companies')
        .select(['quiet_hours_from', 'quiet_hours_to'])
        .where('id', '=', message.companyId)
        .executeTakeFirst();
      notBefore = quietHoursEnd(
        { quietHoursFrom: company?.quiet_hours_from ?? null, quietHoursTo: company?.quiet_hours_to ?? null },
        now,
      );
    }
  }
  return notBefore && notBefore > now ? notBefore : now;
}

/**
 * Queues a message in the caller's transaction; returns its id, or null when the key was queued
 * before. A customer notice queued in the company's quiet hours is due when they end (the worker
 * claims only due rows).
 */
export async function enqueueMessage(trx: Db, message: NewMessage, now = new Date()): Promise<string | null> {
  const outbox = outboxOf(trx);
  const id = newId();
  const dueAt = await firstAttemptAt(trx, message, now);
  const inserted = await trx
    .insertInto('outbox')
    .values({
      id,
      company_id: message.companyId,
      case_id: message.caseId ?? null,
      access_id: message.accessId ?? null,
      kind: message.kind,
      channel: message.channel,
      recipient: message.recipient,
      sender_name: message.senderName,
      subject: message.subject ?? null,
      body_text: message.bodyText,
      body_html: message.bodyHtml ?? null,
      secret_sealed: message.secret === undefined ? null : outbox.seal(message.secret),
      idempotency_key: message.idempotencyKey,
      state: 'queued',
      attempts: 0,
      next_attempt_at: nowIso(dueAt),
      last_error: null,
      locked_by: null,
      locked_until: null,
      delivered_via: null,
      created_at: nowIso(now),
      sent_at: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .execute();
  // The worker is woken once the caller's transaction has committed (never for a rolled-back one).
  if (inserted.length) await afterCommit(trx, outbox.notify, outbox.notify);
  return inserted.length ? id : null;
}

/** A message as it goes out: the secret put into its texts. */
export interface RenderedMessage {
  subject: string | null;
  text: string;
  html: string | null;
}

/** The link of a token, always from PUBLIC_BASE_URL (never from a request's Host header). */
export const customerLink = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/k/${token}`;

/**
 * The texts of a message with its secret in place, or null when the secret cannot be opened (the
 * server secret changed since it was queued). A message whose secret was erased after delivery
 * shows `[…]` in its place.
 */
export function renderMessage(
  row: OutboxTable,
  outbox: Pick<Outbox, 'unseal' | 'publicBaseUrl'>,
): RenderedMessage | null {
  let secret: string | null = null;
  if (row.secret_sealed !== null) {
    secret = outbox.unseal(row.secret_sealed);
    if (secret === null) return null;
  }
  const values = new Map([
    ['link', secret === null ? '[…]' : customerLink(outbox.publicBaseUrl, secret)],
    ['code', secret ?? '[…]'],
    ['brace', '{'],
  ]);
  // One pass: what a placeholder becomes is never read again, and quoted user data has no `{`.
  const fill = (text: string, escape: (value: string) => string) =>
    text.replace(PLACEHOLDER, (placeholder, name: string) => {
      const value = values.get(name);
      return value === undefined ? placeholder : escape(value);
    });
  return {
    subject: row.subject === null ? null : fill(row.subject, (v) => v),
    text: fill(row.body_text, (v) => v),
    html: row.body_html === null ? null : fill(row.body_html, escapeHtml),
  };
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
