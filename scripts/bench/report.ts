import type { BrowserMetrics } from './browser-metrics.ts';
import type { CommitRate } from './commit-rate.ts';
import type { CpuProfile } from './cpu-profile.ts';
import type { TableName } from './bulk-insert.ts';
import type { LighthouseMetrics } from './lighthouse.ts';
import type { Machine } from './machine.ts';
import type { LoadResult } from './measure.ts';
import type { BenchOptions } from './options.ts';
import type { ScenarioPlans } from './query-plans.ts';
import type { ScaleOutResults } from './scale-out.ts';
import type { StartupResults } from './startup.ts';
import type { EntrySize } from './web-size.ts';

/** A part of the run that could not be measured, and why. */
export type Failed = { error: string };

/** Everything one `npm run bench` found; report.ts turns it into docs/benchmarks.md. */
export interface BenchResults {
  date: string;
  machine: Machine;
  options: BenchOptions;
  companySizes: number[];
  databases: DatabaseResults[];
  web: EntrySize[] | { error: string } | null;
  browser: BrowserMetrics | Failed | null;
  /** Lighthouse of the customer page (mobile preset); null when skipped. */
  lighthouse: LighthouseMetrics | Failed | null;
  /** Server start-up, compiled vs the sources under tsx; null when skipped. */
  startup: StartupResults | Failed | null;
  totalSeconds: number;
  harnessErrors: string[];
}

export type ScenarioKey = 'customerPage' | 'bare' | 'dashboard' | 'search' | 'caseList' | 'messages';

export interface ScenarioResults {
  key: ScenarioKey;
  label: string;
  runs: LoadResult[];
  /** Why the scenario has no runs, or what to know about them. */
  note: string | null;
}

export interface DatabaseResults {
  label: string;
  version: string;
  generationSeconds: number;
  rowCounts: Partial<Record<TableName, number>>;
  customerSessions: number;
  responseBytes: number;
  scenarios: ScenarioResults[];
  plans: ScenarioPlans[];
  /** The app process's CPU during an extra customer-page run at 10 connections (not in the tables). */
  profile: { profile: CpuProfile; requests: number; seconds: number } | null;
  /** One-row insert commits/s on the same database, the bound of the message post; null: skipped. */
  commitRate: CommitRate | Failed | null;
  /** One vs two app processes on this database (PostgreSQL only); null: skipped. */
  scaleOut: ScaleOutResults | Failed | null;
}

