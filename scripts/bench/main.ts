import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import { rebuildDashboardEntries } from '../../src/server/dashboard/entries.ts';
import { createDb } from '../../src/server/db/database.ts';
import { measureCustomerPage, type BrowserMetrics } from './browser-metrics.ts';
import { measureCommitRate } from './commit-rate.ts';
import { profileWhile } from './cpu-profile.ts';
import {
  createPostgresBench,
  createSqliteBench,
  postgresReachable,
  type BenchDatabase,
} from './databases.ts';
import { generateDataSet, STAFF_PASSWORD, type GeneratedSet } from './generate.ts';
import { lighthouseCustomerPage, type LighthouseMetrics } from './lighthouse.ts';
import { describeMachine } from './machine.ts';
import { LoadGenerator, LoadTimeout, waitUntilQuiet, type LoadJob, type LoadResult } from './measure.ts';
import { companySizes, readOptions, type BenchOptions } from './options.ts';
import { explainHotQueries, type PlanRequest } from './query-plans.ts';
import {
  renderReport,
  type BenchResults,
  type DatabaseResults,
  type Failed,
  type ScenarioResults,
  WORKING_CONNECTIONS,
} from './report.ts';
import { measureScaleOut, type ScaleOutJob } from './scale-out.ts';
import { captureResponse, startApp, startBareServer, type RunningApp } from './servers.ts';
import { openCustomerLinks, signInStaff, type CustomerSession } from './sessions.ts';
import { describeStartup, measureStartup } from './startup.ts';
import { buildWeb } from './web-size.ts';

// `npm run bench`: generates a large data set into SQLite (and PostgreSQL when it answers), runs the
// real app on it, measures the hot endpoints with autocannon against a bare `http` server returning
// the same bytes, prints the plans of the queries behind them, the web bundle sizes and the customer
// page's web vitals, and writes docs/benchmarks.md. Exits non-zero when the harness itself failed
// (a missed budget is a finding, not a harness error).

