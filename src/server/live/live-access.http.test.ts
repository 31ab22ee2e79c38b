import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { createDb, nowIso } from '../db/database.ts';
import type { App } from '../http/types.ts';
import { hashToken } from '../security/tokens.ts';
import { STREAM_CAPS } from './sse.ts';

// Issue 15, item 10: an open event stream must not outlive the access it was opened with, and one
// session (or address, or staff user) cannot hold an unbounded number of them. A real listening
// server, read with node's http client; the heartbeat is shortened so "within a heartbeat" is quick.

const HEARTBEAT_MS = 150;
const sinks = useSinks();
const t = useTestApp(sinks.env);
let app: App;
let base = '';

beforeAll(async () => {
  app = await buildApp(t.config, {
    db: createDb(t.config.database),
    logger: false,
    liveStreams: { heartbeatMs: HEARTBEAT_MS },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await app?.db.destroy();
});

/** An open event stream: its status, what it received, and whether the server ended it. */
interface Stream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  received: () => string;
  ended: () => boolean;
  waitFor: (done: () => boolean, what: string, timeoutMs?: number) => Promise<void>;
  close: () => void;
}

function openStream(url: string, cookie: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let text = '';
    let ended = false;
    const request = httpRequest(url, { headers: { cookie, accept: 'text/event-stream' } }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => (ended = true));
      response.on('close', () => (ended = true));
      const stream: Stream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        received: () => text,
        ended: () => ended,
        waitFor: async (done, what, timeoutMs = 5000) => {
          const until = Date.now() + timeoutMs;
          while (!done()) {
            if (Date.now() > until)
              throw new Error(`${what}: not within ${timeoutMs} ms; got ${JSON.stringify(text)}`);
            await new Promise((r) => setTimeout(r, 10));
          }
        },
        close: () => request.destroy(),
      };
      if (response.statusCode !== 200) {
        response.on('end', () => resolve(stream));
        response.resume();
        return;
      }
      resolve(stream);
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    request.end();
  });
}

/** Waits for the stream's opening `retry:` line (the subscription is in place then). */
const opened = (stream: Stream) => stream.waitFor(() => stream.received().includes('retry:'), 'retry line');

/** A case with a customer who opened their link, and its handler signed in. */
async function world() {
  const staff = await signedInUser(app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, { sendLink: 'case_created', accessFor: 'customer' });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const { id: caseId } = await makeCase(t.db, actor, {
    customer: { name: `Kari ${s}`, email },
    caseHandlerId: staff.id,
  });
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  const link = linkIn(mail.text);
  const first = await openCustomerLink(app, link);
  if (!first.cookie) throw new Error('no customer session');
  return { staff, caseId, link, customer: first.cookie };
}

/** The stored id of a customer session cookie (`name=s:<token>.<signature>` → SHA-256 of the token). */
function sessionIdOf(cookie: string): string {
  const signed = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  const token = signed.replace(/^s:/, '').replace(/\.[^.]*$/, '');
  return hashToken(token);
}