/** A quality-bar budget and whether this run met it. */
export interface Budget {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const runAt = (scenario: ScenarioResults | undefined, connections: number) =>
  scenario?.runs.find((run) => run.connections === connections);
const peak = (scenario: ScenarioResults | undefined) =>
  Math.max(0, ...(scenario?.runs.map((run) => run.requestsPerSecond) ?? []));

/** App throughput over the bare server's, per connection count and at the peak of each. */
export function bareRatios(database: DatabaseResults) {
  const app = database.scenarios.find((s) => s.key === 'customerPage');
  const bare = database.scenarios.find((s) => s.key === 'bare');
  const perConnections = (app?.runs ?? []).map((run) => {
    const ceiling = runAt(bare, run.connections)?.requestsPerSecond ?? 0;
    return { connections: run.connections, ratio: ceiling > 0 ? run.requestsPerSecond / ceiling : null };
  });
  const bestBare = peak(bare);
  return { perConnections, peak: bestBare > 0 ? peak(app) / bestBare : null };
}

/**
 * The quality bar's working load: the message post is compared with the commit rate at this many
 * connections (the commit probe on PostgreSQL uses as many), and the scale-out runs at it.
 */
export const WORKING_CONNECTIONS = 10;

/** Successful (2xx) requests per second of a run: a refused post commits nothing. */
const successRate = (run: LoadResult) =>
  run.total > 0 ? (run.requestsPerSecond * (run.total - run.non2xx)) / run.total : 0;

/** The message post at 10 connections as a share of the one-row commit rate (null: not measured). */
export function commitBound(database: DatabaseResults) {
  const post = runAt(
    database.scenarios.find((s) => s.key === 'messages'),
    WORKING_CONNECTIONS,
  );
  const rate = database.commitRate;
  if (!post || post.failed || !rate || 'error' in rate || rate.commitsPerSecond <= 0) return null;
  const posts = successRate(post);
  return { posts, commits: rate.commitsPerSecond, share: posts / rate.commitsPerSecond };
}

/** The performance budgets of the quality bar for one database. */
export function databaseBudgets(database: DatabaseResults): Budget[] {
  const find = (key: ScenarioKey) => database.scenarios.find((s) => s.key === key);
  const page = find('customerPage');
  const at10 = runAt(page, 10);
  const at200 = runAt(page, 200);
  const dashboard = runAt(find('dashboard'), 1);
  const search = runAt(find('search'), 1);
  const caseList = runAt(find('caseList'), 1);
  const ratio = bareRatios(database).peak;
  // The quality bar's customer-page budgets differ by database (issue 13): PostgreSQL answers over
  // a socket to a server on the same cores.
  const postgres = database.label === 'PostgreSQL';
  const p99Budget = postgres ? 20 : 10;
  const ratioBudget = postgres ? 0.25 : 0.4;
  const failures = (run: LoadResult) => run.errors + run.non2xx;
  const bound = commitBound(database);
  const whyNoBound =
    database.commitRate === null
      ? 'not measured (--no-commit-bound, or no message route)'
      : 'error' in database.commitRate
        ? `not measured: ${database.commitRate.error}`
        : 'not measured (no post run at 10 connections)';
  return [
    {
      name: 'Customer-page API p99 at 10 connections',
      target: `< ${p99Budget} ms`,
      measured: at10 ? `${ms(at10.p99)} ms` : 'not measured',
      met: at10 ? at10.total > 0 && at10.p99 < p99Budget : null,
    },
    {
      name: 'Customer-page API errors at 200 connections',
      target: '0 (errors + timeouts + non-2xx)',
      measured: at200
        ? at200.total === 0
          ? 'no request finished within the run'
          : `${failures(at200)} of ${at200.total}`
        : 'not measured',
      met: at200 ? at200.total > 0 && failures(at200) === 0 : null,
    },
    {
      name: 'Customer-page API throughput vs bare `http` (peak vs peak)',
      target: `≥ ${ratioBudget * 100} %`,
      measured: ratio === null ? 'not measured' : `${(ratio * 100).toFixed(0)} %`,
      met: ratio === null ? null : ratio >= ratioBudget,
    },
    {
      name: 'Staff dashboard counts, biggest company, p99 at 1 connection',
      target: '< 50 ms',
      measured: dashboard ? `${ms(dashboard.p99)} ms (p50 ${ms(dashboard.p50)} ms)` : 'not measured',
      met: dashboard ? dashboard.total > 0 && dashboard.p99 < 50 && failures(dashboard) === 0 : null,
    },
    {
      name: 'Case search (the eight words in turn), biggest company, p99 at 1 connection',
      target: '< 50 ms',
      measured: search ? `${ms(search.p99)} ms (p50 ${ms(search.p50)} ms)` : 'not measured',
      met: search ? search.total > 0 && search.p99 < 50 && failures(search) === 0 : null,
    },
    {
      name: 'Case list without a query, biggest company, p99 at 1 connection',
      target: '< 20 ms',
      measured: caseList ? `${ms(caseList.p99)} ms (p50 ${ms(caseList.p50)} ms)` : 'not measured',
      met: caseList ? caseList.total > 0 && caseList.p99 < 20 && failures(caseList) === 0 : null,
    },
    {
      name: `Customer message post at ${WORKING_CONNECTIONS} connections vs one-row commits/s, same database`,
      target: '≥ 60 %',
      measured: bound
        ? `${(bound.share * 100).toFixed(0)} % (${bound.posts.toFixed(0)} posts/s of ${bound.commits.toFixed(0)} commits/s)`
        : whyNoBound,
      met: bound ? bound.share >= 0.6 : null,
    },
  ];
}

/** The browser and bundle budgets. */
export function webBudgets(results: BenchResults): Budget[] {
  const budgets: Budget[] = [];
  if (results.web && !('error' in results.web)) {
    const customer = results.web.find((entry) => entry.entry.startsWith('customer'));
    if (customer) {
      budgets.push({
        name: 'Customer page gzipped first-load JS',
        target: '≤ 100 KB',
        measured: kb(customer.gzipBytes),
        met: customer.gzipBytes <= 100 * 1024,
      });
    }
  }
  budgets.push(...lighthouseBudgets(results.lighthouse));
  if (results.browser && !('error' in results.browser)) {
    const m = results.browser.median;
    budgets.push(
      {
        name: 'Customer page LCP (375 px, CPU 4×)',
        target: '≤ 2 500 ms',
        measured: m.lcpMs === null ? 'no LCP entry' : `${m.lcpMs.toFixed(0)} ms`,
        met: m.lcpMs === null ? null : m.lcpMs <= 2500 && m.rendered,
      },
      { name: 'Customer page CLS', target: '≤ 0.1', measured: m.cls.toFixed(3), met: m.cls <= 0.1 },
      {
        name: 'Customer page INP (one menu click, approximation)',
        target: '≤ 200 ms',
        measured: m.inpMs === null ? 'no event ≥ 16 ms (fast)' : `${m.inpMs.toFixed(0)} ms`,
        met: m.inpMs === null ? true : m.inpMs <= 200,
      },
    );
  }
  return budgets;
}

/** Lighthouse's budgets from issue 13: the scores and the two paint metrics of the mobile preset. */
function lighthouseBudgets(lighthouse: BenchResults['lighthouse']): Budget[] {
  if (!lighthouse || 'error' in lighthouse) return [];
  const scoreBudget = (name: string, value: number | null, minimum: number): Budget => ({
    name: `Customer page Lighthouse (mobile): ${name}`,
    target: minimum === 100 ? '100' : `≥ ${minimum}`,
    measured: value === null ? 'not scored' : String(value),
    met: value === null ? null : value >= minimum,
  });
  const msBudget = (name: string, value: number | null, maximum: number): Budget => ({
    name: `Customer page Lighthouse (mobile): ${name}`,
    target: `≤ ${maximum.toLocaleString('en').replace(',', ' ')} ms`,
    measured: value === null ? 'not measured' : `${value.toFixed(0)} ms`,
    met: value === null ? null : value <= maximum,
  });
  const { scores } = lighthouse;
  return [
    scoreBudget('performance', scores.performance, 98),
    scoreBudget('accessibility', scores.accessibility, 100),
    scoreBudget('best practices', scores.bestPractices, 100),
    scoreBudget('SEO', scores.seo, 100),
    msBudget('FCP', lighthouse.fcpMs, 1200),
    msBudget('LCP', lighthouse.lcpMs, 1500),
  ];
}

const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? '**met**' : '**NOT MET**');

