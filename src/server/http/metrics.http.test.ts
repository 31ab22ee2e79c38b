import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { bearer, makeActor, makeApiKey, makeCase } from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { testConfig, useTestApp } from '../../../test/support/test-app.ts';
import { createTestDatabase } from '../../../test/support/databases.ts';
import { skipReason } from '../../../test/support/skip-unavailable.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createMetrics } from './metrics.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { runOutboxOnce } from '../outbox/worker.ts';

// GET /metrics (issue 17): Prometheus text for a scraper with METRICS_TOKEN, nothing for anyone
// else, and no route at all without the token; each metric moves when what it measures does.

const TOKEN = 'metrics-token-metrics-token-metrics-0001';
const sinks = useSinks();
const env: Record<string, string> = { METRICS_TOKEN: TOKEN };
// The sinks' addresses are known once they started, before the app is built.
beforeAll(() => void Object.assign(env, sinks.env));
const t = useTestApp(env);
let base = '';

beforeAll(async () => {
  if (skipReason) return;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

/** One scrape, as Prometheus does it. */
async function scrape(): Promise<string> {
  const response = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** The value of the sample `name` whose labels include `labels`; undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => have[key] === value)) return Number(match[3]);
  }
  return undefined;
}

const valueOf = async (name: string, labels: Record<string, string> = {}) =>
  sample(await scrape(), name, labels) ?? 0;

/** Waits until `check` holds (stream counts change when the socket's events arrive). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens an event stream over the socket and resolves once its head arrived; destroy() closes it. */
function openStream(url: string, headers: Record<string, string>): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`stream answered ${response.statusCode}`));
      else resolve(request);
    });
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
    request.end();
  });
}

/** Queues an SMS directly (the outbox's own entry point), as if queued `ageMs` ago. */
async function queueSms(ageMs = 0) {
  const actor = await makeActor(t.db, { level: 6 });
  const s = uniqueSuffix();
  return enqueueMessage(
    t.db,
    {
      companyId: actor.companyId,
      kind: 'staff_notice',
      channel: 'sms',
      recipient: '+4791234567',
      senderName: 'Kundeside',
      bodyText: `Ny melding ${s}`,
      idempotencyKey: `metrics-test:${s}`,
    },
    new Date(Date.now() - ageMs),
  );
}

describe('GET /metrics: who gets it', () => {
  it('answers 401 metrics_token_required without a token, with a wrong one, and with another scheme', async () => {
    const wrong = `${TOKEN.slice(0, -1)}2`;
    for (const headers of [{}, bearer(wrong), bearer(''), { authorization: `Basic ${TOKEN}` }]) {
      const response = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.json()).toEqual({
        error: { code: 'metrics_token_required', message: expect.any(String) },
      });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(response.body).not.toContain('process_cpu');
    }
  });

  it('answers the token with Prometheus text, never cached, and process metrics in it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(sample(response.body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(response.body, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('is not in the OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).not.toContain('/metrics');
    expect(Object.keys(document.paths)).toContain('/healthz');
  });

  it('does not exist while METRICS_TOKEN is unset: 404 as any unknown path, and nothing is measured', async () => {
    if (skipReason) return;
    const testDb = await createTestDatabase();
    const db = createDb(testDb.database);
    try {
      await migrateToLatest(db);
      const app = await buildApp(testConfig(testDb), { db, logger: false });
      try {
        expect(app.metrics).toBeNull();
        for (const headers of [{}, bearer(TOKEN)]) {
          const response = await app.inject({ method: 'GET', url: '/metrics', headers });
          expect(response.statusCode).toBe(404);
          expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
        }
      } finally {
        await app.close();
      }
    } finally {
      await db.destroy();
      await testDb.drop();
    }
  });

  it('refuses a METRICS_TOKEN shorter than 32 characters at start, naming it', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short', SESSION_SECRET: TOKEN })).toThrow(
      /METRICS_TOKEN: must be at least 32 characters/,
    );
    expect(() => loadConfig({ METRICS_TOKEN: `${TOKEN} x`, SESSION_SECRET: TOKEN })).toThrow(
      /METRICS_TOKEN: must be printable ASCII without spaces/,
    );
  });
});

