import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveBus } from './live.ts';

/** Our numbers: a comment every 25 s keeps proxies from closing an idle stream; a stream lives 5 min. */
export const SSE = { heartbeatMs: 25_000, maxAgeMs: 5 * 60_000, retryMs: 3_000 };

/**
 * Answers with a server-sent event stream of one case's live signals (`event: change`, data
 * `{"topic": …}`), until the client leaves or the stream's maximum age; the browser's EventSource
 * then reconnects through the route again, so its authorisation is checked again (a removed access
 * or an ended session gets no new stream). The security headers set on request stay on the response.
 */
export function streamCaseSignals(
  request: FastifyRequest,
  reply: FastifyReply,
  bus: LiveBus,
  caseId: string,
  options: Partial<typeof SSE> = {},
): void {
  const { heartbeatMs, maxAgeMs, retryMs } = { ...SSE, ...options };
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
    connection: 'keep-alive',
  });
  response.write(`retry: ${retryMs}\n\n`);
  const unsubscribe = bus.subscribe(caseId, (signal) => {
    response.write(`event: change\ndata: ${JSON.stringify({ topic: signal.topic })}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
  const maxAge = setTimeout(() => response.end(), maxAgeMs);
  let stopped = false;
  const unlisten = bus.onClose(() => stop());
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    unlisten();
    clearInterval(heartbeat);
    clearTimeout(maxAge);
    if (!response.writableEnded) response.end();
  };
  request.raw.on('close', stop);
  response.on('close', stop);
  response.on('error', stop);
}
