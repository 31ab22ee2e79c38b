import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Config } from '../config.ts';
import { afterCommit, provide, provided, type Db } from '../db/database.ts';

/**
 * Live updates (issue 7): "something changed on case X" signals for the staff case page and the
 * customer page, which then fetch again through their normal, authorised routes. A signal carries
 * only the case id and a topic — never data — so a listener can learn nothing it could not read.
 * Issue 16 adds company and user signals (`ScopedSignal`, below) in the same way.
 *
 * - SQLite (one process): signals go straight to this process's listeners.
 * - PostgreSQL (any number of processes on one database): a signal is `pg_notify` on one channel;
 *   every process LISTENs on a dedicated connection (reconnecting with back-off) and passes it to
 *   its own listeners, the sender's process included.
 * Signals are best effort: a missed one costs a reload, never data (the routes are the truth).
 */

export const liveTopics = ['case', 'messages', 'documents'] as const;
export type LiveTopic = (typeof liveTopics)[number];

export interface LiveSignal {
  caseId: string;
  topic: LiveTopic;
}

/**
 * Signals wider than one case (issue 16): one per company or per user, never one per case, so a
 * settings save costs one notification however many customer pages are open.
 * - company `settings`: what every customer page of the company shows besides its case changed;
 * - company `cases`: some case of the company changed (the staff dashboard's counts may have moved);
 * - user `notifications`: the user's notification list changed.
 */
export const scopedTopics = {
  company: ['settings', 'cases'],
  user: ['notifications'],
} as const;
export type LiveScope = keyof typeof scopedTopics;
export type ScopedTopic<S extends LiveScope = LiveScope> = (typeof scopedTopics)[S][number];

export type ScopedSignal =
  | { scope: 'company'; id: string; topic: ScopedTopic<'company'> }
  | { scope: 'user'; id: string; topic: ScopedTopic<'user'> };

export interface LiveBus {
  /** Sends a signal to every listener of the case in every process (call after the commit). */
  publish(signal: LiveSignal): Promise<void>;
  /** Listens to one case's signals; returns the unsubscribe function. */
  subscribe(caseId: string, listener: (signal: LiveSignal) => void): () => void;
  /** Sends a company or user signal to its listeners in every process (call after the commit). */
  publishScoped(signal: ScopedSignal): Promise<void>;
  /** Listens to one topic of one company or user; returns the unsubscribe function. */
  subscribeScoped(channel: ScopedSignal, listener: (signal: ScopedSignal) => void): () => void;
  /** Calls `listener` when the bus closes (open streams end then); returns the unsubscribe function. */
  onClose(listener: () => void): () => void;
  /** Resolves once signals of other processes can arrive (PostgreSQL: LISTEN is active). */
  ready(): Promise<void>;
  /** Ends the open streams (they are told when to come back); signals still flow. */
  endStreams(): void;
  /** Ends the open streams and stops the bus (PostgreSQL: its connections). */
  close(): Promise<void>;
}

const CHANNEL = 'kundeside_live';

interface Logger {
  warn: (details: object, message: string) => void;
}

/** The bus for the configured database. */
export function createLiveBus(database: Config['database'], log?: Logger): LiveBus {
  return database.kind === 'postgres' ? postgresBus(database.url, log) : localBus();
}

/** Listeners of this process, by case id. */
function localListeners() {
  const emitter = new EventEmitter();
  const closing = new EventEmitter();
  // One listener per open page; many pages of one case are normal, not a leak.
  emitter.setMaxListeners(0);
  closing.setMaxListeners(0);
  return {
    emit: (signal: LiveSignal | ScopedSignal) =>
      emitter.emit('caseId' in signal ? signal.caseId : scopedKey(signal), signal),
    onClose(listener: () => void) {
      closing.on('close', listener);
      return () => void closing.off('close', listener);
    },
    closeAll: () => closing.emit('close'),
    subscribe(caseId: string, listener: (signal: LiveSignal) => void) {
      emitter.on(caseId, listener);
      return () => void emitter.off(caseId, listener);
    },
    subscribeScoped(channel: ScopedSignal, listener: (signal: ScopedSignal) => void) {
      const key = scopedKey(channel);
      emitter.on(key, listener);
      return () => void emitter.off(key, listener);
    },
  };
}

/** The listeners' key of a scoped signal (case ids are UUIDs, so no case's key looks like it). */
function scopedKey(signal: ScopedSignal): string {
  return `${signal.scope}:${signal.id}:${signal.topic}`;
}

