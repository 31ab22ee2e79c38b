import type { FastifyBaseLogger } from 'fastify';
import { PostgresAdapter, sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import { createOutbox, findOutbox, renderMessage, type Outbox } from './outbox.ts';
import {
  createTransports,
  DeliveryError,
  DELIVERY_TIMEOUT_MS,
  type Transport,
  type Transports,
} from './transports.ts';

/**
 * The outbox worker: claims due messages, sends each with a timeout, and marks it sent, or schedules
 * a retry with exponential back-off, or after {@link OUTBOX_LIMITS.maxAttempts} marks it failed with
 * the reason. A claim is a lease (`locked_until`): when a worker dies between sending and marking,
 * the lease runs out and another pass sends the message again with the same idempotency key, so a
 * message is never lost (at-least-once) and a provider that honours the key sends it once.
 *
 * PostgreSQL: the claim selects `FOR UPDATE SKIP LOCKED` in a transaction, so several processes on
 * one database each take different rows. SQLite: one `UPDATE … WHERE id IN (SELECT …) RETURNING`
 * statement, atomic under SQLite's single writer.
 */

export const OUTBOX_LIMITS = {
  maxAttempts: 8,
  /** A claim lasts this long; it must outlast one delivery (DELIVERY_TIMEOUT_MS). */
  leaseMs: 2 * 60_000,
  batchSize: 20,
  /** Back-off: 30 s, 1 min, 2 min … capped at one hour, ±20 % jitter. */
  firstRetryMs: 30_000,
  maxRetryMs: 60 * 60_000,
  /** How often a started worker looks for due messages. */
  pollMs: 1000,
};

export interface OutboxDeps {
  db: Db;
  config: Pick<Config, 'publicBaseUrl' | 'sessionSecret' | 'smtpUrl' | 'mailFrom' | 'sms' | 'smsFrom'>;
  /**
   * The app's outbox (sealer, wake-ups, delivery listeners); by default the one buildApp set up on
   * `db`, else one built from `config` (a handle of its own: it opens what the app sealed, with no
   * listeners).
   */
  outbox?: Outbox;
  transports?: Transports;
  /** Names this worker in `locked_by` (default: host, process id and a random part). */
  workerId?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  batchSize?: number;
  /** Counts each delivery's outcome (the app's metrics, http/metrics.ts); without it nothing is counted. */
  metrics?: { countDelivery(channel: OutboxTable['channel'], outcome: 'sent' | 'retry' | 'failed'): void };
  /**
   * Once aborted (the process is stopping), a pass starts no further delivery: the one in progress
   * finishes, and the rows it claimed but has not begun are released at once ({@link releaseClaimed}).
   */
  signal?: AbortSignal;
}

export interface OutboxRunResult {
  sent: number;
  retried: number;
  failed: number;
}

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** Claims up to `limit` due messages (queued and due, or sending with an expired lease) for `workerId`. */
export async function claimDue(
  db: Db,
  workerId: string,
  now = new Date(),
  limit = 20,
): Promise<OutboxTable[]> {
  const at = nowIso(now);
  const lease = {
    state: 'sending' as const,
    locked_by: workerId,
    locked_until: nowIso(new Date(now.getTime() + OUTBOX_LIMITS.leaseMs)),
    attempts: sql<number>`attempts + 1`,
  };
  const due = (qb: Db) =>
    qb
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', at)]),
          eb.and([eb('state', '=', 'sending'), eb('locked_until', '<=', at)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit);

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return inTransaction(db, async (trx) => {
      const ids = (await due(trx).forUpdate().skipLocked().execute()).map((row) => row.id);
      if (!ids.length) return [];
      return trx.updateTable('outbox').set(lease).where('id', 'in', ids).returningAll().execute();
    });
  }
  return db.updateTable('outbox').set(lease).where('id', 'in', due(db)).returningAll().execute();
}

/**
 * Gives claimed rows back (a stopping worker's undelivered ones): queued again, due as they were, the
 * claim's attempt not counted, in one statement. Only rows this worker still holds: one whose lease ran
 * out and that another worker claimed since stays with it. Returns how many were released.
 */
export async function releaseClaimed(db: Db, workerId: string, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  const released = await db
    .updateTable('outbox')
    .set({ state: 'queued', locked_by: null, locked_until: null, attempts: sql<number>`attempts - 1` })
    .where('id', 'in', ids)
    .where('state', '=', 'sending')
    .where('locked_by', '=', workerId)
    .returning('id')
    .execute();
  return released.length;
}

/** Delay before retry number `attempts` (1-based). */
export function backoffMs(attempts: number, random = Math.random()): number {
  const base = Math.min(
    OUTBOX_LIMITS.maxRetryMs,
    OUTBOX_LIMITS.firstRetryMs * 2 ** Math.max(0, attempts - 1),
  );
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Sends one claimed message and records the outcome. */
export async function deliverClaimed(
  deps: OutboxDeps & { transports: Transports; workerId: string },
  row: OutboxTable,
  now = new Date(),
): Promise<'sent' | 'retried' | 'failed'> {
  const outbox = outboxFor(deps);
  if (row.attempts > OUTBOX_LIMITS.maxAttempts) {
    await markFailed(deps, outbox, row, 'Gave up: the worker stopped during delivery too many times.', now);
    return 'failed';
  }
  const rendered = renderMessage(row, { unseal: outbox.unseal, publicBaseUrl: deps.config.publicBaseUrl });
  if (!rendered) {
    await markFailed(
      deps,
      outbox,
      row,
      'The message cannot be opened: SESSION_SECRET changed after it was queued.',
      now,
    );
    return 'failed';
  }
  // A channel another module owns is sent by the transport app.ts gave the outbox; a process
  // without it (a tool's own outbox) retries later rather than losing the message.
  const transport: Transport = (row.channel === 'email'
    ? deps.transports.email
    : row.channel === 'sms'
      ? deps.transports.sms
      : outbox.channels[row.channel]) ?? {
    name: 'dev-mailbox',
    send: () => Promise.reject(new DeliveryError(`no transport for the channel ${row.channel} here`)),
  };
  try {
    await withTimeout(
      transport.send({
        idempotencyKey: row.idempotency_key,
        to: row.recipient,
        senderName: row.sender_name,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
      }),
      DELIVERY_TIMEOUT_MS + 5000,
    );
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const permanent = error instanceof DeliveryError && error.permanent;
    if (permanent || row.attempts >= OUTBOX_LIMITS.maxAttempts) {
      await markFailed(deps, outbox, row, reason, now);
      deps.log?.warn({ event: 'outbox_failed', messageId: row.id, reason }, 'outbox: message failed');
      return 'failed';
    }
    await deps.db
      .updateTable('outbox')
      .set({
        state: 'queued',
        next_attempt_at: nowIso(new Date(now.getTime() + backoffMs(row.attempts))),
        last_error: reason,
        locked_by: null,
        locked_until: null,
      })
      .where('id', '=', row.id)
      .where('locked_by', '=', deps.workerId)
      .execute();
    deps.log?.warn({ event: 'outbox_retry', messageId: row.id, reason }, 'outbox: delivery will be retried');
    return 'retried';
  }
  await markSent(deps, outbox, row, transport.name, now);
  return 'sent';
}

/** The outbox a worker delivers for (see {@link OutboxDeps.outbox}). */
const outboxFor = (deps: OutboxDeps): Outbox =>
  deps.outbox ?? findOutbox(deps.db) ?? createOutbox(deps.config);

async function markSent(
  deps: OutboxDeps & { workerId: string },
  outbox: Outbox,
  row: OutboxTable,
  via: NonNullable<OutboxTable['delivered_via']>,
  now: Date,
): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const updated = await trx
      .updateTable('outbox')
      .set({
        state: 'sent',
        sent_at: nowIso(now),
        delivered_via: via,
        last_error: null,
        locked_by: null,
        locked_until: null,
        // The development mailbox is where the message is read, so it keeps its secret.
        ...(via !== 'dev-mailbox' && { secret_sealed: null }),
      })
      .where('id', '=', row.id)
      .where('state', '=', 'sending')
      .where('locked_by', '=', deps.workerId)
      .returning('id')
      .execute();
    if (updated.length) {
      for (const listener of outbox.listeners) await listener(trx, row, { state: 'sent' }, now);
    }
  });
}

