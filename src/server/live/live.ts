import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Config } from '../config.ts';

/**
 * Live updates (issue 7): "something changed on case X" signals for the staff case page and the
 * customer page, which then fetch again through their normal, authorised routes. A signal carries
 * only the case id and a topic — never data — so a listener can learn nothing it could not read.
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

export interface LiveBus {
  /** Sends a signal to every listener of the case in every process (call after the commit). */
  publish(signal: LiveSignal): Promise<void>;
  /** Listens to one case's signals; returns the unsubscribe function. */
  subscribe(caseId: string, listener: (signal: LiveSignal) => void): () => void;
  /** Calls `listener` when the bus closes (open streams end then); returns the unsubscribe function. */
  onClose(listener: () => void): () => void;
  /** Resolves once signals of other processes can arrive (PostgreSQL: LISTEN is active). */
  ready(): Promise<void>;
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
    emit: (signal: LiveSignal) => emitter.emit(signal.caseId, signal),
    onClose(listener: () => void) {
      closing.on('close', listener);
      return () => void closing.off('close', listener);
    },
    closeAll: () => closing.emit('close'),
    subscribe(caseId: string, listener: (signal: LiveSignal) => void) {
      emitter.on(caseId, listener);
      return () => void emitter.off(caseId, listener);
    },
  };
}

function localBus(): LiveBus {
  const listeners = localListeners();
  return {
    publish: async (signal) => void listeners.emit(signal),
    subscribe: listeners.subscribe,
    onClose: listeners.onClose,
    ready: async () => {},
    close: async () => void listeners.closeAll(),
  };
}

/** Parses a notification payload; anything else on the channel is ignored. */
export function parseSignal(payload: string | undefined): LiveSignal | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<LiveSignal>;
    if (typeof value.caseId !== 'string' || !liveTopics.includes(value.topic as LiveTopic)) return null;
    return { caseId: value.caseId, topic: value.topic as LiveTopic };
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
    onClose: listeners.onClose,
    ready: () => listening,
    async close() {
      closed = true;
      listeners.closeAll();
      markReady();
      await client?.end().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
