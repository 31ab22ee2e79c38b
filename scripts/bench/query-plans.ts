import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { buildApp } from '../../src/server/app.ts';
import type { Config } from '../../src/server/config.ts';
import type { Db } from '../../src/server/db/database.ts';

/**
 * The plans of the hottest queries, taken from the real SQL: a second instance of the app runs on
 * the same database through a Kysely plugin that records every query a request makes (compiled by
 * the app's own query builders, with its parameters and time). One request per scenario is made with
 * `inject`; each distinct query is then explained — EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE,
 * BUFFERS) on PostgreSQL inside a transaction that is rolled back, so an explained INSERT leaves no
 * row. Full scans of the big tables are flagged.
 */

export interface RecordedQuery {
  sql: string;
  parameters: readonly unknown[];
  /** Time from compile to result inside the request, ms. */
  ms: number;
}

export interface ExplainedQuery extends RecordedQuery {
  /** How many times the request ran this exact SQL. */
  times: number;
  plan: string[];
  /** Median of five direct runs (SQLite SELECTs), or the execution time ANALYZE reports (PostgreSQL). */
  directMs: number | null;
  warnings: string[];
}

export interface ScenarioPlans {
  scenario: string;
  request: string;
  status: number;
  /** Queries the request made (an N+1 shows up as a large number). */
  queryCount: number;
  queries: ExplainedQuery[];
}

/** Records the compiled SQL of every query while `recording` is set. */
class QueryRecorder implements KyselyPlugin {
  recording: RecordedQuery[] | null = null;
  private started = new Map<QueryId, { entry: RecordedQuery; at: number }>();

  constructor(private compile: (node: RootOperationNode, queryId: QueryId) => CompiledQuery) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (this.recording) {
      const compiled = this.compile(node, queryId);
      const entry = { sql: compiled.sql, parameters: compiled.parameters, ms: Number.NaN };
      this.recording.push(entry);
      this.started.set(queryId, { entry, at: performance.now() });
    }
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const started = this.started.get(queryId);
    if (started) {
      started.entry.ms = performance.now() - started.at;
      this.started.delete(queryId);
    }
    return result;
  }
}

/** Tables big enough that a full scan of one is a finding (everything per case, and cases). */
const bigTables = new Set([
  'cases',
  'case_contacts',
  'case_search',
  'case_events',
  'tasks',
  'calls',
  'documents',
  'reminders',
  'quote_requests',
  'invoices',
  'budget_lines',
  'customer_access',
  'customer_sessions',
  'outbox',
  'case_messages',
  'message_attachments',
  'staff_notifications',
  'dashboard_entries',
]);

/** A scenario: one request the recorder follows. */
export interface PlanRequest {
  scenario: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Runs each request once on a recording app over `db` and explains what it ran. */
export async function explainHotQueries(
  db: Db,
  config: Config,
  requests: PlanRequest[],
): Promise<ScenarioPlans[]> {
  const executor = db.getExecutor();
  const recorder = new QueryRecorder((node, queryId) => executor.compileQuery(node, queryId));
  const traced = db.withPlugin(recorder);
  const app = await buildApp(config, { db: traced, logger: false });
  const results: ScenarioPlans[] = [];
  try {
    for (const request of requests) {
      recorder.recording = [];
      const response = await app.inject({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.body === undefined ? {} : { payload: request.body }),
      });
      const recorded = recorder.recording;
      recorder.recording = null;
      const distinct = new Map<string, RecordedQuery & { times: number }>();
      // Builders compiled only to be embedded in another query (the dashboard's subqueries) never
      // get a result: only executed queries count.
      const executed = recorded.filter((query) => Number.isFinite(query.ms));
      for (const query of executed) {
        if (/^(begin|commit|rollback|savepoint|release)/i.test(query.sql.trim())) continue;
        const seen = distinct.get(query.sql);
        if (seen) seen.times += 1;
        else distinct.set(query.sql, { ...query, times: 1 });
      }
      const explained =
        config.database.kind === 'sqlite'
          ? await explainSqlite(db, [...distinct.values()])
          : await explainPostgres(db, [...distinct.values()]);
      results.push({
        scenario: request.scenario,
        request: `${request.method} ${request.url}`,
        status: response.statusCode,
        queryCount: executed.length,
        queries: explained,
      });
    }
  } finally {
    await app.close();
  }
  return results;
}

/** `"table" as "alias"` pairs of a query, so a plan line naming an alias names its table. */
function aliasesOf(sqlText: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const match of sqlText.matchAll(/"(\w+)" as "(\w+)"/g)) aliases.set(match[2]!, match[1]!);
  return aliases;
}

async function explainSqlite(
  db: Db,
  queries: Array<RecordedQuery & { times: number }>,
): Promise<ExplainedQuery[]> {
  const out: ExplainedQuery[] = [];
  for (const query of queries) {
    const { rows } = await db.executeQuery<{ id: number; parent: number; detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    const depth = new Map<number, number>();
    const plan = rows.map((row) => {
      const level = (depth.get(row.parent) ?? -1) + 1;
      depth.set(row.id, level);
      return `${'  '.repeat(level)}${row.detail}`;
    });
    const aliases = aliasesOf(query.sql);
    const warnings: string[] = [];
    for (const row of rows) {
      const match = /^SCAN (\w+)(.*)$/.exec(row.detail);
      if (!match) continue;
      const table = aliases.get(match[1]!) ?? match[1]!;
      if (!bigTables.has(table)) continue;
      warnings.push(
        /USING (COVERING )?INDEX/.test(match[2] ?? '')
          ? `full index scan of ${table}: ${row.detail}`
          : `FULL TABLE SCAN of ${table}: ${row.detail}`,
      );
    }
    let directMs: number | null = null;
    if (/^\s*(select|with)/i.test(query.sql)) {
      const times: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        await db.executeQuery(CompiledQuery.raw(query.sql, [...query.parameters]));
        times.push(performance.now() - started);
      }
      directMs = times.sort((a, b) => a - b)[2] ?? null;
    }
    out.push({ ...query, plan, directMs, warnings });
  }
  return out;
}

class Rollback extends Error {}

async function explainPostgres(
  db: Db,
  queries: Array<RecordedQuery & { times: number }>,
): Promise<ExplainedQuery[]> {
  const out: ExplainedQuery[] = [];
  await db
    .transaction()
    .execute(async (trx) => {
      for (const query of queries) {
        // An INSERT run again would collide with the row the request wrote: plan it without running it.
        const analyze = !/^\s*insert/i.test(query.sql);
        const explain = analyze ? 'explain (analyze, buffers)' : 'explain';
        // Each explain in its own savepoint: a failing one must not abort the others.
        await trx.executeQuery(CompiledQuery.raw('savepoint bench_explain'));
        let plan: string[];
        try {
          const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`${explain} ${query.sql}`, [...query.parameters]),
          );
          plan = rows.map((row) => row['QUERY PLAN']);
        } catch (error) {
          await trx.executeQuery(CompiledQuery.raw('rollback to savepoint bench_explain'));
          plan = [`explain failed: ${error instanceof Error ? error.message : String(error)}`];
        }
        const warnings = plan
          .map((line) => /Seq Scan on (\w+)/.exec(line))
          .filter((match): match is RegExpExecArray => match !== null && bigTables.has(match[1]!))
          .map((match) => `FULL TABLE SCAN (Seq Scan) of ${match[1]}`);
        const execution = plan.map((line) => /Execution Time: ([\d.]+) ms/.exec(line)).find(Boolean);
        out.push({ ...query, plan, directMs: execution ? Number(execution[1]) : null, warnings });
      }
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return out;
}
