import { describe, expect, it } from 'vitest';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import {
  customerGet,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { changeCaseStatus } from '../cases/cases.ts';
import { createTask } from '../tasks/tasks.ts';

// The customer page's lists in pages (issue 15 item 4): the page answer holds the newest 30 news
// entries and messages with their totals; GET /api/customer/news and /api/customer/messages answer
// the older pages in the one paging convention ({items, total, page, pageSize}), with the page's
// order and filter, for the session's case only, counted from an anchor so arrivals shift nothing.

const sinks = useSinks();
const t = useTestApp(sinks.env);

interface Message {
  id: string;
  text: string;
  attachments: Array<{ id: string; url: string }>;
}
interface News {
  id: string;
  kind: string;
  text: string;
}
interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const baseSettings: Partial<CustomerPageSettings> = {
  sendLink: 'case_created',
  accessFor: 'customer',
  showNews: 'case_created',
  showCommunication: 'case_created',
  communicationMethod: 'both_ways',
};

/** A company with `settings`, a case with a handler, its customer signed in on the page. */
async function world(settings: Partial<CustomerPageSettings> = {}) {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, { ...baseSettings, ...settings });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const { id: caseId } = await makeCase(t.db, actor, {
    claimNumber: `SK-${s}`,
    customer: { name: `Kari ${s}`, email, phone: uniquePhone() },
    caseHandlerId: staff.id,
  });
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error(`no link e-mail to ${email}`);
  const opened = await openCustomerLink(t.app, linkIn(mail.text));
  if (!opened.cookie) throw new Error('no customer session');
  const say = async (text: string) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/messages`,
      headers: browserHeaders(staff.cookie),
      payload: { body: text },
    });
    expect(response.statusCode, response.body).toBe(201);
  };
  return { staff, actor, caseId, s, customer: opened.cookie, say };
}

async function page(cookie: string) {
  const response = await customerGet(t.app, '/api/customer/page', cookie);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { model: { news: Paged<News>; messages: Paged<Message> } }).model;
}

async function older<T>(cookie: string, url: string): Promise<Paged<T>> {
  const response = await customerGet(t.app, url, cookie);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBeTruthy();
  return response.json() as Paged<T>;
}

const texts = (messages: Message[]) => messages.map((message) => message.text);
/** "Melding 75" … "Melding 1": the bodies of messages `to` down to `from`. */
const counting = (to: number, from: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `Melding ${to - i}`);

describe('customer page lists in pages', () => {
  it('answers 401 without a customer session', async () => {
    expect((await customerGet(t.app, '/api/customer/messages', null)).statusCode).toBe(401);
    expect((await customerGet(t.app, '/api/customer/news?page=2', null)).statusCode).toBe(401);
  });

  it('holds the 30 newest of 75 messages on the page, the rest on pages 2 and 3, none twice or lost', async () => {
    const w = await world();
    // The oldest message carries a file: it ends up on page 3, and stays downloadable from there.
    const { payload, contentType } = multipart([
      { name: 'body', value: 'Melding 1' },
      { name: 'files', filename: 'Rapport.pdf', content: PDF, type: 'application/pdf' },
    ]);
    const first = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/messages`,
      headers: { ...browserHeaders(w.staff.cookie), 'content-type': contentType },
      payload,
    });
    expect(first.statusCode, first.body).toBe(201);
    for (let n = 2; n <= 75; n++) await w.say(`Melding ${n}`);

    const { messages } = await page(w.customer);
    expect(messages.total).toBe(75);
    expect([messages.page, messages.pageSize]).toEqual([1, 30]);
    expect(texts(messages.items)).toEqual(counting(75, 46));

    const anchor = messages.items[0]?.id ?? '';
    const url = (n: number) => `/api/customer/messages?page=${n}&pageSize=30&anchor=${anchor}`;
    const second = await older<Message>(w.customer, url(2));
    expect({ ...second, items: texts(second.items) }).toEqual({
      items: counting(45, 16),
      total: 75,
      page: 2,
      pageSize: 30,
    });
    // A message arriving between two "Show older" changes nothing of the anchored pages.
    await w.say('Melding 76');
    const third = await older<Message>(w.customer, url(3));
    expect({ ...third, items: texts(third.items) }).toEqual({
      items: counting(15, 1),
      total: 75,
      page: 3,
      pageSize: 30,
    });
    const ids = [...messages.items, ...second.items, ...third.items].map((message) => message.id);
    expect(new Set(ids).size).toBe(75);
    expect((await older<Message>(w.customer, url(4))).items).toEqual([]);

    // Without an anchor the list is the whole thread now (76): the page answer's order, same filter.
    const now = await older<Message>(w.customer, '/api/customer/messages?page=2&pageSize=30');
    expect([now.total, ...texts(now.items).slice(0, 1)]).toEqual([76, 'Melding 46']);

    const file = third.items.at(-1)?.attachments[0];
    expect(file?.url).toMatch(/^\/api\/customer\/documents\//);
    const download = await customerGet(t.app, file?.url ?? '', w.customer);
    expect(download.statusCode, download.body).toBe(200);
  }, 120_000);

  it('applies the news filter to the older pages, and leaves out what the feed never shows', async () => {
    const w = await world({ newsFilter: ['message_to_customer'] });
    // Task news (not in the filter) between the messages.
    for (let n = 1; n <= 35; n++) {
      await w.say(`Melding ${n}`);
      if (n % 5 === 0) await createTask(t.db, w.actor, w.caseId, { name: `Oppgave ${n}` });
    }
    const { news } = await page(w.customer);
    expect(news.total).toBe(35);
    expect(news.items).toHaveLength(30);
    const anchor = news.items[0]?.id ?? '';
    const second = await older<News>(w.customer, `/api/customer/news?lang=en&page=2&anchor=${anchor}`);
    expect(second.total).toBe(35);
    expect(second.pageSize).toBe(30);
    expect(second.items.map((item) => [item.kind, item.text])).toEqual(
      Array.from({ length: 5 }, () => ['message_to_customer', 'You have a new message']),
    );
    const all = new Set([...news.items, ...second.items].map((item) => item.id));
    expect(all.size).toBe(35);

    // The filter is the page's: task news appear on every page once the filter names them.
    await saveSettings(t.db, w.staff.companyId, { ...baseSettings, newsFilter: ['tasks_added'] });
    const tasks = await older<News>(w.customer, '/api/customer/news?page=1&pageSize=5');
    expect(tasks.total).toBe(7);
    expect(tasks.items.map((item) => item.kind)).toEqual(Array(5).fill('tasks_added'));
    const rest = await older<News>(w.customer, '/api/customer/news?page=2&pageSize=5');
    expect(rest.items.map((item) => item.kind)).toEqual(['tasks_added', 'tasks_added']);
  }, 120_000);

  it('counts a deleted document in the news only when the customer had been shown it', async () => {
    const w = await world({ newsFilter: ['document_shared', 'document_unshared'] });
    const upload = async (name: string) => {
      const { payload, contentType } = multipart([
        { name: 'kind', value: 'other' },
        { name: 'file', filename: name, content: PDF, type: 'application/pdf' },
      ]);
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${w.caseId}/documents`,
        headers: { ...browserHeaders(w.staff.cookie), 'content-type': contentType },
        payload,
      });
      expect(response.statusCode, response.body).toBe(201);
      return (response.json() as { id: string }).id;
    };
    const shown = await upload('Delt.pdf');
    const never = await upload('Intern.pdf');
    const share = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/documents/share`,
      headers: browserHeaders(w.staff.cookie),
      payload: { documentIds: [shown] },
    });
    expect(share.statusCode, share.body).toBe(200);
    for (const id of [never, shown]) {
      const gone = await t.app.inject({
        method: 'DELETE',
        url: `/api/cases/${w.caseId}/documents/${id}`,
        headers: browserHeaders(w.staff.cookie),
      });
      expect(gone.statusCode, gone.body).toBe(204);
    }
    const { news } = await page(w.customer);
    expect(news.items.map((item) => item.text)).toEqual([
      'Dokument fjernet: Delt.pdf',
      'Dokument delt med deg: Delt.pdf',
    ]);
    expect(news.total).toBe(2);
    expect((await older<News>(w.customer, '/api/customer/news')).total).toBe(2);
  });

  it("answers only the session's case: another case's customer sees its own lists, not an anchor of ours", async () => {
    const a = await world();
    const b = await world();
    for (let n = 1; n <= 3; n++) await a.say(`Melding ${n}`);
    await b.say('Hei B');
    const mine = await older<Message>(b.customer, '/api/customer/messages');
    expect(texts(mine.items)).toEqual(['Hei B']);
    expect(mine.total).toBe(1);
    const theirs = await page(a.customer);
    const anchor = theirs.messages.items[0]?.id ?? '';
    const foreign = await customerGet(t.app, `/api/customer/messages?page=2&anchor=${anchor}`, b.customer);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('Melding');
    const newsAnchor = theirs.news.items[0]?.id ?? '';
    expect(
      (await customerGet(t.app, `/api/customer/news?page=2&anchor=${newsAnchor}`, b.customer)).statusCode,
    ).toBe(404);
  });

  it('refuses bad paging with 400, and shows nothing of a hidden thread', async () => {
    const w = await world({ showCommunication: 'never' });
    for (const query of ['pageSize=101', 'page=0', 'pageSize=abc', 'page=1&sort=asc', 'anchor=']) {
      const response = await customerGet(t.app, `/api/customer/messages?${query}`, w.customer);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(400);
    }
    expect(await older<Message>(w.customer, '/api/customer/messages')).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageSize: 30,
    });
  });

  it('answers 403 when the page is not available: SMS code not entered, case cancelled', async () => {
    const coded = await world({ smsSecurityCode: true });
    for (const url of ['/api/customer/messages', '/api/customer/news?page=2']) {
      const response = await customerGet(t.app, url, coded.customer);
      expect(response.statusCode, response.body).toBe(403);
    }

    const w = await world();
    await w.say('Før avbrudd');
    await changeCaseStatus(t.db, w.actor, w.caseId, 'cancel');
    for (const url of ['/api/customer/messages', '/api/customer/news']) {
      const response = await customerGet(t.app, url, w.customer);
      expect(response.statusCode, response.body).toBe(403);
      expect(response.body).not.toContain('Før avbrudd');
    }
  });
});
