import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { LiveBus, ScopedSignal } from './live.ts';

/**
 * Our numbers: a comment every 25 s keeps proxies from closing an idle stream; a stream lives 5 min;
 * a coalescing stream (the staff app's) writes at most once a second, however busy the company.
 */
export const SSE = { heartbeatMs: 25_000, maxAgeMs: 5 * 60_000, retryMs: 3_000, coalesceMs: 1_000 };

export type StreamSettings = typeof SSE;

/**
 * The reconnection delay a stream is told when the server stops (our numbers): 2 s and up to 5 s
 * more at random, so the clients of a stopping instance come back spread out, not in one instant.
 */
export const STOP_RETRY = { minMs: 2_000, jitterMs: 5_000 };

/** One stream's reconnection delay at a stop, within {@link STOP_RETRY}. */
export const stopRetryMs = (random = Math.random()) =>
  STOP_RETRY.minMs + Math.round(random * STOP_RETRY.jitterMs);

/**
 * Our numbers: open streams per customer session (a few tabs), per address on the customer page (a
 * household or an office behind one address), per staff user or API key on case pages, and of the
 * staff app itself (one per open tab, counted apart so tabs never take the case pages' streams).
 * Counted per process.
 */
export const STREAM_CAPS = { customerSession: 5, customerAddress: 50, staffUser: 10, staffApp: 10 };

/** Seconds a refused stream is told to wait: a slot frees when another tab closes or its stream ends. */
const CAP_RETRY_AFTER_SECONDS = 30;

/** The open streams of this process (for the caps) and the stream timings. */
export interface StreamHub {
  bus: LiveBus;
  settings: StreamSettings;
  open: Map<string, number>;
  /** Streams open now, by whose they are (the `live_streams_open` metric, http/metrics.ts). */
  streams: Record<StreamGuard['kind'], number>;
}

/** A hub over `bus`; `settings` shortens the timings in tests. */
export function createStreamHub(bus: LiveBus, settings: Partial<StreamSettings> = {}): StreamHub {
  return { bus, settings: { ...SSE, ...settings }, open: new Map(), streams: { customer: 0, staff: 0 } };
}

/** Who may hold a stream: the caps it counts against, and the check that it still may. */
export interface StreamGuard {
  /** Whose stream it is: the customer page's or staff's (counted apart, {@link StreamHub.streams}). */
  kind: 'customer' | 'staff';
  caps: readonly { key: string; limit: number }[];
  /** Re-checked before every signal and every heartbeat: false (or a failure) ends the stream. */
  stillAllowed: () => Promise<boolean>;
}

/**
 * Answers with a server-sent event stream of one case's live signals (`event: change`, data
 * `{"topic": …}`), until the client leaves, the stream's maximum age, or the guard's check fails —
 * checked before each signal and each heartbeat, so a removed access, an ended or expired session or
 * a case the reader may no longer see ends the stream within a heartbeat (at once when the change
 * that ended it signals the case). Over a cap → 429 with Retry-After, before anything is streamed.
 * The browser's EventSource reconnects through the route, whose authorisation runs again.
 */
export function streamCaseSignals(
  request: FastifyRequest,
  reply: FastifyReply,
  hub: StreamHub,
  caseId: string,
  guard: StreamGuard,
  /** Company or user signals the stream carries too (the customer page: its company's `settings`). */
  also: readonly ScopedSignal[] = [],
): void {
  streamSignals(request, reply, hub, guard, { caseId, scoped: also, coalesce: false });
}

/** What a stream carries: one case's signals (all topics) and any number of company or user topics. */
export interface StreamChannels {
  caseId?: string;
  scoped: readonly ScopedSignal[];
  /** Signals within `coalesceMs` of the last write are sent together, once per topic, then. */
  coalesce: boolean;
}

/**
 * {@link streamCaseSignals} for any channels: the staff app's stream (`GET /api/live`) carries its
 * company's `cases` and its user's `notifications`, coalesced so a burst of changes is one write.
 */
export function streamSignals(
  request: FastifyRequest,
  reply: FastifyReply,
  hub: StreamHub,
  guard: StreamGuard,
  channels: StreamChannels,
): void {
  const { heartbeatMs, maxAgeMs, retryMs, coalesceMs } = hub.settings;
  const full = guard.caps.find((cap) => (hub.open.get(cap.key) ?? 0) >= cap.limit);
  if (full) {
    request.log.warn({ event: 'live_stream_cap', cap: full.key.split(':')[0] }, 'security: stream cap hit');
    throw new AppError('too_many_requests', 'Too many open live streams.', {
      retryAfterSeconds: CAP_RETRY_AFTER_SECONDS,
    });
  }
  for (const cap of guard.caps) hub.open.set(cap.key, (hub.open.get(cap.key) ?? 0) + 1);
  hub.streams[guard.kind] += 1;

  // The headers set so far (the security headers of every response) go with the hijacked reply.
  const headers = reply.getHeaders() as OutgoingHttpHeaders;
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
    connection: 'keep-alive',
  });
  response.write(`retry: ${retryMs}\n\n`);
  let stopped = false;
  /** Writes `text` only when the guard still allows the stream; ends it otherwise. */
  const sendChecked = (text: string) => {
    guard.stillAllowed().then(
      (allowed) => {
        if (stopped) return;
        if (allowed) response.write(text);
        else stop();
      },
      () => stop(),
    );
  };
  const changeEvent = (topic: string) => `event: change\ndata: ${JSON.stringify({ topic })}\n\n`;
  // Coalescing: the first signal after a quiet second is written at once, later ones wait for the
  // second to pass and go out together, each topic once.
  const pending = new Set<string>();
  let flushTimer: NodeJS.Timeout | null = null;
  let lastWrite = 0;
  const flush = () => {
    flushTimer = null;
    lastWrite = Date.now();
    const text = [...pending].map(changeEvent).join('');
    pending.clear();
    if (text) sendChecked(text);
  };
  const onSignal = (topic: string) => {
    if (!channels.coalesce) return sendChecked(changeEvent(topic));
    pending.add(topic);
    flushTimer ??= setTimeout(flush, Math.max(0, lastWrite + coalesceMs - Date.now()));
  };
  const unsubscribers = channels.scoped.map((channel) =>
    hub.bus.subscribeScoped(channel, (signal) => onSignal(signal.topic)),
  );
  if (channels.caseId)
    unsubscribers.push(hub.bus.subscribe(channels.caseId, (signal) => onSignal(signal.topic)));
  const unsubscribe = () => unsubscribers.forEach((stop) => stop());
  const heartbeat = setInterval(() => sendChecked(': keep-alive\n\n'), heartbeatMs);
  const maxAge = setTimeout(() => stop(), maxAgeMs);
  // The bus closes when the server stops: the client is told when to come back (to another instance).
  const unlisten = hub.bus.onClose(() => {
    if (!stopped && response.writable) response.write(`retry: ${stopRetryMs()}\n\n`);
    stop();
  });
  function stop() {
    if (stopped) return;
    stopped = true;
    hub.streams[guard.kind] -= 1;
    for (const cap of guard.caps) {
      const left = (hub.open.get(cap.key) ?? 1) - 1;
      if (left > 0) hub.open.set(cap.key, left);
      else hub.open.delete(cap.key);
    }
    unsubscribe();
    unlisten();
    if (flushTimer) clearTimeout(flushTimer);
    clearInterval(heartbeat);
    clearTimeout(maxAge);
    if (!response.writableEnded) response.end();
  }
  request.raw.on('close', stop);
  response.on('close', stop);
  response.on('error', stop);
}
