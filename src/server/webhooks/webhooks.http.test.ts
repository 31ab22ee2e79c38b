import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../../../test/support/customer.ts';
import {
  bearer,
  browserHeaders,
  makeActor,
  makeApiKey,
  makeCase,
  signedInUser,
} from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { changeCase } from '../case-commands/case-command.ts';
import { createDb } from '../db/database.ts';
import type { App } from '../http/types.ts';
import { DeliveryError } from '../outbox/transports.ts';
import { webhookTransport } from './transport.ts';

// Outbound webhooks on both databases against a real receiving endpoint on 127.0.0.1 (private
// targets allowed in this app's configuration), which checks every request's signature with the
// algorithm of docs/integrations.md and acts on each delivery key once.

const t = useTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

/** The verification of docs/integrations.md ("Signed requests"), as a receiver writes it. */
function verify(secret: string, header: string, rawBody: string, nowSeconds = Date.now() / 1000): boolean {
  const parts = header.split(',').map((p) => p.split('='));
  const ts = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${ts}.${rawBody}`).digest();
  return parts.some(
    ([k, v]) => k === 'v1' && v?.length === 64 && timingSafeEqual(Buffer.from(v, 'hex'), expected),
  );
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  signed: boolean;
  status: number;
}

/** A core system's receiver: one path per endpoint, its secret, scripted answers, dedupe by key. */
function useReceiver() {
  const state = {
    server: undefined as Server | undefined,
    origin: '',
    received: [] as Received[],
    secrets: new Map<string, string>(),
    answers: new Map<string, number[]>(),
    /** What the receiver acted on: each delivery key once. */
    processed: new Map<string, string>(),
  };
  beforeAll(async () => {
    state.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        const secret = state.secrets.get(path) ?? '';
        const signed = verify(secret, String(request.headers['kundeside-signature'] ?? ''), body);
        const status = state.answers.get(path)?.shift() ?? 200;
        state.received.push({ path, headers: request.headers, body, signed, status });
        const key = String(request.headers['kundeside-delivery']);
        if (signed && status < 300 && !state.processed.has(key)) state.processed.set(key, body);
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => state.server!.listen(0, '127.0.0.1', resolve));
    state.origin = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => state.server?.close(resolve));
  });
  return state;
}

const receiver = useReceiver();
let pathCounter = 0;

/** A level-6 admin (browser session) and an endpoint of theirs on a fresh receiver path. */
async function adminWithEndpoint(eventKinds: string[] = ['case_created', 'case_closed']) {
  const admin = await signedInUser(t.app, t.db, { level: 6 });
  const endpoint = await register(admin.cookie, eventKinds);
  const actor = await makeActor(t.db, { companyId: admin.companyId, level: 6 });
  return { admin, actor, ...endpoint };
}

async function register(cookie: string, eventKinds: string[]) {
  pathCounter += 1;
  const path = `/hook/${pathCounter}`;
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/webhooks',
    headers: browserHeaders(cookie),
    payload: { url: `${receiver.origin}${path}`, eventKinds, description: 'Core system' },
  });
  expect(response.statusCode, response.body).toBe(201);
  const created = response.json<{ id: string; secret: string }>();
  receiver.secrets.set(path, created.secret);
  return { path, id: created.id, secret: created.secret };
}

const receivedAt = (path: string) => receiver.received.filter((request) => request.path === path);
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function deliveries(cookie: string, id: string) {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/webhooks/${id}/deliveries`,
    headers: { cookie },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: Array<Record<string, unknown>>; total: number }>();
}