const started = performance.now();
const log = (line: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const MESSAGE_BODY = JSON.stringify({ body: 'Hei! Når kommer håndverkerne tilbake? Hilsen benken.' });
const CONNECTIONS = { customerPage: [1, 10, 50, 200], messages: [1, 10, 50, 200], other: [1, 50, 200] };

const emptyResult = (connections: number): LoadResult => ({
  connections,
  p50: 0,
  p99: 0,
  average: 0,
  max: 0,
  requestsPerSecond: 0,
  total: 0,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statusCodes: {},
  seconds: 0,
});

/** One load run, logged; a run the load generator does not finish in time is recorded as failed. */
async function loadRun(
  loaders: { current: LoadGenerator },
  label: string,
  job: LoadJob,
): Promise<LoadResult> {
  let result: LoadResult;
  try {
    result = await loaders.current.run(job);
  } catch (error) {
    if (!(error instanceof LoadTimeout)) throw error;
    // A finding, not a harness failure: record it and go on with a fresh load generator.
    loaders.current = new LoadGenerator();
    log(`  ${label} @${job.connections}: ${error.message}`);
    return { ...emptyResult(job.connections), failed: error.message };
  }
  log(
    `  ${label} @${job.connections}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ` +
      `${result.requestsPerSecond.toFixed(0)} req/s, non-2xx ${result.non2xx}, errors ${result.errors}`,
  );
  return result;
}

/** Load runs of one scenario at each connection count, with a quiet server before each. */
async function runScenario(
  loaders: { current: LoadGenerator },
  quietUrl: string,
  label: string,
  connections: number[],
  job: Omit<LoadJob, 'connections'>,
) {
  const runs = [];
  for (const count of connections) {
    await waitUntilQuiet(quietUrl);
    runs.push(await loadRun(loaders, label, { ...job, connections: count }));
  }
  return runs;
}

/** A part that may fail without failing the run: its error is reported in its place. */
async function orFailed<T>(part: string, measure: () => Promise<T>): Promise<T | Failed> {
  try {
    return await measure();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${part}: ${message}`);
    return { error: message };
  }
}

/** Generates the data set once into every database (same rows in each). */
async function loadDatabases(benches: BenchDatabase[], options: BenchOptions): Promise<GeneratedSet> {
  log(`generating ${options.cases} cases into ${benches.map((b) => b.label).join(' and ')}…`);
  const writers = await Promise.all(benches.map((bench) => bench.openWriter()));
  let data: GeneratedSet;
  try {
    data = await generateDataSet(writers, options, log);
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }
  // The staff dashboard's entries and counts are kept by the app on write; the generator writes
  // none, so the app's own rebuild derives them from the rows just loaded (before the statistics).
  for (const bench of benches) {
    const db = createDb(bench.database);
    try {
      await rebuildDashboardEntries(db);
    } finally {
      await db.destroy();
    }
  }
  for (const bench of benches) await bench.afterLoad();
  log(
    `data set written in ${data.seconds.toFixed(0)} s — ` +
      Object.entries(data.rowCounts)
        .map(([table, n]) => `${table} ${n}`)
        .join(', '),
  );
  return data;
}

/** Everything measured on one database; the browser (and Lighthouse) only on the first one. */
async function benchDatabase(
  bench: BenchDatabase,
  data: GeneratedSet,
  options: BenchOptions,
  webDir: string,
  withBrowser: boolean,
): Promise<{
  results: DatabaseResults;
  browser: BrowserMetrics | Failed | null;
  lighthouse: LighthouseMetrics | Failed | null;
}> {
  const running: RunningApp = await startApp(bench, webDir);
  const loaders = { current: new LoadGenerator() };
  let browser: BrowserMetrics | Failed | null = null;
  let lighthouse: LighthouseMetrics | Failed | null = null;
  try {
    const origin = running.config.publicOrigin;
    const biggest = data.companies[0]!;
    const staffCookie = await signInStaff(running.baseUrl, biggest.benchUser.email, STAFF_PASSWORD);
    const sessions: CustomerSession[] = await openCustomerLinks(running.baseUrl, data.links);
    log(
      `${bench.label}: app on ${running.baseUrl}; staff signed in; ${sessions.length} customer sessions open`,
    );
    const cookies = sessions.map((s) => s.cookie);
    const base = { baseUrls: [running.baseUrl], headers: {}, duration: options.duration };

    // (a) the customer page, and the bare server with the bytes of one real answer.
    const captured = await captureResponse(`${running.baseUrl}/api/customer/page`, { cookie: cookies[0]! });
    if (captured.status !== 200) throw new Error(`GET /api/customer/page answered ${captured.status}`);
    const scenarios: ScenarioResults[] = [];
    scenarios.push({
      key: 'customerPage',
      label: '(a) GET /api/customer/page',
      note: null,
      runs: await runScenario(loaders, running.baseUrl, 'customer page', CONNECTIONS.customerPage, {
        ...base,
        method: 'GET',
        paths: ['/api/customer/page'],
        cookies,
      }),
    });
    const bare = await startBareServer(captured);
    try {
      scenarios.push({
        key: 'bare',
        label: 'bare `http`, same bytes',
        note: null,
        runs: await runScenario(loaders, running.baseUrl, 'bare http', CONNECTIONS.customerPage, {
          ...base,
          baseUrls: [bare.url],
          method: 'GET',
          paths: ['/api/customer/page'],
          cookies,
        }),
      });
    } finally {
      await bare.close();
    }

    // Where the app's CPU goes on the customer page (an extra run, not in the tables).
    await waitUntilQuiet(running.baseUrl);
    const job = { ...base, method: 'GET' as const, paths: ['/api/customer/page'], cookies, connections: 10 };
    let profile: DatabaseResults['profile'] = null;
    try {
      const profiled = await profileWhile(() =>
        loaders.current.run({ ...job, duration: Math.min(options.duration, 5) }),
      );
      profile = {
        profile: profiled.profile,
        requests: profiled.result.total,
        seconds: profiled.result.seconds,
      };
      log(
        `  customer page CPU: ${(profiled.profile.busyMs / Math.max(1, profiled.result.total)).toFixed(2)} ms ` +
          'per request; ' +
          profiled.profile.packages
            .slice(0, 5)
            .map((line) => `${line.name} ${(line.share * 100).toFixed(0)}%`)
            .join(', '),
      );
    } catch (error) {
      if (!(error instanceof LoadTimeout)) throw error;
      loaders.current = new LoadGenerator();
      log(`  customer page CPU profile: ${error.message}`);
    }

    // (b) the staff dashboard, (c) the case search, both as a case handler of the biggest company.
    scenarios.push({
      key: 'dashboard',
      label: `(b) GET /api/dashboard (${biggest.cases} cases)`,
      note: null,
      runs: await runScenario(loaders, running.baseUrl, 'dashboard', CONNECTIONS.other, {
        ...base,
        method: 'GET',
        paths: ['/api/dashboard'],
        cookies: [staffCookie],
      }),
    });
    const searchPaths = data.searchTerms.map((term) => `/api/cases?q=${encodeURIComponent(term)}`);
    scenarios.push({
      key: 'search',
      label: '(c) GET /api/cases?q=…',
      note: `words in turn: ${data.searchTerms.join(', ')}`,
      runs: await runScenario(loaders, running.baseUrl, 'case search', CONNECTIONS.other, {
        ...base,
        method: 'GET',
        paths: searchPaths,
        cookies: [staffCookie],
      }),
    });

    scenarios.push({
      key: 'caseList',
      label: '(c) GET /api/cases (no query)',
      note: null,
      runs: await runScenario(loaders, running.baseUrl, 'case list', CONNECTIONS.other, {
        ...base,
        method: 'GET',
        paths: ['/api/cases'],
        cookies: [staffCookie],
      }),
    });

    // (d) a customer posting a message, when the route exists.
    const messageHeaders = { origin, 'content-type': 'application/json' };
    const probe = await fetch(`${running.baseUrl}/api/customer/messages`, {
      method: 'POST',
      headers: { ...messageHeaders, cookie: cookies[0]! },
      body: MESSAGE_BODY,
    });
    const probeText = await probe.text();
    if (probe.status === 404) {
      scenarios.push({
        key: 'messages',
        label: '(d) POST /api/customer/messages',
        note: 'not available (404: route not there yet)',
        runs: [],
      });
      log(`  messages: POST /api/customer/messages answered 404 — not available yet`);
    } else {
      scenarios.push({
        key: 'messages',
        label: '(d) POST /api/customer/messages',
        note: probe.ok ? null : `probe answered ${probe.status}: ${probeText.slice(0, 120)}`,
        runs: await runScenario(loaders, running.baseUrl, 'post message', CONNECTIONS.messages, {
          ...base,
          method: 'POST',
          paths: ['/api/customer/messages'],
          headers: messageHeaders,
          body: MESSAGE_BODY,
          cookies,
        }),
      });
    }

    // The bound of the message post: durable one-row commits on the same database, right after it.
    let commitRate: DatabaseResults['commitRate'] = null;
    if (options.commitBound && probe.status !== 404) {
      await waitUntilQuiet(running.baseUrl);
      log(`${bench.label}: one-row commits, ${options.duration} s…`);
      commitRate = await orFailed('commit rate', () =>
        measureCommitRate(bench.database, options.duration, WORKING_CONNECTIONS),
      );
      if (!('error' in commitRate))
        log(
          `  ${commitRate.commitsPerSecond.toFixed(0)} commits/s (${commitRate.connections} connection(s); ` +
            `${commitRate.settings})`,
        );
    }

    // Scale-out: a second app process on the same PostgreSQL database (SQLite is one process's file).
    let scaleOut: DatabaseResults['scaleOut'] = null;
    if (options.scaleOut && bench.database.kind === 'postgres') {
      log(`${bench.label}: second app process, ${WORKING_CONNECTIONS} connections on one vs two processes…`);
      const jobs: ScaleOutJob[] = [
        {
          label: '(a) GET /api/customer/page',
          method: 'GET',
          paths: ['/api/customer/page'],
          headers: {},
          cookies,
          duration: options.duration,
        },
      ];
      if (probe.status !== 404) {
        jobs.push({
          label: '(d) POST /api/customer/messages',
          method: 'POST',
          paths: ['/api/customer/messages'],
          headers: messageHeaders,
          body: MESSAGE_BODY,
          cookies,
          duration: options.duration,
        });
      }
      scaleOut = await orFailed('scale-out', () =>
        measureScaleOut({
          first: running,
          target: bench,
          webDistDir: webDir,
          jobs,
          probeCookie: cookies[0]!,
          connections: WORKING_CONNECTIONS,
          run: (label, job) => loadRun(loaders, label, job),
        }),
      );
      if (!('error' in scaleOut))
        for (const { label, ratio } of scaleOut.scenarios)
          log(`  ${label}: two processes / one = ${ratio === null ? '–' : ratio.toFixed(2)}`);
    }

    // Query plans of the same requests.
    await waitUntilQuiet(running.baseUrl);
    log(`${bench.label}: query plans…`);
    const planRequests: PlanRequest[] = [
      {
        scenario: 'Customer page',
        method: 'GET',
        url: '/api/customer/page',
        headers: { cookie: cookies[1] ?? cookies[0]! },
      },
      {
        scenario: 'Staff dashboard counts',
        method: 'GET',
        url: '/api/dashboard',
        headers: { cookie: staffCookie },
      },
      { scenario: 'Case search', method: 'GET', url: searchPaths[0]!, headers: { cookie: staffCookie } },
      {
        scenario: 'Case list (no search)',
        method: 'GET',
        url: '/api/cases',
        headers: { cookie: staffCookie },
      },
    ];
    if (probe.status !== 404) {
      planRequests.push({
        scenario: 'Customer posts a message',
        method: 'POST',
        url: '/api/customer/messages',
        headers: { ...messageHeaders, cookie: cookies[1] ?? cookies[0]! },
        body: MESSAGE_BODY,
      });
    }
    const plans = await explainHotQueries(running.db, running.config, planRequests);
    for (const plan of plans) {
      log(`  ${plan.scenario}: ${plan.queryCount} queries, HTTP ${plan.status}`);
      for (const warning of new Set(plan.queries.flatMap((q) => q.warnings))) log(`    ⚠ ${warning}`);
    }

    if (withBrowser) {
      log(`${bench.label}: customer page in Chromium…`);
      browser = await measureCustomerPage(running.baseUrl, sessions[0]!.link.token).catch(
        (error: unknown) => ({
          error: String(error),
        }),
      );
      if ('error' in browser) log(`  browser: ${browser.error}`);
      else {
        const m = browser.median;
        log(
          `  LCP ${m.lcpMs?.toFixed(0)} ms, CLS ${m.cls.toFixed(3)}, TBT ${m.tbtMs.toFixed(0)} ms, INP≈${m.inpMs ?? '<16'} ms`,
        );
      }
      if (options.lighthouse) {
        log(`${bench.label}: Lighthouse of the customer page (mobile)…`);
        lighthouse = await orFailed('Lighthouse', () =>
          lighthouseCustomerPage(running.baseUrl, sessions[0]!.link.token),
        );
        if (!('error' in lighthouse)) {
          const { scores: s, fcpMs, lcpMs } = lighthouse;
          log(
            `  performance ${s.performance}, accessibility ${s.accessibility}, best practices ${s.bestPractices}, ` +
              `SEO ${s.seo}; FCP ${fcpMs?.toFixed(0)} ms, LCP ${lcpMs?.toFixed(0)} ms`,
          );
        }
      }
    }

    return {
      browser,
      lighthouse,
      results: {
        label: bench.label,
        version: await bench.version(),
        generationSeconds: data.seconds,
        rowCounts: data.rowCounts,
        customerSessions: sessions.length,
        responseBytes: captured.body.length,
        scenarios,
        plans,
        profile,
        commitRate,
        scaleOut,
      },
    };
  } finally {
    loaders.current.close();
    await running.close();
  }
}

async function main(): Promise<number> {
  const options = readOptions();
  const sizes = companySizes(options);
  log(
    `bench: ${options.cases} cases (${sizes.join(' / ')}), ~${options.cases * options.eventsPerCase} events, ` +
      `${options.duration} s per run`,
  );
  const tempRoot = mkdtempSync(path.join(tmpdir(), 'ks-bench-'));
  const cleanups: Array<() => Promise<void>> = [
    async () => rmSync(tempRoot, { recursive: true, force: true }),
  ];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
  };
  process.once('SIGINT', () => {
    console.error('interrupted: cleaning up…');
    void cleanUp().then(() => process.exit(130));
  });

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    options,
    companySizes: sizes,
    databases: [],
    web: null,
    browser: null,
    lighthouse: null,
    startup: null,
    totalSeconds: 0,
    harnessErrors: [],
  };
  try {
    const webDir = path.join(tempRoot, 'web');
    log('web: building both entries…');
    try {
      results.web = await buildWeb(webDir);
      for (const entry of results.web)
        log(`  ${entry.label}: ${(entry.gzipBytes / 1024).toFixed(1)} KB gzipped first-load JS`);
    } catch (error) {
      results.web = { error: String(error) };
      results.harnessErrors.push(`web build: ${String(error)}`);
    }
    if (options.startupRounds > 0 && !('error' in (results.web ?? { error: '' }))) {
      log(`start-up: ${options.startupRounds} starts each, compiled vs tsx…`);
      results.startup = await orFailed('start-up', () => measureStartup(options.startupRounds, webDir));
      if (!('error' in results.startup))
        for (const line of describeStartup(results.startup)) log(`  ${line}`);
    }

    const benches: BenchDatabase[] = [];
    if (options.sqlite) benches.push(await createSqliteBench());
    if (options.postgres) {
      if (await postgresReachable(options.pgUrl))
        benches.push(await createPostgresBench(options.pgUrl, options.pgDatabase));
      else log(`PostgreSQL does not answer at ${options.pgUrl}: measuring SQLite only`);
    }
    for (const bench of benches) {
      cleanups.push(async () => {
        await bench.drop();
        log(`${bench.label}: database removed`);
      });
    }
    const data = await loadDatabases(benches, options);
    for (const bench of benches) {
      try {
        const withBrowser =
          options.browser && results.browser === null && !('error' in (results.web ?? { error: '' }));
        const measured = await benchDatabase(bench, data, options, webDir, withBrowser);
        results.databases.push(measured.results);
        if (measured.browser) results.browser = measured.browser;
        if (measured.lighthouse) results.lighthouse = measured.lighthouse;
      } catch (error) {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        results.harnessErrors.push(
          `${bench.label}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    results.harnessErrors.push(error instanceof Error ? error.message : String(error));
  } finally {
    results.totalSeconds = (performance.now() - started) / 1000;
    // Formatted like every other file, so `npm run check` (prettier --check .) passes on it.
    const markdown = renderReport(results);
    const style = (await prettier.resolveConfig(options.reportFile)) ?? {};
    const formatted = await prettier.format(markdown, { ...style, parser: 'markdown' }).catch(() => markdown);
    writeFileSync(options.reportFile, formatted);
    log(`report written to ${options.reportFile}`);
    await cleanUp();
  }
  if (results.harnessErrors.length) {
    console.error(
      `bench: ${results.harnessErrors.length} harness error(s):\n${results.harnessErrors.join('\n')}`,
    );
    return 1;
  }
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
// The PostgreSQL pool or a stray socket must not keep a finished bench alive.
setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
