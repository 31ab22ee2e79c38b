import type { Db } from './db/database.ts';
import { stopHeicWorker } from './documents/heic-worker.ts';
import type { App } from './http/types.ts';
import type { OutboxWorker } from './outbox/worker.ts';

/**
 * The graceful stop of a server process (SIGTERM, SIGINT; main.ts): a process manager or a deploy
 * stops an instance while customers use it, and nothing they started may be lost or left stuck.
 *
 * In order: the session purge stops; at once the server stops accepting connections (Fastify answers
 * 503 to a new request on a kept-alive connection), its open event streams are told when to come
 * back and ended, and the outbox worker finishes the delivery under way and releases what it claimed;
 * requests in flight finish, each kept-alive connection is closed as soon as it is idle; then the
 * HEIC decoding thread and the database go. All of it within `timeoutMs`: when that passes, the
 * connections still open are cut (and logged), and the process exits all the same.
 */

export interface StoppingProcess {
  app: App;
  worker: OutboxWorker | null;
  /** The session purge interval. */
  purge: NodeJS.Timeout;
  db: Db;
  /** SHUTDOWN_TIMEOUT_SECONDS. */
  timeoutMs: number;
}

/** How often finished kept-alive connections are looked for and closed while requests finish. */
const IDLE_SWEEP_MS = 100;
/** After the bound, how long cut connections get to close before the stop goes on without them. */
const AFTER_CUT_MS = 2_000;

/** Stops the process's parts in order; resolves to its exit code: 0 clean, 1 when anything failed or was cut. */
export async function stopServer(parts: StoppingProcess): Promise<0 | 1> {
  const { app, worker, db, timeoutMs } = parts;
  const log = app.log;
  const started = Date.now();
  let clean = true;
  const failed = (what: string) => (error: unknown) => {
    clean = false;
    log.error({ err: error, event: 'shutdown_failed', step: what }, `stop: ${what} failed`);
  };

  clearInterval(parts.purge);
  // Node's server.close() closes the connections idle at that instant; one that was busy stays open
  // after its answer until its keep-alive timeout (72 s) unless it is closed once idle.
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  let bound: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    bound = setTimeout(() => resolve('timeout'), timeoutMs);
  });

  const serverClosed = app.close().catch(failed('closing the server'));
  const workerStopped = Promise.resolve(worker?.stop()).catch(failed('stopping the outbox worker'));
  const settled = Promise.all([serverClosed, workerStopped]);
  if ((await Promise.race([settled, deadline])) === 'timeout') {
    clean = false;
    const open = await openConnections(app);
    log.warn(
      { event: 'shutdown_cut', connections: open, timeoutMs },
      `stop: SHUTDOWN_TIMEOUT_SECONDS passed; cutting ${open} open connection(s)` +
        ' (requests still in flight are lost; an outbox delivery still under way is sent again after its lease)',
    );
    app.server.closeAllConnections();
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, AFTER_CUT_MS))]);
  }
  clearTimeout(bound);
  clearInterval(sweep);

  await stopHeicWorker().catch(failed('stopping the HEIC worker'));
  await db.destroy().catch(failed('closing the database'));
  log.info({ event: 'shutdown_done', ms: Date.now() - started, clean }, 'stop: done');
  return clean ? 0 : 1;
}

function openConnections(app: App): Promise<number> {
  return new Promise((resolve) => app.server.getConnections((error, count) => resolve(error ? -1 : count)));
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT and exits with its code; a second signal exits at once
 * with 1 (an operator pressing Ctrl-C twice does not want to wait).
 */
export function exitOnStopSignals(stop: () => Promise<0 | 1>, log: App['log']): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn({ event: 'shutdown_forced', signal }, 'stop: second signal; exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ event: 'shutdown_started', signal }, 'stop: finishing requests in flight');
      stop().then(
        (code) => process.exit(code),
        (error: unknown) => {
          log.error({ err: error, event: 'shutdown_failed' }, 'stop failed');
          process.exit(1);
        },
      );
    });
  }
}
