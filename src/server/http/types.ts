import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../security/actor.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { LiveBus } from '../live/live.ts';
import type { StreamHub } from '../live/sse.ts';
import type { AppMetrics } from './metrics.ts';

/** The Fastify instance with zod types, as every routes.ts receives it. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
    /** Live "case changed" signals (live/live.ts). */
    live: LiveBus;
    /** Open event streams and their caps (live/sse.ts). */
    liveStreams: StreamHub;
    /** Prometheus metrics (http/metrics.ts); null while METRICS_TOKEN is unset. */
    metrics: AppMetrics | null;
  }
  interface FastifyRequest {
    /** Set by the staff hook (auth/authenticate.ts) for /api requests; null when not signed in. */
    actor: Actor | null;
    // The customer hook's `customerSession` is declared by customer-access/customer-auth.ts.
  }
  interface FastifyContextConfig {
    /** Reachable without a session or API key. */
    public?: boolean;
  }
}