function budgetTable(budgets: Budget[]): string[] {
  return [
    '| budget | target | measured | verdict |',
    '| --- | --- | --- | --- |',
    ...budgets.map((b) => `| ${b.name} | ${b.target} | ${b.measured} | ${verdict(b.met)} |`),
  ];
}

function loadTable(database: DatabaseResults, options: BenchOptions): string[] {
  const lines = [
    '| scenario | connections | p50 ms | p99 ms | max ms | req/s | requests | non-2xx | errors (timeouts) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const scenario of database.scenarios) {
    if (scenario.runs.length === 0) {
      lines.push(`| ${scenario.label} | – | – | – | – | – | – | – | ${scenario.note ?? 'not run'} |`);
      continue;
    }
    for (const run of scenario.runs) {
      if (run.failed || run.total === 0) {
        const why = run.failed ?? `no response within the ${options.duration} s run`;
        lines.push(`| ${scenario.label} | ${run.connections} | – | – | – | 0 | 0 | – | ${why} |`);
        continue;
      }
      const codes = Object.entries(run.statusCodes)
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, n]) => `${n}×${code}`)
        .join(', ');
      lines.push(
        `| ${scenario.label} | ${run.connections} | ${ms(run.p50)} | ${ms(run.p99)} | ${ms(run.max)} | ` +
          `${run.requestsPerSecond.toFixed(0)} | ${run.total} | ${run.non2xx}${codes ? ` (${codes})` : ''} | ` +
          `${run.errors} (${run.timeouts}) |`,
      );
    }
  }
  const notes = database.scenarios
    .filter((s) => s.runs.length > 0 && s.note)
    .map((s) => `- ${s.label}: ${s.note}`);
  return notes.length ? [...lines, '', ...notes] : lines;
}