describe('webhooks: who may manage them', () => {
  it('answers 401 without a session, 403 below level 6 (session or API key), 400 on bad input', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/webhooks' });
    expect(anonymous.statusCode).toBe(401);

    const clerk = await signedInUser(t.app, t.db, { level: 5 });
    const key = await makeApiKey(t.db, clerk.companyId, 5);
    const payload = { url: `${receiver.origin}/hook/x`, eventKinds: ['case_closed'] };
    for (const response of [
      await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: { cookie: clerk.cookie } }),
      await t.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: browserHeaders(clerk.cookie),
        payload,
      }),
      await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: bearer(key.key), payload }),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }

    const admin = await signedInUser(t.app, t.db, { level: 6 });
    // The web app hides the page by the same rule.
    const abilities = async (cookie: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).json().abilities;
    expect(await abilities(admin.cookie)).toMatchObject({ manageWebhooks: true });
    expect(await abilities(clerk.cookie)).toMatchObject({ manageWebhooks: false });
    for (const bad of [
      { url: 'ftp://example.com/x', eventKinds: ['case_closed'] },
      { url: `${receiver.origin}/x`, eventKinds: [] },
      { url: `${receiver.origin}/x`, eventKinds: ['no_such_kind'] },
      { url: `${receiver.origin}/x`, eventKinds: ['case_closed'], secret: 'mine' },
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: browserHeaders(admin.cookie),
        payload: bad,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    const rows = await t.db
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('company_id', 'in', [clerk.companyId, admin.companyId])
      .execute();
    expect(rows).toEqual([]);
  });

  it('lets a level-6 API key manage them, and shows the secret only in the creation answer', async () => {
    const owner = await signedInUser(t.app, t.db, { level: 6 });
    const { key } = await makeApiKey(t.db, owner.companyId, 6);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: bearer(key),
      payload: { url: `${receiver.origin}/hook/api`, eventKinds: ['case_closed'] },
    });
    expect(created.statusCode).toBe(201);
    const { id, secret } = created.json<{ id: string; secret: string }>();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: bearer(key) });
    const one = await t.app.inject({ method: 'GET', url: `/api/webhooks/${id}`, headers: bearer(key) });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${id}`,
      headers: bearer(key),
      payload: { description: 'Renamed' },
    });
    expect(list.json().items).toEqual([
      expect.objectContaining({ id, eventKinds: ['case_closed'], active: true }),
    ]);
    for (const response of [list, one, patched]) {
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain(secret);
      expect(response.body).not.toContain('secret');
    }
    const stored = await t.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it("answers 404 for another company's endpoint on every route, and lists only the company's own", async () => {
    const a = await adminWithEndpoint();
    await makeCase(t.db, a.actor);
    const b = await signedInUser(t.app, t.db, { level: 6 });
    const headers = browserHeaders(b.cookie);
    const [delivery] = await t.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', a.id)
      .execute();
    expect(delivery).toBeDefined();
    const deliveryId = delivery!.id;
    for (const [method, url, payload] of [
      ['GET', `/api/webhooks/${a.id}`, undefined],
      ['PATCH', `/api/webhooks/${a.id}`, { active: false }],
      ['DELETE', `/api/webhooks/${a.id}`, undefined],
      ['POST', `/api/webhooks/${a.id}/rotate-secret`, undefined],
      ['GET', `/api/webhooks/${a.id}/deliveries`, undefined],
      ['POST', `/api/webhooks/${a.id}/deliveries/${deliveryId}/replay`, undefined],
    ] as const) {
      const response = await t.app.inject({ method, url, headers, ...(payload && { payload }) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers });
    expect(list.json().items).toEqual([]);
    const still = await t.db
      .selectFrom('webhook_endpoints')
      .select(['active', 'secret_sealed'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(still.active).toBe(1);
  });
});

describe('webhooks: delivery', () => {
  it('delivers a case change as one signed request with the documented payload', async () => {
    const { actor, path, id, admin } = await adminWithEndpoint(['case_created']);
    const created = await makeCase(t.db, actor, {
      customer: { name: 'Kari Hemmelig', email: 'kari.hemmelig@example.test', phone: '+4791234567' },
    });
    const [row] = await t.db
      .selectFrom('cases')
      .select(['claim_number'])
      .where('id', '=', created.id)
      .execute();
    const event = await t.db
      .selectFrom('case_events')
      .select(['id', 'occurred_at'])
      .where('case_id', '=', created.id)
      .where('kind', '=', 'case_created')
      .executeTakeFirstOrThrow();

    expect(await deliver(t)).toMatchObject({ failed: 0 });
    const requests = receivedAt(path);
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.signed).toBe(true);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['kundeside-delivery']).toBe(`${id}.${event.id}`);
    expect(request.headers['idempotency-key']).toBe(`${id}.${event.id}`);
    expect(JSON.parse(request.body)).toEqual({
      version: 1,
      id: event.id,
      kind: 'case_created',
      occurredAt: new Date(event.occurred_at).toISOString(),
      companyId: actor.companyId,
      caseId: created.id,
      claimNumber: row!.claim_number,
      data: {},
    });
    // No personal data of the customer travels.
    expect(request.body).not.toMatch(/Kari|Hemmelig|kari\.hemmelig|91234567/);

    const log = await deliveries(admin.cookie, id);
    expect(log.items).toEqual([
      expect.objectContaining({
        eventId: event.id,
        eventKind: 'case_created',
        caseId: created.id,
        state: 'sent',
        attempts: 1,
        lastStatus: 200,
        lastError: null,
        replayOf: null,
      }),
    ]);
  });

  it('sends only the kinds an endpoint asked for', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const closing = await register(admin.cookie, ['case_closed']);
    const creating = await register(admin.cookie, ['case_created']);
    const actor = await makeActor(t.db, { companyId: admin.companyId, level: 6 });
    const created = await makeCase(t.db, actor);
    await deliver(t);
    expect(receivedAt(closing.path)).toHaveLength(0);
    expect(receivedAt(creating.path).map((r) => JSON.parse(r.body).kind)).toEqual(['case_created']);

    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${created.id}/close`,
      headers: browserHeaders(admin.cookie),
      payload: { comment: 'Internal: customer was difficult' },
    });
    expect(closed.statusCode).toBe(200);
    await deliver(t);
    const closedRequests = receivedAt(closing.path);
    expect(closedRequests.map((r) => JSON.parse(r.body).kind)).toEqual(['case_closed']);
    // The internal closing comment stays inside.
    expect(closedRequests[0]!.body).not.toContain('difficult');
    expect(receivedAt(creating.path)).toHaveLength(1);
  });

  it('retries after a 500 with the same delivery key, and the receiver acts on it once', async () => {
    const { actor, path, id, admin } = await adminWithEndpoint(['case_created']);
    receiver.answers.set(path, [500]);
    await makeCase(t.db, actor);
    expect(await deliver(t)).toMatchObject({ retried: 1 });
    const waiting = await deliveries(admin.cookie, id);
    expect(waiting.items[0]).toMatchObject({ state: 'queued', attempts: 1, lastStatus: 500 });
    expect(waiting.items[0]!.lastError).toContain('500');
    // Not due yet: nothing is sent again before the back-off.
    await deliver(t);
    expect(receivedAt(path)).toHaveLength(1);

    expect(await deliver(t, later(5))).toMatchObject({ sent: 1 });
    const requests = receivedAt(path);
    expect(requests.map((r) => r.status)).toEqual([500, 200]);
    expect(requests.every((r) => r.signed)).toBe(true);
    expect(new Set(requests.map((r) => r.headers['kundeside-delivery'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    const key = String(requests[0]!.headers['kundeside-delivery']);
    expect([...receiver.processed.keys()].filter((k) => k === key)).toHaveLength(1);
    const done = await deliveries(admin.cookie, id);
    expect(done.items[0]).toMatchObject({ state: 'sent', attempts: 2, lastStatus: 200, lastError: null });
  });

  it('queues nothing for a change whose transaction fails', async () => {
    const { actor, id } = await adminWithEndpoint(['case_put_on_hold', 'case_created']);
    const created = await makeCase(t.db, actor);
    const before = await t.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', id)
      .execute();
    await expect(
      changeCase(
        t.db,
        {
          caseId: created.id,
          companyId: actor.companyId,
          stamp: () => ({ kind: 'system', id: null, name: null }),
        },
        async (command) => {
          await command.event('case_put_on_hold', {});
          throw new Error('the change fails after its event');
        },
      ),
    ).rejects.toThrow('the change fails');
    const after = await t.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', id)
      .execute();
    expect(after).toEqual(before);
    const outbox = await t.db
      .selectFrom('outbox')
      .select('id')
      .where('channel', '=', 'webhook')
      .where('recipient', '=', id)
      .execute();
    expect(outbox).toHaveLength(before.length);
  });

  it('replays a delivery with the same event and key; two replays at once make one delivery', async () => {
    const { actor, path, id, admin } = await adminWithEndpoint(['case_created']);
    await makeCase(t.db, actor);
    await deliver(t);
    const [first] = (await deliveries(admin.cookie, id)).items;
    const replayUrl = `/api/webhooks/${id}/deliveries/${String(first!.id)}/replay`;

    const [one, two] = await Promise.all([
      t.app.inject({ method: 'POST', url: replayUrl, headers: browserHeaders(admin.cookie) }),
      t.app.inject({ method: 'POST', url: replayUrl, headers: browserHeaders(admin.cookie) }),
    ]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([201, 409]);
    const replay = (one.statusCode === 201 ? one : two).json<Record<string, unknown>>();
    expect(replay).toMatchObject({ eventId: first!.eventId, replayOf: first!.id, state: 'queued' });
    // While it waits, a further replay is refused too.
    const again = await t.app.inject({
      method: 'POST',
      url: replayUrl,
      headers: browserHeaders(admin.cookie),
    });
    expect(again.statusCode).toBe(409);

    await deliver(t);
    const requests = receivedAt(path);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expect(requests[1]!.headers['kundeside-delivery']).toBe(requests[0]!.headers['kundeside-delivery']);
    expect(requests[1]!.signed).toBe(true);
    const log = await deliveries(admin.cookie, id);
    expect(log.total).toBe(2);
    expect(log.items.map((item) => item.state)).toEqual(['sent', 'sent']);

    // Once sent, it may be replayed again.
    const third = await t.app.inject({
      method: 'POST',
      url: replayUrl,
      headers: browserHeaders(admin.cookie),
    });
    expect(third.statusCode).toBe(201);
  });

  it('sends nothing to a deleted endpoint, even what was queued for it', async () => {
    const { actor, path, id, admin } = await adminWithEndpoint(['case_created']);
    await makeCase(t.db, actor);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/webhooks/${id}`,
      headers: browserHeaders(admin.cookie),
    });
    expect(deleted.statusCode).toBe(204);
    await deliver(t);
    expect(receivedAt(path)).toHaveLength(0);
    const gone = await t.app.inject({
      method: 'GET',
      url: `/api/webhooks/${id}/deliveries`,
      headers: { cookie: admin.cookie },
    });
    expect(gone.statusCode).toBe(404);
    const rows = await t.db
      .selectFrom('outbox')
      .select(['state'])
      .where('channel', '=', 'webhook')
      .where('recipient', '=', id)
      .execute();
    expect(rows).toEqual([{ state: 'failed' }]);
    // A later change queues nothing for it.
    await makeCase(t.db, actor);
    await deliver(t);
    expect(receivedAt(path)).toHaveLength(0);
  });

  it('switches an endpoint off when it answers 410 Gone, and queues nothing more for it', async () => {
    const { actor, path, id, admin } = await adminWithEndpoint(['case_created']);
    receiver.answers.set(path, [410]);
    await makeCase(t.db, actor);
    expect(await deliver(t)).toMatchObject({ failed: 1 });
    const endpoint = await t.app.inject({
      method: 'GET',
      url: `/api/webhooks/${id}`,
      headers: { cookie: admin.cookie },
    });
    expect(endpoint.json()).toMatchObject({ active: false, disabledReason: 'gone' });
    expect((await deliveries(admin.cookie, id)).items[0]).toMatchObject({ state: 'failed', lastStatus: 410 });

    await makeCase(t.db, actor);
    await deliver(t, later(120));
    expect(receivedAt(path)).toHaveLength(1);
    expect((await deliveries(admin.cookie, id)).total).toBe(1);
  });

  it('rotates the secret: shown once, and both secrets sign for the grace period', async () => {
    const { actor, path, id, admin, secret: old } = await adminWithEndpoint(['case_created']);
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/webhooks/${id}/rotate-secret`,
      headers: browserHeaders(admin.cookie),
    });
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json<{ secret: string }>().secret;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const again = await t.app.inject({
      method: 'GET',
      url: `/api/webhooks/${id}`,
      headers: { cookie: admin.cookie },
    });
    expect(again.body).not.toContain(fresh);

    await makeCase(t.db, actor);
    await deliver(t);
    const [request] = receivedAt(path);
    const header = String(request!.headers['kundeside-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verify(fresh, header, request!.body)).toBe(true);
    expect(verify(old, header, request!.body)).toBe(true);
    expect(verify('whsec_someone-else', header, request!.body)).toBe(false);
  });

  it('gives up at once on a 4xx other than 408/425/429', async () => {
    const { actor, path, id, admin } = await adminWithEndpoint(['case_created']);
    receiver.answers.set(path, [422]);
    await makeCase(t.db, actor);
    expect(await deliver(t)).toMatchObject({ failed: 1 });
    await deliver(t, later(120));
    expect(receivedAt(path)).toHaveLength(1);
    expect((await deliveries(admin.cookie, id)).items[0]).toMatchObject({ state: 'failed', lastStatus: 422 });
  });
});

describe('webhooks: where they may point', () => {
  let strict: App;
  let production: App;
  const handles: Array<ReturnType<typeof createDb>> = [];
  beforeAll(async () => {
    // The same database through other handles, with the operator's allowance off (and production).
    const open = () => {
      const db = createDb(t.config.database);
      handles.push(db);
      return db;
    };
    strict = await buildApp(
      { ...t.config, webhookAllowPrivateTargets: false },
      { db: open(), logger: false },
    );
    production = await buildApp(
      { ...t.config, nodeEnv: 'production', webhookAllowPrivateTargets: false },
      { db: open(), logger: false },
    );
  });
  afterAll(async () => {
    await strict?.close();
    await production?.close();
    for (const db of handles) await db.destroy();
  });

  it('refuses loopback, private, link-local and local names without the allowance', async () => {
    const admin = await signedInUser(strict, t.db, { level: 6 });
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:9/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://100.64.0.1/hook',
      'http://localhost:9/hook',
      // A name that resolves to 127.0.0.1 (this machine's own name, /etc/hosts).
      `http://${hostname()}:9/hook`,
    ]) {
      const response = await strict.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: browserHeaders(admin.cookie),
        payload: { url, eventKinds: ['case_closed'] },
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code).toBe('webhook_url_refused');
    }
    const rows = await t.db
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('company_id', '=', admin.companyId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses http:// in production, and a PATCH to a refused URL', async () => {
    const admin = await signedInUser(production, t.db, { level: 6 });
    const response = await production.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: browserHeaders(admin.cookie),
      payload: { url: 'http://hooks.example.com/kundeside', eventKinds: ['case_closed'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('webhook_url_refused');
    expect(response.json().error.message).toContain('https');

    const other = await signedInUser(t.app, t.db, { level: 6 });
    const { id } = await register(other.cookie, ['case_closed']);
    const patch = await strict.inject({
      method: 'PATCH',
      url: `/api/webhooks/${id}`,
      headers: browserHeaders(other.cookie),
      payload: { url: 'http://192.168.1.10/hook' },
    });
    expect(patch.statusCode).toBe(400);
    const stored = await t.db
      .selectFrom('webhook_endpoints')
      .select('url')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.url).toContain(receiver.origin);
  });

  it('refuses at send time a name that now resolves to a private address (DNS rebinding)', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const port = new URL(receiver.origin).port;
    const path = '/hook/rebinding';
    // Registered while allowed; the name resolves to 127.0.0.1.
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: browserHeaders(admin.cookie),
      payload: { url: `http://${hostname()}:${port}${path}`, eventKinds: ['case_created'] },
    });
    expect(created.statusCode).toBe(201);
    const transport = webhookTransport(t.db, { ...t.config, webhookAllowPrivateTargets: false });
    const body = JSON.stringify({ id: 'event-1' });
    const sending = transport.send({
      idempotencyKey: 'test-rebinding',
      to: created.json().id,
      senderName: null,
      subject: null,
      text: body,
      html: null,
    });
    await expect(sending).rejects.toBeInstanceOf(DeliveryError);
    await expect(sending).rejects.toMatchObject({ permanent: true });
    expect(receivedAt(path)).toHaveLength(0);
  });
});
