import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerPost,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { createDb } from '../db/database.ts';
import type { App } from '../http/types.ts';

// Live updates (issue 7): the staff case page's and the customer page's event streams get a
// `change` signal when the thread changes — and only for their own case. On PostgreSQL the signal
// crosses processes (two app instances on one database stand in for two processes).

const sinks = useSinks();
const t = useTestApp(sinks.env);
let base = '';

beforeAll(async () => {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

/** An open event stream: everything received so far, and a wait for a text to arrive. */
interface Stream {
  status: number;
  headers: IncomingMessage['headers'];
  received: () => string;
  waitFor: (text: string, timeoutMs?: number) => Promise<void>;
  close: () => void;
}

function openStream(url: string, cookie: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let text = '';
    const request = httpRequest(url, { headers: { cookie, accept: 'text/event-stream' } }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      const stream: Stream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        received: () => text,
        waitFor: async (wanted, timeoutMs = 5000) => {
          const until = Date.now() + timeoutMs;
          while (!text.includes(wanted)) {
            if (Date.now() > until)
              throw new Error(`no "${wanted}" in the stream; got: ${JSON.stringify(text)}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        },
        close: () => request.destroy(),
      };
      if (response.statusCode !== 200) {
        response.on('end', () => resolve(stream));
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

/** A case with a customer who opened their link, and its handler signed in. */
async function world(app: App = t.app) {
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
  const opened = await openCustomerLink(app, linkIn(mail.text));
  if (!opened.cookie) throw new Error('no customer session');
  return { staff, caseId, customer: opened.cookie };
}

describe('live updates', () => {
  it("signals the staff case page when the customer writes, with the stream's headers", async () => {
    const w = await world();
    const stream = await openStream(`${base}/api/cases/${w.caseId}/live`, w.staff.cookie);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('no-store');
    expect(stream.headers['x-content-type-options']).toBe('nosniff');
    await stream.waitFor('retry:');
    expect(stream.received()).not.toContain('event: change');
    const posted = await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Hei' });
    expect(posted.statusCode).toBe(201);
    await stream.waitFor('event: change\ndata: {"topic":"messages"}');
    stream.close();
  });

  it("signals the customer page when staff answer or share, and not another case's page", async () => {
    const w = await world();
    const other = await world();
    const mine = await openStream(`${base}/api/customer/live`, w.customer);
    const theirs = await openStream(`${base}/api/customer/live`, other.customer);
    await mine.waitFor('retry:');
    await theirs.waitFor('retry:');
    const posted = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/messages`,
      headers: browserHeaders(w.staff.cookie),
      payload: { body: 'Svar' },
    });
    expect(posted.statusCode).toBe(201);
    await mine.waitFor('"topic":"messages"');
    const { payload, contentType } = multipart([
      { name: 'kind', value: 'other' },
      { name: 'file', filename: 'Tilbud.pdf', content: PDF },
    ]);
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/documents`,
      headers: { ...browserHeaders(w.staff.cookie), 'content-type': contentType },
      payload,
    });
    const shared = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/documents/share`,
      headers: browserHeaders(w.staff.cookie),
      payload: { documentIds: [(upload.json() as { id: string }).id] },
    });
    expect(shared.statusCode, shared.body).toBe(200);
    await mine.waitFor('"topic":"documents"');
    // The other case's stream got nothing (its own signal afterwards shows it was listening).
    await t.app.inject({
      method: 'POST',
      url: `/api/cases/${other.caseId}/messages`,
      headers: browserHeaders(other.staff.cookie),
      payload: { body: 'Til den andre' },
    });
    await theirs.waitFor('"topic":"case"');
    await theirs.waitFor('"topic":"messages"');
    // Only its own case's signals: the thread's `messages` and the `case` every command ends with
    // (two signals of one commit; on PostgreSQL they may arrive in either order).
    expect(
      theirs
        .received()
        .match(/"topic":"\w+"/g)
        ?.sort(),
    ).toEqual(['"topic":"case"', '"topic":"messages"']);
    mine.close();
    theirs.close();
  });

  it('refuses a stream without a session or for a case of another company', async () => {
    const w = await world();
    const outsider = await signedInUser(t.app, t.db, { level: 6 });
    expect((await t.app.inject({ method: 'GET', url: `/api/cases/${w.caseId}/live` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/customer/live' })).statusCode).toBe(401);
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}/live`,
      headers: { cookie: outsider.cookie },
    });
    expect(foreign.statusCode).toBe(404);
  });

  // Several processes share signals through PostgreSQL LISTEN/NOTIFY; on SQLite one process serves.
  if (process.env.TEST_DB === 'postgres') {
    describe('across processes on one PostgreSQL database', () => {
      let second: App;
      let secondBase = '';
      beforeAll(async () => {
        second = await buildApp(t.config, { db: createDb(t.config.database), logger: false });
        await second.listen({ port: 0, host: '127.0.0.1' });
        secondBase = `http://127.0.0.1:${(second.server.address() as AddressInfo).port}`;
        await Promise.all([t.app.live.ready(), second.live.ready()]);
      });
      afterAll(async () => {
        await second?.close();
        await second?.db.destroy();
      });

      it('delivers a message written through one process to a page streaming from the other', async () => {
        const w = await world();
        const staffStream = await openStream(`${secondBase}/api/cases/${w.caseId}/live`, w.staff.cookie);
        const customerStream = await openStream(`${secondBase}/api/customer/live`, w.customer);
        await staffStream.waitFor('retry:');
        await customerStream.waitFor('retry:');
        expect(
          (await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Fra A' })).statusCode,
        ).toBe(201);
        await staffStream.waitFor('"topic":"messages"');
        await customerStream.waitFor('"topic":"messages"');
        staffStream.close();
        customerStream.close();
      });
    });
  }
});