function commitBoundSection(database: DatabaseResults): string[] {
  const rate = database.commitRate;
  if (rate === null) return [];
  const title = `### Durable-commit bound of the message post (${database.label})`;
  if ('error' in rate) return ['', title, '', `Not measured: ${rate.error}`];
  const bound = commitBound(database);
  return [
    '',
    title,
    '',
    `A one-row insert transaction in a scratch table of the same ${database.label === 'SQLite' ? 'file' : 'database'} ` +
      `(created and dropped by the bench), right after the message post runs: ` +
      `**${rate.commitsPerSecond.toFixed(0)} commits/s** (${rate.commits} in ${rate.seconds.toFixed(1)} s, ` +
      `${rate.connections} connection${rate.connections === 1 ? '' : 's'}` +
      (rate.connections === 1 ? ': SQLite lets one writer commit at a time' : '') +
      `; ${rate.settings}).`,
    '',
    bound
      ? `The message post at ${WORKING_CONNECTIONS} connections: ${bound.posts.toFixed(0)} posts/s (2xx) = ` +
        `**${(bound.share * 100).toFixed(0)} %** of that (budget ≥ 60 %).`
      : `No message post run at ${WORKING_CONNECTIONS} connections to compare with.`,
  ];
}

function scaleOutSection(database: DatabaseResults): string[] {
  const scaleOut = database.scaleOut;
  if (scaleOut === null) return [];
  const title = `### Two app processes on one ${database.label} database`;
  if ('error' in scaleOut) return ['', title, '', `Not measured: ${scaleOut.error}`];
  const lines = [
    '',
    title,
    '',
    `A second app process (same DATA_DIR, so the same session secret; same public base URL) on another ` +
      `port. Each scenario at ${scaleOut.connections} connections, split over two autocannon instances both ` +
      'times: both on the first process, then one on each, then both on the first again; the ratio is ' +
      'two-process req/s over the mean of the two one-process runs. Latencies are over all requests of a run.',
    '',
    '| scenario | processes | p50 ms | p99 ms | req/s | requests | non-2xx | errors | two / one |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { label, one, two, ratio } of scaleOut.scenarios) {
    const rows = [
      ['1', one[0]],
      ['2', two],
      ['1 (again)', one[1]],
    ] as const;
    for (const [processes, run] of rows) {
      const cells = run.failed
        ? `– | – | 0 | 0 | – | ${run.failed}`
        : `${ms(run.p50)} | ${ms(run.p99)} | ${run.requestsPerSecond.toFixed(0)} | ${run.total} | ${run.non2xx} | ${run.errors}`;
      const ratioCell = processes === '2' ? (ratio === null ? '–' : `**${ratio.toFixed(2)}×**`) : '';
      lines.push(`| ${label} | ${processes} | ${cells} | ${ratioCell} |`);
    }
  }
  return [
    ...lines,
    '',
    'The load generator, PostgreSQL and both processes share the same cores: the ratio shows what a ' +
      'second process adds on this machine, not on one with a core per process. The first process is the ' +
      "bench's own (it generated the data set), the second a fresh one.",
  ];
}