function localBus(): LiveBus {
  const listeners = localListeners();
  return {
    publish: async (signal) => void listeners.emit(signal),
    subscribe: listeners.subscribe,
    publishScoped: async (signal) => void listeners.emit(signal),
    subscribeScoped: listeners.subscribeScoped,
    onClose: listeners.onClose,
    ready: async () => {},
    endStreams: () => void listeners.closeAll(),
    close: async () => void listeners.closeAll(),
  };
}

/** Parses a notification payload; anything else on the channel is ignored. */
export function parseSignal(payload: string | undefined): LiveSignal | ScopedSignal | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<Record<'caseId' | 'topic' | 'scope' | 'id', unknown>>;
    const { caseId, scope, id, topic } = value;
    if (typeof caseId === 'string' && liveTopics.includes(topic as LiveTopic))
      return { caseId, topic: topic as LiveTopic };
    if (scope !== 'company' && scope !== 'user') return null;
    if (typeof id !== 'string' || !(scopedTopics[scope] as readonly unknown[]).includes(topic)) return null;
    return { scope, id, topic } as ScopedSignal;
  } catch {
    return null;
  }
}

function postgresBus(url: string, log?: Logger): LiveBus {
  const listeners = localListeners();
  // Publishing needs no dedicated connection: a small pool of its own keeps it off the app's pool.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = 250;
  let markReady: () => void = () => {};
  let listening = new Promise<void>((resolve) => (markReady = resolve));

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      const signal = message.channel === CHANNEL ? parseSignal(message.payload) : null;
      if (signal) listeners.emit(signal);
    });
    next.on('error', (error) => {
      log?.warn({ err: error }, 'live: listening connection lost; reconnecting');
      void reconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      retryMs = 250;
      markReady();
    } catch (error) {
      log?.warn({ err: error }, 'live: could not listen; retrying');
      void reconnect(next);
    }
  }

  async function reconnect(failed: pg.Client): Promise<void> {
    if (client === failed) client = null;
    failed.end().catch(() => {});
    if (closed) return;
    listening = new Promise<void>((resolve) => (markReady = resolve));
    const wait = retryMs;
    retryMs = Math.min(retryMs * 2, 10_000);
    setTimeout(() => void connect(), wait).unref();
  }

  void connect();
  return {
    async publish(signal) {
      await pool.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(signal)]);
    },
    subscribe: listeners.subscribe,
    async publishScoped(signal) {
      const { scope, id, topic } = signal;
      await pool.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify({ scope, id, topic })]);
    },
    subscribeScoped: listeners.subscribeScoped,
    onClose: listeners.onClose,
    ready: () => listening,
    endStreams: () => void listeners.closeAll(),
    async close() {
      closed = true;
      listeners.closeAll();
      markReady();
      await client?.end().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}

const LIVE_BUS = Symbol('live bus');

interface LiveSetUp {
  bus: Pick<LiveBus, 'publishScoped'>;
  log?: { error: (details: object, message: string) => void };
}

/** Gives the database handle the bus (buildApp does), so services signal through the handle. */
export function setUpLive(db: Db, bus: LiveSetUp['bus'], log?: LiveSetUp['log']): void {
  provide(db, LIVE_BUS, { bus, log } satisfies LiveSetUp);
}

/**
 * Sends `signal` once the transaction `db` is in has committed (at once outside one); one signal per
 * transaction however often it is asked for. Nothing without a bus on the handle (tools without the
 * app); a failed signal is logged, never the request's error: the change is committed.
 */
export function signalAfterCommit(db: Db, signal: ScopedSignal): Promise<void> {
  const live = provided<LiveSetUp>(db, LIVE_BUS);
  if (!live) return Promise.resolve();
  const send = async () => {
    try {
      await live.bus.publishScoped(signal);
    } catch (error) {
      live.log?.error({ err: error, scope: signal.scope }, 'live: signal failed');
    }
  };
  return afterCommit(db, send, `live:${scopedKey(signal)}`);
}

/**
 * The on-change step (registered in app.ts) that tells the company's staff streams that a case
 * changed — one signal per transaction, after its commit (the dashboard counts are kept in it).
 */
export async function signalCompanyCases(change: { trx: Db; after: { company_id: string } }): Promise<void> {
  await signalAfterCommit(change.trx, { scope: 'company', id: change.after.company_id, topic: 'cases' });
}
