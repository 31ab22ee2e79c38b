import type { BrowserMetrics } from './browser-metrics.ts';
import type { CpuProfile } from './cpu-profile.ts';
import type { TableName } from './bulk-insert.ts';
import type { Machine } from './machine.ts';
import type { LoadResult } from './measure.ts';
import type { BenchOptions } from './options.ts';
import type { ScenarioPlans } from './query-plans.ts';
import type { EntrySize } from './web-size.ts';

/** Everything one `npm run bench` found; report.ts turns it into docs/benchmarks.md. */
export interface BenchResults {
  date: string;
  machine: Machine;
  options: BenchOptions;
  companySizes: number[];
  databases: DatabaseResults[];
  web: EntrySize[] | { error: string } | null;
  browser: BrowserMetrics | { error: string } | null;
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
  const failures = (run: LoadResult) => run.errors + run.non2xx;
  return [
    {
      name: 'Customer-page API p99 at 10 connections',
      target: '< 10 ms',
      measured: at10 ? `${ms(at10.p99)} ms` : 'not measured',
      met: at10 ? at10.total > 0 && at10.p99 < 10 : null,
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
      target: '≥ 40 %',
      measured: ratio === null ? 'not measured' : `${(ratio * 100).toFixed(0)} %`,
      met: ratio === null ? null : ratio >= 0.4,
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