function lighthouseSection(lighthouse: BenchResults['lighthouse']): string[] {
  const lines = ['', '### Customer page in Lighthouse (mobile preset, from a real link)', ''];
  if (lighthouse === null)
    return [...lines, 'Not measured (--no-lighthouse or --no-browser, or no web build).'];
  if ('error' in lighthouse) return [...lines, `Not measured: ${lighthouse.error}`];
  const { scores } = lighthouse;
  const value = (n: number | null, unit = ' ms') => (n === null ? '–' : `${n.toFixed(0)}${unit}`);
  lines.push(
    `Lighthouse ${lighthouse.version} on \`${new URL(lighthouse.url).pathname}\` with the session cookie of a link ` +
      `opened over HTTP; ${lighthouse.settings}; Debian's Chromium (${lighthouse.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? '?'}); ` +
      `benchmark index ${lighthouse.benchmarkIndex.toFixed(0)}.`,
    '',
    '',
    "The 4× CPU slowdown is applied on top of this machine's own speed (Lighthouse's benchmark index " +
      'above): on a slower or busy machine the simulated main-thread times, TBT and the paints that wait ' +
      'for them come out higher than on the phone the preset stands for. Network figures are simulated ' +
      'from the transfer sizes the browser saw.',
    '',
    '| performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | Speed Index |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${scores.performance ?? '–'} | ${scores.accessibility ?? '–'} | ${scores.bestPractices ?? '–'} | ` +
      `${scores.seo ?? '–'} | ${value(lighthouse.fcpMs)} | ${value(lighthouse.lcpMs)} | ${value(lighthouse.tbtMs)} | ` +
      `${lighthouse.cls === null ? '–' : lighthouse.cls.toFixed(3)} | ${value(lighthouse.speedIndexMs)} |`,
  );
  if (lighthouse.lcpElement)
    lines.push('', `LCP element: \`${lighthouse.lcpElement.replace(/`/g, "'").slice(0, 200)}\``);
  if (lighthouse.shortfalls.length) {
    lines.push('', 'Audits that cost points:', '');
    for (const short of lighthouse.shortfalls)
      lines.push(
        `- ${short.category}: ${short.title.replace(/\s+/g, ' ')} (\`${short.audit}\`, score ${short.score}` +
          `${short.displayValue ? `, ${short.displayValue}` : ''})`,
      );
  }
  if (lighthouse.warnings.length)
    lines.push('', ...lighthouse.warnings.map((w) => `- ⚠ ${w.replace(/\s+/g, ' ')}`));
  return lines;
}

function startupSection(startup: BenchResults['startup']): string[] {
  if (startup === null) return [];
  const lines = ['', '## Server start-up (spawn → `/readyz` answering, empty SQLite, production mode)', ''];
  if ('error' in startup) return [...lines, `Not measured: ${startup.error}`];
  lines.push(
    '| variant | median start-up | runs (s) | median RSS when ready |',
    '| --- | ---: | --- | ---: |',
  );
  for (const v of startup.variants) {
    lines.push(
      `| ${v.label} | ${(v.medianMs / 1000).toFixed(2)} s | ${v.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} | ${v.medianRssMiB.toFixed(0)} MiB |`,
    );
  }
  lines.push(
    '',
    'Migrations of an empty database are part of each start. `npm start` runs the compiled server; ' +
      'the sources under tsx are how it ran before (and how tests and `npm run dev` run it).',
  );
  return lines;
}

function profileSection(database: DatabaseResults): string[] {
  const run = database.profile;
  if (!run || run.requests === 0) return [];
  const perRequest = run.profile.busyMs / run.requests;
  return [
    '',
    `### Where the customer page's time goes (${database.label})`,
    '',
    `An extra ${run.seconds.toFixed(0)} s run at 10 connections under V8's sampling profiler (not in the ` +
      `table above): ${run.requests} requests, **${perRequest.toFixed(2)} ms of app-process CPU per request** ` +
      `(${(run.profile.busyMs / 1000).toFixed(1)} s busy, ${(run.profile.idleMs / 1000).toFixed(1)} s idle).`,
    '',
    '| by package / folder | share of CPU | ms per request |',
    '| --- | ---: | ---: |',
    ...run.profile.packages.map(
      (line) =>
        `| ${line.name} | ${(line.share * 100).toFixed(1)} % | ${(line.ms / run.requests).toFixed(2)} |`,
    ),
    '',
    '| hottest functions (self time) | share of CPU |',
    '| --- | ---: |',
    ...run.profile.functions.map((line) => `| \`${line.name}\` | ${(line.share * 100).toFixed(1)} % |`),
  ];
}

