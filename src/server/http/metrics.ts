import type { FastifyBaseLogger } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { nowIso, poolOf, type Db } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { StreamHub } from '../live/sse.ts';
import type { App } from './types.ts';

/**
 * Prometheus metrics of one app (issue 17): request latency by route, the outbox's backlog and
 * deliveries, open live streams, the PostgreSQL pool and the process. One registry per app, never
 * prom-client's global one (tests build many apps in one process), kept only while METRICS_TOKEN is
 * set; served by `GET /metrics` to a scraper presenting that token. Gauges of state elsewhere (the
 * outbox table, the stream hub, the pool) are read when scraped, so nothing is kept in step.
 */

type Channel = OutboxTable['channel'];
const CHANNELS: readonly Channel[] = ['email', 'sms', 'webhook'];
const STREAM_KINDS = ['customer', 'staff'] as const;

/** An outbox delivery's outcome as counted: delivered, to be retried, or given up. */
export type DeliveryOutcome = 'sent' | 'retry' | 'failed';

/** Our buckets (seconds): the customer page answers in a few ms, uploads take seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface AppMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Counts one delivery attempt of the outbox worker (main.ts hands it to the worker). */
  countDelivery(channel: Channel, outcome: DeliveryOutcome): void;
}

/** The app's metrics over its database handle and stream hub. */
export function createMetrics(db: Db, hub: StreamHub, log: FastifyBaseLogger): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by method, route pattern (`unmatched`: no route) and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const deliveries = new Counter({
    name: 'outbox_delivery_attempts_total',
    help: 'Outbox delivery attempts by channel and outcome (sent, retry, failed: given up).',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });

  // PostgreSQL only. SQLite has no pool: one connection that Kysely's driver lends to one query
  // at a time, so a count of it would say nothing; request latency shows any queueing there.
  // Registered before the outbox gauges: collects start in registration order, so the pool is read
  // before the scrape's own query takes a connection.
  const pool = poolOf(db);
  if (pool) {
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the database pool, by state (in_use, idle).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
      },
    });
    new Gauge({
      name: 'db_pool_waiting_queries',
      help: 'Queries waiting for a connection of the database pool.',
      registers,
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }

  // One grouped query per scrape feeds the three outbox gauges (their collects run together).
  const outbox = sharedWhileRunning(() => readOutbox(db));
  const outboxGauge = (name: string, help: string, value: (counts: OutboxCounts) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['channel'] as const,
      registers,
      async collect() {
        try {
          const state = await outbox();
          for (const channel of CHANNELS) this.set({ channel }, value(state[channel]));
        } catch (error) {
          // No series rather than stale ones; the process metrics are still scraped.
          this.reset();
          log.warn({ err: error }, 'metrics: the outbox could not be read');
        }
      },
    });
  outboxGauge(
    'outbox_backlog_messages',
    'Messages waiting for delivery (queued, or being sent), by channel.',
    (counts) => counts.backlog,
  );
  outboxGauge(
    'outbox_oldest_due_age_seconds',
    'How long the longest-due message of the backlog has been due (0: none due), by channel.',
    (counts) => counts.oldestDueAgeSeconds,
  );
  outboxGauge(
    'outbox_failed_messages',
    'Messages given up on (state failed), by channel.',
    (counts) => counts.failed,
  );

  new Gauge({
    name: 'live_streams_open',
    help: 'Live event streams open in this process, by kind (customer page, staff).',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      for (const kind of STREAM_KINDS) this.set({ kind }, hub.streams[kind]);
    },
  });

  return {
    registry,
    requestDuration,
    countDelivery: (channel, outcome) => deliveries.inc({ channel, outcome }),
  };
}

interface OutboxCounts {
  backlog: number;
  failed: number;
  oldestDueAgeSeconds: number;
}

/** The outbox by channel now: one grouped query over the states the worker's index covers. */
async function readOutbox(db: Db): Promise<Record<Channel, OutboxCounts>> {
  const now = new Date();
  const at = nowIso(now);
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => [
      'channel',
      'state',
      eb.fn.countAll<number | string>().as('count'),
      // Claimed ('sending') rows were due when claimed; queued ones count once due.
      eb.fn
        .min<string | null>(eb.case().when('next_attempt_at', '<=', at).then(eb.ref('next_attempt_at')).end())
        .as('oldest_due'),
    ])
    .where('state', 'in', ['queued', 'sending', 'failed'])
    .groupBy(['channel', 'state'])
    .execute();
  const counts = Object.fromEntries(
    CHANNELS.map((channel) => [channel, { backlog: 0, failed: 0, oldestDueAgeSeconds: 0 }]),
  ) as Record<Channel, OutboxCounts>;
  for (const row of rows) {
    const entry = counts[row.channel];
    if (row.state === 'failed') {
      entry.failed = Number(row.count);
      continue;
    }
    entry.backlog += Number(row.count);
    if (row.oldest_due) {
      const age = (now.getTime() - Date.parse(row.oldest_due)) / 1000;
      entry.oldestDueAgeSeconds = Math.max(entry.oldestDueAgeSeconds, age);
    }
  }
  return counts;
}

/** Calls made while `read` runs share its answer (one query for gauges collected together). */
function sharedWhileRunning<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () =>
    (running ??= read().finally(() => {
      running = null;
    }));
}

/**
 * Times every answer into `http_request_duration_seconds`. Registered on the root before the route
 * plugins (app.ts), so it covers them all; the route is its pattern (`/api/cases/:id`), never the
 * URL, which would carry ids and customer-link tokens. Event streams (hijacked replies) are not
 * timed: `live_streams_open` counts them. Does nothing without metrics.
 */
export function timeRequests(app: App): void {
  const duration = app.metrics?.requestDuration;
  if (!duration) return;
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * `GET /metrics` in Prometheus text format, for `Authorization: Bearer <METRICS_TOKEN>` only (any
 * other → 401 `metrics_token_required`). Without METRICS_TOKEN the route does not exist (404 like
 * any unknown path). Outside the APIs, like the health probes: no session, cookie or CSRF rule
 * applies; hidden from the OpenAPI document, which describes the API for integrators.
 */
export async function metricsRoute(app: App): Promise<void> {
  const metrics = app.metrics;
  const token = app.config.metricsToken;
  if (!metrics || !token) return;
  // Hashes of equal length, compared in constant time: the token's length does not leak either.
  const expected = sha256(token);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(sha256(given), expected)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('metrics_token_required');
    }
    const text = await metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(text);
  });
}
