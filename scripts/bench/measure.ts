import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** One autocannon run, as sent to the load generator (load-worker.ts). */
export interface LoadJob {
  /**
   * Origins of the app; with more than one the connections are split over them (one autocannon
   * instance each, figures summed: see load-worker.ts).
   */
  baseUrls: string[];
  method: 'GET' | 'POST';
  /** Paths used in turn (one per request). */
  paths: string[];
  headers: Record<string, string>;
  body?: string;
  /** Cookie header values used in turn (one per request); empty: none. */
  cookies: string[];
  connections: number;
  /** Seconds. */
  duration: number;
}

/** The figures of one run; latencies in milliseconds. */
export interface LoadResult {
  connections: number;
  p50: number;
  p99: number;
  average: number;
  max: number;
  requestsPerSecond: number;
  total: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  seconds: number;
  /** Set when the run had to be abandoned (the load generator did not come back in time). */
  failed?: string;
}

/** A run abandoned because the load generator did not answer within its time bound. */
export class LoadTimeout extends Error {}

/** The load generator child; one run at a time, each bounded by its duration plus a margin. */
export class LoadGenerator {
  private child: ChildProcess;
  private next = 1;
  private pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  constructor() {
    this.child = fork(path.join(import.meta.dirname, 'load-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: { id: number; result?: LoadResult; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.result) waiting.resolve(message.result);
      else waiting.reject(new Error(`load generator: ${message.error ?? 'no result'}`));
    });
    this.child.on('exit', (code) => {
      for (const waiting of this.pending.values())
        waiting.reject(new Error(`load generator exited (${code})`));
      this.pending.clear();
    });
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = this.next++;
    return new Promise<LoadResult>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          // The child is stuck (an overloaded server keeps its sockets busy): end it; the caller
          // starts a new one.
          this.close();
          reject(new LoadTimeout(`load run did not finish within ${job.duration + 60} s`));
        },
        (job.duration + 60) * 1000,
      );
      this.pending.set(id, {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, job });
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
    this.child.kill();
  }
}

/**
 * Waits until the server has worked off what a run left queued (a slow endpoint at 200 connections
 * keeps the event loop and the database pool busy after the load generator stopped), so the next run
 * starts on a quiet server: /readyz, which asks the database, must answer within 20 ms twice in a row
 * (at most 60 s). /healthz would not do: it answers while every pooled connection is still taken.
 */
export async function waitUntilQuiet(baseUrl: string): Promise<void> {
  const until = Date.now() + 60_000;
  let quiet = 0;
  while (quiet < 2 && Date.now() < until) {
    const started = performance.now();
    await fetch(`${baseUrl}/readyz`)
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
    quiet = performance.now() - started < 20 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
