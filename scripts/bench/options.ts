import { parseArgs } from 'node:util';

/** Every knob of `npm run bench`; flags win over environment variables (BENCH_*). */
export interface BenchOptions {
  /** Total cases over all companies. */
  cases: number;
  companies: number;
  /** Cases of the biggest company (the dashboard and search are measured as one of its staff). */
  biggestCompanyCases: number;
  /** Average case events per case (≥ 2 000 000 events with the defaults). */
  eventsPerCase: number;
  /** Seconds of each autocannon run. */
  duration: number;
  /** Customer sessions opened over HTTP (one per random case). */
  sessions: number;
  seed: number;
  /** Admin URL of PostgreSQL; the bench creates and drops its own database next to it. */
  pgUrl: string;
  /** Name of that database (two benches at once on one server need different names). */
  pgDatabase: string;
  sqlite: boolean;
  postgres: boolean;
  browser: boolean;
  /** Commits/s of a one-row insert beside the message post (the durable-commit bound). */
  commitBound: boolean;
  /** A second app process on the PostgreSQL database, measured beside one. */
  scaleOut: boolean;
  /** Lighthouse of the customer page (needs the browser part). */
  lighthouse: boolean;
  /** Rounds of server start-up (compiled vs tsx); 0 skips it. */
  startupRounds: number;
  /** Where the report goes. */
  reportFile: string;
}

const numberOf = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a number, got ${value}`);
  return parsed;
};

/** A database name that is safe to put into CREATE/DROP DATABASE unquoted. */
function pgDatabaseName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`--pg-database must be lower-case letters, digits and _, got ${name}`);
  }
  return name;
}

/** Reads flags (`--cases 3000 --duration 2 --no-postgres`) and BENCH_* environment variables. */
export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string' },
      companies: { type: 'string' },
      'biggest-company': { type: 'string' },
      'events-per-case': { type: 'string' },
      duration: { type: 'string' },
      sessions: { type: 'string' },
      seed: { type: 'string' },
      'pg-url': { type: 'string' },
      'pg-database': { type: 'string' },
      report: { type: 'string' },
      'no-sqlite': { type: 'boolean' },
      'no-postgres': { type: 'boolean' },
      'no-browser': { type: 'boolean' },
      'no-commit-bound': { type: 'boolean' },
      'no-scale-out': { type: 'boolean' },
      'no-lighthouse': { type: 'boolean' },
      'startup-rounds': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      [
        'npm run bench -- [options]',
        '  --cases N               total cases (default 130000; BENCH_CASES)',
        '  --companies N           companies (default 4; BENCH_COMPANIES)',
        '  --biggest-company N     cases of the biggest company (default min(100000, 77% of cases))',
        '  --events-per-case N     average case events per case (default 16)',
        '  --duration S            seconds per load run (default 5; BENCH_DURATION)',
        '  --sessions N            customer sessions opened over HTTP (default 200)',
        '  --seed N                data-set seed (default 2026)',
        '  --pg-url URL            PostgreSQL admin URL (default postgres://postgres@127.0.0.1:5432/test)',
        '  --pg-database NAME      the bench database created beside it (default ks_bench; BENCH_PG_DATABASE)',
        '  --report FILE           report path (default docs/benchmarks.md)',
        '  --no-sqlite --no-postgres --no-browser   skip a part (--no-browser skips Lighthouse too)',
        '  --no-commit-bound       skip the one-row commit rate beside the message post',
        '  --no-scale-out          skip the second app process on PostgreSQL',
        '  --no-lighthouse         skip Lighthouse of the customer page',
        '  --startup-rounds N      server starts measured per variant, compiled vs tsx (default 5; 0 skips)',
      ].join('\n'),
    );
    process.exit(0);
  }
  const cases = Math.floor(numberOf(values.cases ?? env.BENCH_CASES, 'cases', 130_000));
  const companies = Math.max(
    1,
    Math.floor(numberOf(values.companies ?? env.BENCH_COMPANIES, 'companies', 4)),
  );
  const biggestDefault = companies === 1 ? cases : Math.min(100_000, Math.round(cases * 0.77));
  const biggest = Math.min(
    cases,
    Math.floor(numberOf(values['biggest-company'], 'biggest-company', biggestDefault)),
  );
  return {
    cases,
    companies,
    biggestCompanyCases: biggest,
    eventsPerCase: numberOf(values['events-per-case'] ?? env.BENCH_EVENTS_PER_CASE, 'events-per-case', 16),
    duration: numberOf(values.duration ?? env.BENCH_DURATION, 'duration', 5),
    sessions: Math.max(2, Math.floor(numberOf(values.sessions ?? env.BENCH_SESSIONS, 'sessions', 200))),
    seed: Math.floor(numberOf(values.seed, 'seed', 2026)),
    pgUrl: values['pg-url'] ?? env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    pgDatabase: pgDatabaseName(values['pg-database'] ?? env.BENCH_PG_DATABASE ?? 'ks_bench'),
    sqlite: !values['no-sqlite'],
    postgres: !values['no-postgres'],
    browser: !values['no-browser'],
    commitBound: !values['no-commit-bound'],
    scaleOut: !values['no-scale-out'],
    lighthouse: !values['no-browser'] && !values['no-lighthouse'],
    startupRounds: Math.floor(numberOf(values['startup-rounds'], 'startup-rounds', 5)),
    reportFile: values.report ?? 'docs/benchmarks.md',
  };
}

/** How many cases each company gets: the biggest first, the rest shared evenly. */
export function companySizes(options: Pick<BenchOptions, 'cases' | 'companies' | 'biggestCompanyCases'>) {
  if (options.companies === 1) return [options.cases];
  const rest = options.cases - options.biggestCompanyCases;
  const others = options.companies - 1;
  return [
    options.biggestCompanyCases,
    ...Array.from({ length: others }, (_, i) => Math.floor(rest / others) + (i < rest % others ? 1 : 0)),
  ];
}