async function markFailed(
  deps: OutboxDeps,
  outbox: Outbox,
  row: OutboxTable,
  reason: string,
  now: Date,
): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const updated = await trx
      .updateTable('outbox')
      .set({ state: 'failed', last_error: reason, locked_by: null, locked_until: null, secret_sealed: null })
      .where('id', '=', row.id)
      .where('state', '=', 'sending')
      .returning('id')
      .execute();
    if (updated.length) {
      for (const listener of outbox.listeners) await listener(trx, row, { state: 'failed', reason }, now);
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryError(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One pass of the worker: claims and delivers due messages, batch after batch, until none is due.
 * Tests call it to deliver what a request queued; `now` lets them move the clock.
 */
export async function runOutboxOnce(deps: OutboxDeps, now = new Date()): Promise<OutboxRunResult> {
  const transports = deps.transports ?? createTransports(deps.config);
  const workerId = deps.workerId ?? newWorkerId();
  const outbox = outboxFor(deps);
  const result: OutboxRunResult = { sent: 0, retried: 0, failed: 0 };
  try {
    batches: for (let batch = 0; batch < 100 && !deps.signal?.aborted; batch += 1) {
      const rows = await claimDue(deps.db, workerId, now, deps.batchSize ?? OUTBOX_LIMITS.batchSize);
      if (!rows.length) break;
      for (const [index, row] of rows.entries()) {
        if (deps.signal?.aborted) {
          const ids = rows.slice(index).map((left) => left.id);
          const released = await releaseClaimed(deps.db, workerId, ids);
          deps.log?.info(
            { event: 'outbox_released', released },
            'outbox: stopping; claimed messages released',
          );
          break batches;
        }
        const outcome = await deliverClaimed({ ...deps, outbox, transports, workerId }, row, now);
        result[outcome] += 1;
        deps.metrics?.countDelivery(row.channel, outcome === 'retried' ? 'retry' : outcome);
      }
    }
  } finally {
    if (!deps.transports) {
      transports.email.close?.();
      transports.sms.close?.();
    }
  }
  return result;
}

export interface OutboxWorker {
  /** Looks for due messages now instead of at the next poll. */
  wake(): void;
  /**
   * Stops polling and waits for the pass in progress: it finishes the delivery under way and releases
   * the messages it claimed but has not begun, so none waits for its lease to run out.
   */
  stop(): Promise<void>;
}

/** Starts the worker of this process (main.ts); it polls every {@link OUTBOX_LIMITS.pollMs}. */
export function startOutboxWorker(deps: OutboxDeps, pollMs = OUTBOX_LIMITS.pollMs): OutboxWorker {
  const transports = deps.transports ?? createTransports(deps.config);
  const workerId = deps.workerId ?? newWorkerId();
  const outbox = outboxFor(deps);
  const stopping = new AbortController();
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  const pass = () => {
    if (stopped || running) return;
    running = runOutboxOnce({ ...deps, outbox, transports, workerId, signal: stopping.signal })
      .then(() => undefined)
      .catch((error: unknown) => deps.log?.error({ err: error }, 'outbox: worker pass failed'))
      .finally(() => {
        running = null;
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(pass, pollMs);
    timer.unref();
  };
  const wake = () => {
    if (!running && !stopped) {
      clearTimeout(timer);
      setImmediate(pass);
    }
  };
  const unsubscribe = outbox.onNotified(wake);
  schedule();
  return {
    wake,
    async stop() {
      stopped = true;
      stopping.abort();
      unsubscribe();
      clearTimeout(timer);
      await running;
      transports.email.close?.();
      transports.sms.close?.();
    },
  };
}