describe('live streams end with their access', { timeout: 30_000 }, () => {
  it('still signals an ordinary customer stream when staff write, with heartbeats between', async () => {
    const w = await world();
    const stream = await openStream(`${base}/api/customer/live`, w.customer);
    expect(stream.status).toBe(200);
    await opened(stream);
    await stream.waitFor(() => stream.received().includes(': keep-alive'), 'a heartbeat');
    const posted = await app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/messages`,
      headers: browserHeaders(w.staff.cookie),
      payload: { body: 'Svar fra saksbehandler' },
    });
    expect(posted.statusCode).toBe(201);
    await stream.waitFor(() => stream.received().includes('"topic":"messages"'), 'the signal');
    expect(stream.ended()).toBe(false);
    stream.close();
  });

  it('closes the customer stream when staff remove the access', async () => {
    const w = await world();
    const stream = await openStream(`${base}/api/customer/live`, w.customer);
    await opened(stream);
    const list = await app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}/customer-access`,
      headers: browserHeaders(w.staff.cookie),
    });
    const person = (list.json() as { people: { contactId: string; role: string }[] }).people.find(
      (p) => p.role === 'customer',
    );
    if (!person) throw new Error('no customer in the access list');
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/cases/${w.caseId}/customer-access/${person.contactId}`,
      headers: browserHeaders(w.staff.cookie),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    await stream.waitFor(stream.ended, 'stream closed', 2 * HEARTBEAT_MS + 1000);
    expect(stream.received()).not.toContain('event: change');
    // Reconnecting is refused too.
    expect(
      (await app.inject({ method: 'GET', url: '/api/customer/live', headers: { cookie: w.customer } }))
        .statusCode,
    ).toBe(401);
  });

  it('closes within a heartbeat when the grant ends without any signal (changed in the database)', async () => {
    const w = await world();
    const stream = await openStream(`${base}/api/customer/live`, w.customer);
    await opened(stream);
    await t.db
      .updateTable('customer_access')
      .set({ state: 'removed', removed_at: nowIso() })
      .where('case_id', '=', w.caseId)
      .execute();
    await stream.waitFor(stream.ended, 'stream closed', 2 * HEARTBEAT_MS + 1000);
  });

  it('closes within a heartbeat when the session has expired', async () => {
    const w = await world();
    const stream = await openStream(`${base}/api/customer/live`, w.customer);
    await opened(stream);
    await t.db
      .updateTable('customer_sessions')
      .set({ expires_at: nowIso(new Date(Date.now() - 1000)) })
      .where('id', '=', sessionIdOf(w.customer))
      .execute();
    await stream.waitFor(stream.ended, 'stream closed', 2 * HEARTBEAT_MS + 1000);
  });

  it('closes the staff stream when its session is signed out', async () => {
    const w = await world();
    const stream = await openStream(`${base}/api/cases/${w.caseId}/live`, w.staff.cookie);
    await opened(stream);
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { ...browserHeaders(w.staff.cookie), 'content-type': 'application/json' },
      payload: {},
    });
    expect(out.statusCode).toBe(204);
    await stream.waitFor(stream.ended, 'stream closed', 2 * HEARTBEAT_MS + 1000);
  });
});

describe('live stream caps', { timeout: 30_000 }, () => {
  it(`accepts ${STREAM_CAPS.customerSession} streams of one session, refuses the next with 429 and Retry-After`, async () => {
    const w = await world();
    const streams: Stream[] = [];
    for (let n = 0; n < STREAM_CAPS.customerSession; n += 1) {
      const stream = await openStream(`${base}/api/customer/live`, w.customer);
      expect(stream.status, `stream ${n + 1}`).toBe(200);
      streams.push(stream);
    }
    const refused = await openStream(`${base}/api/customer/live`, w.customer);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another session of the same link has its own allowance.
    const other = await openCustomerLink(app, w.link);
    const theirs = await openStream(`${base}/api/customer/live`, other.cookie ?? '');
    expect(theirs.status).toBe(200);
    theirs.close();
    // A closed stream frees its place.
    streams.pop()?.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await openStream(`${base}/api/customer/live`, w.customer);
    expect(again.status).toBe(200);
    for (const stream of [...streams, again]) stream.close();
  });

  it(`caps a staff user at ${STREAM_CAPS.staffUser} streams`, async () => {
    const w = await world();
    const streams: Stream[] = [];
    for (let n = 0; n < STREAM_CAPS.staffUser; n += 1) {
      const stream = await openStream(`${base}/api/cases/${w.caseId}/live`, w.staff.cookie);
      expect(stream.status, `stream ${n + 1}`).toBe(200);
      streams.push(stream);
    }
    const refused = await openStream(`${base}/api/cases/${w.caseId}/live`, w.staff.cookie);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    for (const stream of streams) stream.close();
  });
});