function planSection(plans: ScenarioPlans[]): string[] {
  const lines: string[] = [];
  for (const scenario of plans) {
    const slow = scenario.queries.reduce((sum, q) => sum + (Number.isFinite(q.ms) ? q.ms * q.times : 0), 0);
    lines.push(
      '',
      `#### ${scenario.scenario} — \`${scenario.request}\` → ${scenario.status}`,
      '',
      `${scenario.queryCount} queries in the request (${scenario.queries.length} distinct), ` +
        `${ms(slow)} ms in the database.`,
    );
    const warnings = scenario.queries.flatMap((q) => q.warnings);
    if (warnings.length) lines.push('', ...[...new Set(warnings)].map((w) => `- ⚠ ${w}`));
    for (const query of scenario.queries) {
      const sqlText = query.sql.replace(/\s+/g, ' ');
      const shown = sqlText.length > 400 ? `${sqlText.slice(0, 400)} …` : sqlText;
      const direct = query.directMs === null ? '' : `, direct ${ms(query.directMs)} ms`;
      const times = query.times > 1 ? ` ×${query.times}` : '';
      // Plans of PostgreSQL run long: keep the plan nodes (scans, joins, sorts) and their conditions,
      // drop the buffer and memory details, at most 30 lines.
      const nodes = query.plan.filter(
        (line) =>
          !/^\s*(Buffers|Sort Method|Batches|Buckets|Memory Usage|Planning:|Planning Time|Rows Removed)/.test(
            line,
          ),
      );
      const plan = nodes.length > 30 ? [...nodes.slice(0, 30), '…'] : nodes;
      lines.push(
        '',
        `- ${Number.isFinite(query.ms) ? ms(query.ms) : '?'} ms in request${direct}${times}: \`${shown.replace(/`/g, "'")}\``,
        '',
        '  ```',
        ...plan.map((line) => `  ${line}`),
        '  ```',
      );
    }
  }
  return lines;
}

