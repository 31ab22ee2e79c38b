import type { LoadJob, LoadResult } from './measure.ts';
import { waitUntilQuiet } from './measure.ts';
import { startAppProcess, type AppDatabase, type RunningApp } from './servers.ts';

/**
 * Scale-out: a second app process on the same PostgreSQL database, and the load spread over both.
 * Each scenario runs three times at the same connection count, in the same run: one process, two
 * processes, one process again (the shared machine's load drifts; the two one-process runs bracket
 * the two-process run and their mean is the baseline). One process means both halves of the
 * connections on the first process, two means one half on each: the load generator has the same
 * shape every time (two autocannon instances, see load-worker.ts), so the ratio shows what the second
 * process adds and nothing of the generator.
 */

export interface ScaleOutScenario {
  label: string;
  /** One process, before and after the two-process run. */
  one: [LoadResult, LoadResult];
  two: LoadResult;
  /** Two-process req/s over the mean of the one-process runs (null: nothing to compare with). */
  ratio: number | null;
}

export interface ScaleOutResults {
  connections: number;
  scenarios: ScaleOutScenario[];
}

/** One load run; the caller turns a timed-out run into a recorded failure (see main.ts). */
export type RunLoad = (label: string, job: LoadJob) => Promise<LoadResult>;

/** The requests of one scenario, without the origins (the measurement sets those). */
export type ScaleOutJob = { label: string } & Omit<LoadJob, 'baseUrls' | 'connections'>;

/**
 * Requests each session's page once before a GET scenario: the message posts before this part
 * moved the cases on, so their stored customer-page answers are stale, and the first run alone would
 * pay for rebuilding them.
 */
async function warmUp(baseUrl: string, job: Omit<ScaleOutJob, 'label'>): Promise<void> {
  if (job.method !== 'GET') return;
  for (const cookie of job.cookies) {
    const response = await fetch(`${baseUrl}${job.paths[0] ?? '/'}`, { headers: { ...job.headers, cookie } });
    await response.arrayBuffer();
  }
}

/**
 * Starts the second process (same DATA_DIR, so the same session secret: a customer cookie from the
 * first process is valid in the second; same public base URL, so the Origin check passes in both),
 * checks that it accepts a customer cookie, then measures every job on one and on two processes.
 */
export async function measureScaleOut(options: {
  first: RunningApp;
  target: AppDatabase;
  webDistDir: string;
  jobs: ScaleOutJob[];
  /** A customer cookie the first process issued: the second must accept it. */
  probeCookie: string;
  connections: number;
  run: RunLoad;
}): Promise<ScaleOutResults> {
  const { first, connections } = options;
  const second = await startAppProcess(options.target, options.webDistDir, first.config.publicBaseUrl);
  try {
    const probe = await fetch(`${second.baseUrl}/api/customer/page`, {
      headers: { cookie: options.probeCookie },
    });
    await probe.arrayBuffer();
    if (probe.status !== 200) {
      throw new Error(`the second process answered ${probe.status} to a customer cookie of the first`);
    }
    const quiet = () => Promise.all([waitUntilQuiet(first.baseUrl), waitUntilQuiet(second.baseUrl)]);
    const scenarios: ScaleOutScenario[] = [];
    for (const { label, ...job } of options.jobs) {
      const measure = async (processes: string, baseUrls: string[]) => {
        await quiet();
        return options.run(`${label}, ${processes}`, { ...job, connections, baseUrls });
      };
      await warmUp(first.baseUrl, job);
      const before = await measure('1 process', [first.baseUrl, first.baseUrl]);
      const two = await measure('2 processes', [first.baseUrl, second.baseUrl]);
      const after = await measure('1 process again', [first.baseUrl, first.baseUrl]);
      // A one-process run the load generator abandoned has no rate: the other one is the baseline.
      const finished = [before, after].filter((run) => !run.failed && run.total > 0);
      const baseline =
        finished.reduce((sum, run) => sum + run.requestsPerSecond, 0) / Math.max(1, finished.length);
      scenarios.push({
        label,
        one: [before, after],
        two,
        ratio: baseline > 0 ? two.requestsPerSecond / baseline : null,
      });
    }
    return { connections, scenarios };
  } finally {
    await second.close();
  }
}
