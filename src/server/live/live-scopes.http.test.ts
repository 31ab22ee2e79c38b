import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
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
import { multipart } from '../../../test/support/multipart.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { STREAM_CAPS } from './sse.ts';
import { createDb } from '../db/database.ts';
import type { App } from '../http/types.ts';

// Issue 16 item 10: signals wider than one case. A company's settings save reaches its open customer
// pages (and no other company's); the staff app's own stream (GET /api/live) gets `cases` when a case
// of the user's company changes and `notifications` when the user's list does — nobody else's.
// On PostgreSQL the signals cross processes (two app instances on one database).

const sinks = useSinks();
const t = useTestApp(sinks.env);
let base = '';

beforeAll(async () => {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

interface Stream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  received: () => string;
  ended: () => boolean;
  /** The topics of the `change` events received so far, in order. */
  topics: () => string[];
  waitFor: (text: string, timeoutMs?: number) => Promise<void>;
  close: () => void;
}

function openStream(url: string, cookie: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let text = '';
    let ended = false;
    const request = httpRequest(url, { headers: { cookie, accept: 'text/event-stream' } }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('close', () => (ended = true));
      const stream: Stream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        received: () => text,
        ended: () => ended,
        topics: () => [...text.matchAll(/event: change\ndata: \{"topic":"(\w+)"\}/g)].map((m) => m[1]!),
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

/** Waits long enough for a signal that should not come to have come (the bus answers in ms). */
const quietPeriod = () => new Promise((r) => setTimeout(r, 300));

/** A company with a level-6 handler signed in and a case whose customer opened their link. */
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

/** Saves the company's customer-page settings through the admin API with a new menu colour. */
async function saveMenuColour(app: App, cookie: string, colour: string) {
  const current = (
    await app.inject({ method: 'GET', url: '/api/admin/customer-page', headers: { cookie } })
  ).json();
  const saved = await app.inject({
    method: 'PUT',
    url: '/api/admin/customer-page',
    headers: browserHeaders(cookie),
    payload: { ...current, colors: { ...current.colors, menuBackground: colour } },
  });
  expect(saved.statusCode, saved.body).toBe(200);
}

const staffPost = (app: App, cookie: string, caseId: string, body: string) =>
  app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/messages`,
    headers: browserHeaders(cookie),
    payload: { body },
  });

describe('live signals of a company and of a user', () => {
  it("a settings save reaches the company's open customer pages, not another company's, and the next read shows it", async () => {
    const w = await world();
    const other = await world();
    const mine = await openStream(`${base}/api/customer/live`, w.customer);
    const theirs = await openStream(`${base}/api/customer/live`, other.customer);
    await mine.waitFor('retry:');
    await theirs.waitFor('retry:');

    await saveMenuColour(t.app, w.staff.cookie, '#123456');
    await mine.waitFor('"topic":"settings"');
    // The stored page of the case is not sent again: the next read has the new colour.
    const page = await t.app.inject({
      method: 'GET',
      url: '/api/customer/page?lang=nb',
      headers: { cookie: w.customer },
    });
    expect(page.statusCode).toBe(200);
    expect(page.json().model.colors.menuBackground).toBe('#123456');

    await quietPeriod();
    expect(theirs.topics()).toEqual([]);
    // The other company's page was listening all along: its own company's save reaches it.
    await saveMenuColour(t.app, other.staff.cookie, '#654321');
    await theirs.waitFor('"topic":"settings"');
    expect(theirs.topics()).toEqual(['settings']);
    expect(mine.topics()).toEqual(['settings']);
    mine.close();
    theirs.close();
  });

  it("a logo upload (the company's, the customer page's own) reaches the company's open customer pages", async () => {
    const w = await world();
    const stream = await openStream(`${base}/api/customer/live`, w.customer);
    await stream.waitFor('retry:');
    const png = await sharp({
      create: { width: 300, height: 100, channels: 4, background: { r: 20, g: 90, b: 160, alpha: 1 } },
    })
      .png()
      .toBuffer();
    const { payload, contentType } = multipart([{ name: 'file', filename: 'logo.png', content: png }]);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/api/company/logo',
      headers: { ...browserHeaders(w.staff.cookie), 'content-type': contentType },
      payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    await stream.waitFor('"topic":"settings"');
    const page = await t.app.inject({
      method: 'GET',
      url: '/api/customer/page?lang=nb',
      headers: { cookie: w.customer },
    });
    expect(page.json().model.company.logo?.url).toBe(uploaded.json().logoUrl);

    const second = multipart([
      {
        name: 'file',
        filename: 'eget.png',
        content: await sharp(png).modulate({ hue: 90 }).png().toBuffer(),
      },
    ]);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/admin/customer-page/logo',
      headers: { ...browserHeaders(w.staff.cookie), 'content-type': second.contentType },
      payload: second.payload,
    });
    expect(own.statusCode, own.body).toBe(200);
    const until = Date.now() + 5000;
    while (stream.topics().length < 2) {
      if (Date.now() > until) throw new Error(`no second settings signal: ${stream.received()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(stream.topics()).toEqual(['settings', 'settings']);
    stream.close();
  });

  it("a case change reaches the staff streams of the case's company, not another company's", async () => {
    const w = await world();
    const other = await world();
    const colleague = await signedInUser(t.app, t.db, { companyId: w.staff.companyId, level: 1 });
    const mine = await openStream(`${base}/api/live`, w.staff.cookie);
    const colleagues = await openStream(`${base}/api/live`, colleague.cookie);
    const theirs = await openStream(`${base}/api/live`, other.staff.cookie);
    expect(mine.status).toBe(200);
    await Promise.all([mine.waitFor('retry:'), colleagues.waitFor('retry:'), theirs.waitFor('retry:')]);

    expect((await staffPost(t.app, w.staff.cookie, w.caseId, 'Svar')).statusCode).toBe(201);
    await mine.waitFor('"topic":"cases"');
    await colleagues.waitFor('"topic":"cases"');
    await quietPeriod();
    expect(theirs.topics()).toEqual([]);

    expect((await staffPost(t.app, other.staff.cookie, other.caseId, 'Svar')).statusCode).toBe(201);
    await theirs.waitFor('"topic":"cases"');
    expect(theirs.topics()).toEqual(['cases']);
    // A staff message notifies nobody on staff: no `notifications` anywhere.
    expect(mine.topics()).toEqual(['cases']);
    mine.close();
    colleagues.close();
    theirs.close();
  });

  it("a customer's message signals the handler's notifications, not a colleague's; reading them signals again", async () => {
    const w = await world();
    const colleague = await signedInUser(t.app, t.db, { companyId: w.staff.companyId, level: 1 });
    const handlers = await openStream(`${base}/api/live`, w.staff.cookie);
    const colleagues = await openStream(`${base}/api/live`, colleague.cookie);
    await Promise.all([handlers.waitFor('retry:'), colleagues.waitFor('retry:')]);

    expect(
      (await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Hei' })).statusCode,
    ).toBe(201);
    await handlers.waitFor('"topic":"notifications"');
    await colleagues.waitFor('"topic":"cases"');
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/notifications',
      headers: { cookie: w.staff.cookie },
    });
    expect(list.json().unread).toBe(1);
    await quietPeriod();
    expect(colleagues.topics()).toEqual(['cases']);

    // Marking them read changes the count the handler's other tabs show.
    const before = handlers.topics().filter((topic) => topic === 'notifications').length;
    const read = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: browserHeaders(w.staff.cookie),
      payload: {},
    });
    expect(read.statusCode, read.body).toBe(200);
    const until = Date.now() + 5000;
    while (handlers.topics().filter((topic) => topic === 'notifications').length === before) {
      if (Date.now() > until) throw new Error(`no second notifications signal: ${handlers.received()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    handlers.close();
    colleagues.close();
  });

  it('refuses the staff stream without a session, and a customer session never opens it', async () => {
    const w = await world();
    expect((await t.app.inject({ method: 'GET', url: '/api/live' })).statusCode).toBe(401);
    const customer = await t.app.inject({ method: 'GET', url: '/api/live', headers: { cookie: w.customer } });
    expect(customer.statusCode).toBe(401);
  });

  describe('coalescing, sign-out and the cap (an app with a 150 ms heartbeat)', () => {
    let slow: App;
    let slowBase = '';
    beforeAll(async () => {
      // A window long enough that nothing after the first write can leave during the test.
      slow = await buildApp(t.config, {
        db: createDb(t.config.database),
        logger: false,
        liveStreams: { coalesceMs: 60_000, heartbeatMs: 150 },
      });
      await slow.listen({ port: 0, host: '127.0.0.1' });
      slowBase = `http://127.0.0.1:${(slow.server.address() as AddressInfo).port}`;
      await slow.live.ready();
    });
    afterAll(async () => {
      await slow?.close();
      await slow?.db.destroy();
    });

    it('writes a burst of case changes to the staff stream once', async () => {
      const w = await world();
      const stream = await openStream(`${slowBase}/api/live`, w.staff.cookie);
      await stream.waitFor('retry:');
      for (const body of ['En', 'To', 'Tre', 'Fire']) {
        expect((await staffPost(slow, w.staff.cookie, w.caseId, body)).statusCode).toBe(201);
      }
      await stream.waitFor('"topic":"cases"');
      await quietPeriod();
      expect(stream.topics()).toEqual(['cases']);
      stream.close();
    });

    it('ends the staff stream when its session signs out', async () => {
      const w = await world();
      const stream = await openStream(`${slowBase}/api/live`, w.staff.cookie);
      await stream.waitFor(': keep-alive');
      const out = await slow.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { ...browserHeaders(w.staff.cookie), 'content-type': 'application/json' },
        payload: {},
      });
      expect(out.statusCode).toBe(204);
      const until = Date.now() + 2000;
      while (!stream.ended()) {
        if (Date.now() > until) throw new Error('the stream outlived its session');
        await new Promise((r) => setTimeout(r, 20));
      }
      // And the cookie opens no new one.
      expect(
        (await slow.inject({ method: 'GET', url: '/api/live', headers: { cookie: w.staff.cookie } }))
          .statusCode,
      ).toBe(401);
    });

    it(`caps a user at ${STREAM_CAPS.staffApp} staff-app streams, apart from the case pages' streams`, async () => {
      const w = await world();
      const streams: Stream[] = [];
      for (let n = 0; n < STREAM_CAPS.staffApp; n += 1) {
        streams.push(await openStream(`${slowBase}/api/live`, w.staff.cookie));
      }
      expect(streams.map((stream) => stream.status)).toEqual(streams.map(() => 200));
      const refused = await openStream(`${slowBase}/api/live`, w.staff.cookie);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // The tabs' app streams leave the case pages their own allowance.
      const casePage = await openStream(`${slowBase}/api/cases/${w.caseId}/live`, w.staff.cookie);
      expect(casePage.status).toBe(200);
      for (const stream of [...streams, casePage]) stream.close();
    });
  });

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

      it('a save through one process reaches customer pages streaming from the other; so do case changes and notifications', async () => {
        const w = await world();
        const customerStream = await openStream(`${secondBase}/api/customer/live`, w.customer);
        const staffStream = await openStream(`${secondBase}/api/live`, w.staff.cookie);
        await Promise.all([customerStream.waitFor('retry:'), staffStream.waitFor('retry:')]);
        await saveMenuColour(t.app, w.staff.cookie, '#0a0b0c');
        await customerStream.waitFor('"topic":"settings"');
        expect(
          (await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Fra A' })).statusCode,
        ).toBe(201);
        await staffStream.waitFor('"topic":"cases"');
        await staffStream.waitFor('"topic":"notifications"');
        customerStream.close();
        staffStream.close();
      });
    });
  }
});
