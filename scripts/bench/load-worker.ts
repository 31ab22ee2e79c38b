import autocannon from 'autocannon';
import type { LoadJob, LoadResult } from './measure.ts';

/**
 * The load generator, in a child process of its own: autocannon in the same process as the app
 * would share its event loop and measure itself. Receives one job at a time over IPC and answers with
 * the figures (see measure.ts).
 */

/** Requests of one job go to the cookies and paths in turn, over every autocannon instance. */
interface Rotation {
  turn: number;
}

/** One autocannon instance against one base URL; `onResponse` sees every response's latency. */
function runInstance(
  job: LoadJob,
  baseUrl: string,
  connections: number,
  rotation: Rotation,
  onResponse?: (statusCode: number, milliseconds: number) => void,
): Promise<autocannon.Result> {
  const rotate = job.cookies.length > 1 || job.paths.length > 1;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        method: job.method,
        connections,
        duration: job.duration,
        timeout: 10,
        headers: job.headers,
        ...(job.body === undefined ? {} : { body: job.body }),
        requests: [
          {
            path: job.paths[0] ?? '/',
            ...(rotate
              ? {
                  // Every request takes the next session (and the next search word): random cases,
                  // each with its own customer session.
                  setupRequest: (request: autocannon.Request) => {
                    rotation.turn += 1;
                    const cookie = job.cookies[rotation.turn % Math.max(1, job.cookies.length)];
                    return {
                      ...request,
                      path: job.paths[rotation.turn % job.paths.length] ?? request.path,
                      headers: { ...request.headers, ...(cookie ? { cookie } : {}) },
                    };
                  },
                }
              : {}),
          },
        ],
        ...(rotate || !job.cookies[0] ? {} : { headers: { ...job.headers, cookie: job.cookies[0] } }),
      },
      (error, result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    );
    if (onResponse) instance.on('response', (_client, statusCode, _bytes, ms) => onResponse(statusCode, ms));
  });
}

const statusCodesOf = (result: autocannon.Result): Record<string, number> => {
  const codes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) codes[code] = stats.count ?? 0;
  return codes;
};

/** The value below which `share` of the sorted latencies fall (nearest rank). */
const percentile = (sorted: Float64Array, share: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;

/** `connections` split as evenly as possible over the URLs; a URL that gets none is left out. */
function splitConnections(connections: number, urls: string[]): Array<[string, number]> {
  return urls
    .map((url, i): [string, number] => [
      url,
      Math.floor(connections / urls.length) + (i < connections % urls.length ? 1 : 0),
    ])
    .filter(([, count]) => count > 0);
}

/**
 * Several base URLs (two app processes behind one address, as a load balancer would spread them):
 * autocannon takes one URL per instance, so the connections are split over one instance per URL
 * running side by side. Counts and rates are summed; latencies are recorded per response so the
 * percentiles are those of all requests together (percentiles of the parts cannot be combined).
 */
async function runSpread(job: LoadJob, rotation: Rotation): Promise<LoadResult> {
  const latencies: number[] = [];
  const record = (_statusCode: number, ms: number) => void latencies.push(ms);
  const parts = await Promise.all(
    splitConnections(job.connections, job.baseUrls).map(([url, count]) =>
      runInstance(job, url, count, rotation, record),
    ),
  );
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes: Record<string, number> = {};
  for (const part of parts)
    for (const [code, count] of Object.entries(statusCodesOf(part)))
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const sum = (pick: (part: autocannon.Result) => number) =>
    parts.reduce((total, part) => total + pick(part), 0);
  return {
    connections: job.connections,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    average: sorted.length ? sorted.reduce((total, ms) => total + ms, 0) / sorted.length : 0,
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    requestsPerSecond: sum((part) => part.requests.average),
    total: sum((part) => part.requests.total),
    non2xx: sum((part) => part.non2xx),
    errors: sum((part) => part.errors),
    timeouts: sum((part) => part.timeouts),
    statusCodes,
    seconds: Math.max(...parts.map((part) => part.duration)),
  };
}

async function run(job: LoadJob): Promise<LoadResult> {
  const rotation: Rotation = { turn: 0 };
  if (job.baseUrls.length !== 1) return runSpread(job, rotation);
  const result = await runInstance(job, job.baseUrls[0]!, job.connections, rotation);
  return {
    connections: job.connections,
    p50: result.latency.p50,
    p99: result.latency.p99,
    average: result.latency.average,
    max: result.latency.max,
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: statusCodesOf(result),
    seconds: result.duration,
  };
}

process.on('message', (message: { id: number; job: LoadJob }) => {
  run(message.job).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