/** docs/benchmarks.md of this run. */
export function renderReport(results: BenchResults): string {
  const { machine, options } = results;
  const defaults = options.cases === 130_000 && options.companies === 4 && options.eventsPerCase === 16;
  const first = results.databases[0];
  const events = first?.rowCounts.case_events ?? 0;
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (scripts/bench/); overwritten by every run. -->',
    '',
    `Run of ${results.date} (${(results.totalSeconds / 60).toFixed(1)} min). ` +
      (defaults
        ? 'Default data-set size.'
        : `**Not the default size** (\`--cases ${options.cases} --companies ${options.companies} --events-per-case ${options.eventsPerCase}\`): figures are indicative only.`),
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu} × ${machine.cores} cores; RAM ${machine.ramGb.toFixed(1)} GB; ${machine.os}`,
    `- Node ${machine.node}; ${results.databases.map((d) => d.version).join('; ') || 'no database run'}`,
    `- Load generator: autocannon in a child process on the same machine (the quality bar counts it in)`,
    `- Each load run: ${options.duration} s; customer sessions rotate per request`,
    '',
    '## Data set',
    '',
    `${options.cases} cases over ${options.companies} companies (${results.companySizes.join(' / ')}; the ` +
      `biggest company is the one the dashboard and search are measured in), ${events} case events ` +
      `(${(events / Math.max(1, options.cases)).toFixed(1)} per case: each case's real life cycle, topped up ` +
      `with calls, edits and uploads to at least ~${options.eventsPerCase} on average). ` +
      'Cases are in every state (about half open or on hold), with contacts, ' +
      'customer-access grants and their sent link messages, main inspections, repair tasks, calls, document ' +
      'metadata, reminders, quote requests, invoices, budgets and message threads; open items fall around ' +
      'today so every dashboard column has numbers.',
    '',
  ];
  if (first) {
    lines.push('| table | rows |', '| --- | ---: |');
    for (const [table, count] of Object.entries(first.rowCounts)) lines.push(`| ${table} | ${count} |`);
    lines.push('');
    lines.push(
      `Generated once and written to ${results.databases.map((d) => d.label).join(' and ')} together ` +
        `(SQLite: prepared statements, one transaction per 1 000 cases; PostgreSQL: \`insert … select * from ` +
        `unnest(…)\` per table, 5 000 rows a statement) in ${first.generationSeconds.toFixed(0)} s.`,
    );
  }

  lines.push('', '## Quality-bar budgets', '');
  const all: Budget[] = [];
  for (const database of results.databases) {
    all.push(...databaseBudgets(database).map((b) => ({ ...b, name: `${database.label}: ${b.name}` })));
  }
  all.push(...webBudgets(results));
  lines.push(...budgetTable(all));

  for (const database of results.databases) {
    const ratios = bareRatios(database);
    lines.push(
      '',
      `## ${database.label}`,
      '',
      `${database.customerSessions} customer sessions (opened over \`GET /k/<token>\`); the customer-page ` +
        `answer is about ${database.responseBytes} bytes.`,
      '',
      ...loadTable(database, options),
      '',
      'Customer-page API throughput / bare `http` server with the same bytes: ' +
        ratios.perConnections
          .map((r) => `${r.connections} conn ${r.ratio === null ? '–' : `${(r.ratio * 100).toFixed(0)} %`}`)
          .join(', ') +
        (ratios.peak === null ? '' : `; peak vs peak ${(ratios.peak * 100).toFixed(0)} %.`),
      ...commitBoundSection(database),
      ...scaleOutSection(database),
      ...profileSection(database),
      '',
      `### Query plans (${database.label})`,
      ...planSection(database.plans),
    );
  }

  lines.push('', '## Web', '');
  if (results.web === null) lines.push('Not built.');
  else if ('error' in results.web) lines.push(`Build failed: ${results.web.error}`);
  else {
    lines.push('| entry | gzipped first-load JS | files |', '| --- | ---: | --- |');
    for (const entry of results.web)
      lines.push(`| ${entry.label} | ${kb(entry.gzipBytes)} | ${entry.files.join(', ')} |`);
  }
  lines.push('', '### Customer page in Chromium (375 px, CPU throttled 4×, from a real link)', '');
  if (results.browser === null) lines.push('Not measured (--no-browser, or no web build).');
  else if ('error' in results.browser) lines.push(`Not measured: ${results.browser.error}`);
  else {
    lines.push(
      '| run | FCP ms | LCP ms | CLS | TBT ms | long tasks | INP ms (1 click) | page shown |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    results.browser.runs.forEach((run, i) =>
      lines.push(
        `| ${i + 1} | ${run.fcpMs?.toFixed(0) ?? '–'} | ${run.lcpMs?.toFixed(0) ?? '–'} | ${run.cls.toFixed(3)} | ` +
          `${run.tbtMs.toFixed(0)} | ${run.longTasks} | ${run.inpMs?.toFixed(0) ?? '< 16'} | ${run.rendered ? 'yes' : 'NO'} |`,
      ),
    );
    lines.push(
      '',
      'The budget rows use the median run by LCP. TBT counts long tasks after FCP until the measurement ends.',
    );
  }
  lines.push(...lighthouseSection(results.lighthouse));
  lines.push(...startupSection(results.startup));
  if (results.harnessErrors.length) {
    lines.push('', '## Harness errors', '', ...results.harnessErrors.map((e) => `- ${e}`));
  }
  lines.push(
    '',
    '## How to run',
    '',
    '```sh',
    'npm run bench                                   # defaults: 130 000 cases, 4 companies, SQLite + PostgreSQL',
    'npm run bench -- --cases 3000 --duration 2      # a quick look',
    'npm run bench -- --help                         # every option',
    '```',
    '',
  );
  return lines.join('\n');
}