describe('GET /metrics: what it measures', () => {
  it('times requests by route pattern and status, never by the raw URL', async () => {
    const actor = await makeActor(t.db, { level: 6 });
    const { key } = await makeApiKey(t.db, actor.companyId);
    const { id } = await makeCase(t.db, actor);
    const labels = { method: 'GET', route: '/api/cases/:id', status_code: '200' };
    const before = await valueOf('http_request_duration_seconds_count', labels);
    for (let n = 0; n < 3; n += 1) {
      const response = await t.app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: bearer(key) });
      expect(response.statusCode).toBe(200);
    }
    const missing = await t.app.inject({
      method: 'GET',
      url: `/no-such-page-${uniqueSuffix()}`,
      headers: { accept: 'application/json' },
    });
    expect(missing.statusCode).toBe(404);

    const text = await scrape();
    expect(sample(text, 'http_request_duration_seconds_count', labels)).toBe(before + 3);
    expect(sample(text, 'http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(before + 3);
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status_code: '404',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id);
    expect(text).not.toContain('no-such-page');
  });

  it('shows a queued message in the backlog of its channel, with the age it has been due', async () => {
    const sms = { channel: 'sms' };
    const before = await valueOf('outbox_backlog_messages', sms);
    expect(await queueSms(10 * 60_000)).not.toBeNull();
    const text = await scrape();
    expect(sample(text, 'outbox_backlog_messages', sms)).toBe(before + 1);
    expect(sample(text, 'outbox_oldest_due_age_seconds', sms)).toBeGreaterThanOrEqual(600);
    expect(sample(text, 'outbox_backlog_messages', { channel: 'email' })).toBeDefined();

    // Delivered through the worker with the app's metrics: out of the backlog, counted as sent
    // (with any e-mail earlier tests' cases queued).
    const sentOf = (text: string) =>
      (sample(text, 'outbox_delivery_attempts_total', { ...sms, outcome: 'sent' }) ?? 0) +
      (sample(text, 'outbox_delivery_attempts_total', { channel: 'email', outcome: 'sent' }) ?? 0);
    const sent = sentOf(await scrape());
    const result = await runOutboxOnce({ db: t.db, config: t.config, metrics: t.app.metrics! });
    expect(result).toMatchObject({ sent: expect.any(Number), retried: 0, failed: 0 });
    expect(result.sent).toBeGreaterThanOrEqual(1);
    const after = await scrape();
    expect(sample(after, 'outbox_backlog_messages', sms)).toBe(0);
    expect(sample(after, 'outbox_oldest_due_age_seconds', sms)).toBe(0);
    expect(sentOf(after)).toBe(sent + result.sent);
    expect(
      sample(after, 'outbox_delivery_attempts_total', { ...sms, outcome: 'sent' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts a retried and a given-up delivery, and shows the failed message', async () => {
    const sms = { channel: 'sms' };
    const metrics = t.app.metrics!;
    const retries = await valueOf('outbox_delivery_attempts_total', { ...sms, outcome: 'retry' });
    const failures = await valueOf('outbox_delivery_attempts_total', { ...sms, outcome: 'failed' });
    const failed = await valueOf('outbox_failed_messages', sms);

    await queueSms();
    sinks.failSms(1, 503); // temporary: retried later
    expect(await runOutboxOnce({ db: t.db, config: t.config, metrics })).toMatchObject({ retried: 1 });
    expect(await valueOf('outbox_delivery_attempts_total', { ...sms, outcome: 'retry' })).toBe(retries + 1);
    expect(await valueOf('outbox_backlog_messages', sms)).toBe(1);

    sinks.failSms(1, 400); // permanent: given up (the retry is due an hour later at the latest)
    const later = new Date(Date.now() + 2 * 60 * 60_000);
    expect(await runOutboxOnce({ db: t.db, config: t.config, metrics }, later)).toMatchObject({ failed: 1 });
    const text = await scrape();
    expect(sample(text, 'outbox_delivery_attempts_total', { ...sms, outcome: 'failed' })).toBe(failures + 1);
    expect(sample(text, 'outbox_failed_messages', sms)).toBe(failed + 1);
    expect(sample(text, 'outbox_backlog_messages', sms)).toBe(0);
  });

  it('counts nothing for a worker not given the metrics', async () => {
    const sent = await valueOf('outbox_delivery_attempts_total', { channel: 'sms', outcome: 'sent' });
    await queueSms();
    expect(await runOutboxOnce({ db: t.db, config: t.config })).toMatchObject({ sent: 1 });
    expect(await valueOf('outbox_delivery_attempts_total', { channel: 'sms', outcome: 'sent' })).toBe(sent);
  });

  it('counts open live streams by kind while they are open', async () => {
    const actor = await makeActor(t.db, { level: 6 });
    const { key } = await makeApiKey(t.db, actor.companyId);
    const staff = { kind: 'staff' };
    const customer = { kind: 'customer' };
    expect(await valueOf('live_streams_open', staff)).toBe(0);

    const staffStream = await openStream(`${base}/api/live`, bearer(key));
    expect(await valueOf('live_streams_open', staff)).toBe(1);
    expect(await valueOf('live_streams_open', customer)).toBe(0);

    // A customer who opened their link holds the customer page's stream.
    await saveSettings(t.db, actor.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const email = `kunde-${uniqueSuffix()}@example.test`;
    await makeCase(t.db, actor, { customer: { name: 'Kari Nordmann', email } });
    await deliver(t);
    const mail = sinks.mails.find((m) => m.to.includes(email));
    const opened = await openCustomerLink(t.app, linkIn(mail!.text));
    const customerStream = await openStream(`${base}/api/customer/live`, { cookie: opened.cookie! });
    expect(await valueOf('live_streams_open', customer)).toBe(1);

    staffStream.destroy();
    customerStream.destroy();
    await eventually(
      async () =>
        (await valueOf('live_streams_open', staff)) === 0 &&
        (await valueOf('live_streams_open', customer)) === 0,
    );
  });

  it('still answers with the process metrics when the database does not, without outbox samples', async () => {
    if (skipReason) return;
    const testDb = await createTestDatabase();
    const db = createDb(testDb.database);
    await migrateToLatest(db);
    await db.destroy();
    try {
      const text = await createMetrics(db, t.app.liveStreams, t.app.log).registry.metrics();
      expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(sample(text, 'outbox_backlog_messages', { channel: 'sms' })).toBeUndefined();
    } finally {
      await testDb.drop();
    }
  });

  it('shows the PostgreSQL pool, and no pool on SQLite (one connection)', async () => {
    const text = await scrape();
    if (t.config.database.kind === 'postgres') {
      expect(sample(text, 'db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
      const open =
        sample(text, 'db_pool_connections', { state: 'idle' })! +
        sample(text, 'db_pool_connections', { state: 'in_use' })!;
      expect(open).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'db_pool_waiting_queries')).toBe(0);
    } else {
      expect(text).not.toContain('db_pool_');
    }
  });
});
