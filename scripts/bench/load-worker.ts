import autocannon from 'autocannon';
import type { LoadJob, LoadResult } from './measure.ts';

/**
 * The load generator, in a child process of its own: autocannon in the same process as the app
 * would share its event loop and measure itself. Receives one job at a time over IPC and answers with
 * the figures (see measure.ts).
 */

async function run(job: LoadJob): Promise<LoadResult> {
  let turn = 0;
  const rotate = job.cookies.length > 1 || job.paths.length > 1;
  const result = await autocannon({
    url: job.baseUrl,
    method: job.method,
    connections: job.connections,
    duration: job.duration,
    timeout: 10,
    headers: job.headers,
    ...(job.body === undefined ? {} : { body: job.body }),
    requests: [
      {
        path: job.paths[0] ?? '/',
        ...(rotate
          ? {
              // Every request takes the next session (and the next search word): random cases, each
              // with its own customer session.
              setupRequest: (request: autocannon.Request) => {
                turn += 1;
                const cookie = job.cookies[turn % Math.max(1, job.cookies.length)];
                return {
                  ...request,
                  path: job.paths[turn % job.paths.length] ?? request.path,
                  headers: { ...request.headers, ...(cookie ? { cookie } : {}) },
                };
              },
            }
          : {}),
      },
    ],
    ...(rotate || !job.cookies[0] ? {} : { headers: { ...job.headers, cookie: job.cookies[0] } }),
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stats.count ?? 0;
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
    statusCodes,
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
