import type { ServerOptions } from 'node:http';

/**
 * The time limits of the HTTP server (attack review, issue 15: a body sent one byte every 5 s kept
 * its connection open for as long as the client liked; Fastify sets no request limit by default).
 *
 * - The whole request, body included, within `requestTimeoutMs` (REQUEST_TIMEOUT_SECONDS, 120 s by
 *   default, enough for a 25 MiB upload on a slow mobile link): Node answers 408 and closes.
 *   Node checks its connections once a second, so the cut comes at most a second late.
 * - The headers within 20 s (or the request limit, when that is shorter).
 * - A connection where nothing moves either way for 90 s is closed: longer than the keep-alive
 *   limit (so that one decides for idle keep-alive connections) and than the 25 s heartbeat of event
 *   streams. It does not end a slow download that keeps moving.
 * - An idle keep-alive connection is closed after 72 s (Fastify's own default, kept on purpose): longer
 *   than the 60 s idle limit of common proxies and load balancers, so they close first and never
 *   send a request on a connection we are closing.
 */
export function serverTimeouts(requestTimeoutMs: number) {
  const headersTimeoutMs = Math.min(20_000, requestTimeoutMs);
  const http: ServerOptions = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: headersTimeoutMs,
    connectionsCheckingInterval: 1_000,
  };
  return {
    requestTimeout: requestTimeoutMs,
    connectionTimeout: 90_000,
    keepAliveTimeout: 72_000,
    http,
  };
}
