import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '../../src/common/contracts/paging.ts';
import { newId } from '../../src/server/security/tokens.ts';
import { makeCase, makeUser, signedInUser, staffActor } from '../support/factory.ts';
import { useTestApp } from '../support/test-app.ts';

// Issue 15 item 4: every list that can grow answers in pages — one convention (src/common/contracts/paging.ts):
// `page` (1-based) and `pageSize` (1–100) in, `{items, total, page, pageSize}` out, page 1 holding
// what matters now. These lists used to come back whole.

const t = useTestApp();

type PageOf<T> = { items: T[]; total: number; page: number; pageSize: number };

async function world() {
  const user = await signedInUser(t.app, t.db, { level: 1 });
  const { id: caseId } = await makeCase(t.db, staffActor(user, 1));
  const get = async <T>(url: string) => {
    const response = await t.app.inject({ method: 'GET', url, headers: { cookie: user.cookie } });
    return { status: response.statusCode, body: response.json() as T };
  };
  return { user, caseId, get };
}

/** The moment `n` seconds after a fixed instant well after the case was made (so these are newest). */
const at = (n: number) => new Date(Date.UTC(2031, 0, 1) + n * 1000).toISOString();

/** Pages 1…3 of a list of `size` 50: the ids of each, to check order, sizes and that none repeats. */
async function threePages<T extends { id: string }>(
  get: (url: string) => Promise<{ status: number; body: PageOf<T> }>,
  url: string,
) {
  const join = url.includes('?') ? '&' : '?';
  const pages: Array<PageOf<T>> = [];
  for (const page of [1, 2, 3]) {
    const answer = await get(`${url}${join}page=${page}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    pages.push(answer.body);
  }
  const ids = pages.flatMap((page) => page.items.map((item) => item.id));
  expect(new Set(ids).size).toBe(ids.length);
  return pages;
}

async function expectRefusedPageSize(url: string, cookie: string) {
  const join = url.includes('?') ? '&' : '?';
  for (const [query, field] of [
    [`pageSize=${MAX_PAGE_SIZE + 1}`, 'querystring.pageSize'],
    ['pageSize=0', 'querystring.pageSize'],
    ['page=0', 'querystring.page'],
    ['page=two', 'querystring.page'],
  ] as const) {
    const response = await t.app.inject({ method: 'GET', url: `${url}${join}${query}`, headers: { cookie } });
    expect(response.statusCode, `${url} ${query}`).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.fields.map((f: { path: string }) => f.path)).toContain(field);
  }
}

describe('paging: the case log', () => {
  it('answers 120 events 50 a page, newest first, with the right total; page 3 holds the rest', async () => {
    const w = await world();
    const before = await t.db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', w.caseId)
      .execute();
    await t.db
      .insertInto('case_events')
      .values(
        Array.from({ length: 120 }, (_, n) => ({
          id: newId(),
          company_id: w.user.companyId,
          case_id: w.caseId,
          kind: 'case_updated',
          occurred_at: at(n),
          actor_kind: 'user' as const,
          actor_id: w.user.id,
          actor_name: 'Kari',
          data: JSON.stringify({ n }),
        })),
      )
      .execute();
    const total = 120 + before.length;

    const pages = await threePages<{ id: string; occurredAt: string; data: { n?: number } }>(
      w.get,
      `/api/cases/${w.caseId}/log`,
    );
    expect(pages.map((page) => [page.page, page.pageSize, page.total, page.items.length])).toEqual([
      [1, 50, total, 50],
      [2, 50, total, 50],
      [3, 50, total, total - 100],
    ]);
    // Newest first across the pages: n = 119 … 0, then the case's own older events.
    expect(pages[0]!.items.map((e) => e.data.n)).toEqual(Array.from({ length: 50 }, (_, i) => 119 - i));
    expect(pages[2]!.items.slice(0, 20).map((e) => e.data.n)).toEqual(
      Array.from({ length: 20 }, (_, i) => 19 - i),
    );
    const times = pages.flatMap((page) => page.items.map((e) => e.occurredAt));
    expect(times).toEqual([...times].sort().reverse());
    expect(pages[2]!.items.at(-1)).toMatchObject({ kind: 'case_created' });

    // A topic or a kind narrows the list and its total alike.
    const updated = await w.get<PageOf<unknown>>(`/api/cases/${w.caseId}/log?kind=case_updated&pageSize=100`);
    expect(updated.body).toMatchObject({ total: 120, page: 1, pageSize: 100 });
    expect(updated.body.items).toHaveLength(100);
    const past = await w.get<PageOf<unknown>>(`/api/cases/${w.caseId}/log?page=9`);
    expect(past.body).toMatchObject({ items: [], total, page: 9, pageSize: 50 });

    await expectRefusedPageSize(`/api/cases/${w.caseId}/log`, w.user.cookie);
    await expectRefusedPageSize(`/api/cases/${w.caseId}/log?topic=case`, w.user.cookie);
  });
});

describe('paging: the staff message thread', () => {
  it('answers 120 messages 50 a page, newest first; the unread count covers the whole thread', async () => {
    const w = await world();
    await t.db
      .insertInto('case_messages')
      .values(
        Array.from({ length: 120 }, (_, n) => ({
          id: newId(),
          company_id: w.user.companyId,
          case_id: w.caseId,
          direction: n % 2 === 0 ? ('from_customer' as const) : ('to_customer' as const),
          sender_kind: n % 2 === 0 ? ('customer' as const) : ('user' as const),
          sender_id: w.user.id,
          sender_name: 'Kari',
          sender_email: null,
          body: `Melding ${n}`,
          created_at: at(n),
          read_at: null,
        })),
      )
      .execute();

    type Thread = PageOf<{ id: string; body: string }> & { unreadFromCustomer: number };
    const pages = (await threePages<{ id: string; body: string }>(
      w.get,
      `/api/cases/${w.caseId}/messages`,
    )) as Thread[];
    expect(pages.map((page) => [page.page, page.pageSize, page.total, page.items.length])).toEqual([
      [1, 50, 120, 50],
      [2, 50, 120, 50],
      [3, 50, 120, 20],
    ]);
    expect(pages[0]!.items[0]!.body).toBe('Melding 119');
    expect(pages[1]!.items[0]!.body).toBe('Melding 69');
    expect(pages[2]!.items.map((m) => m.body)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Melding ${19 - i}`),
    );
    for (const page of pages) {
      expect(page.unreadFromCustomer).toBe(60);
      expect(page).toHaveProperty('communication.method');
    }

    await expectRefusedPageSize(`/api/cases/${w.caseId}/messages`, w.user.cookie);
  });
});

describe('paging: reminders (an economy list)', () => {
  it('answers open reminders first, earliest due first, then done ones, in pages with the total', async () => {
    const w = await world();
    const due = (n: number) =>
      `2030-${String(1 + Math.floor(n / 28)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
    await t.db
      .insertInto('reminders')
      .values(
        Array.from({ length: 120 }, (_, n) => ({
          id: newId(),
          company_id: w.user.companyId,
          case_id: w.caseId,
          due_on: due(n),
          text: `Påminnelse ${n}`,
          // Every other one is done: 60 open, 60 done.
          done_at: n % 2 === 1 ? at(n) : null,
          created_at: at(n),
        })),
      )
      .execute();

    const pages = await threePages<{ id: string; done: boolean; dueOn: string; text: string }>(
      w.get,
      `/api/cases/${w.caseId}/reminders`,
    );
    expect(pages.map((page) => [page.total, page.items.length])).toEqual([
      [120, 50],
      [120, 50],
      [120, 20],
    ]);
    const all = pages.flatMap((page) => page.items);
    expect(all.map((r) => r.done)).toEqual([...Array(60).fill(false), ...Array(60).fill(true)]);
    expect(all[0]).toMatchObject({ text: 'Påminnelse 0', dueOn: due(0) });
    expect(all.slice(0, 60).map((r) => r.dueOn)).toEqual(
      all
        .slice(0, 60)
        .map((r) => r.dueOn)
        .sort(),
    );

    const small = await w.get<PageOf<unknown>>(`/api/cases/${w.caseId}/reminders?page=2&pageSize=7`);
    expect(small.body).toMatchObject({ total: 120, page: 2, pageSize: 7 });
    expect(small.body.items).toHaveLength(7);

    await expectRefusedPageSize(`/api/cases/${w.caseId}/reminders`, w.user.cookie);
  });
});

describe('paging: staff users (a pick list with a larger default page)', () => {
  it('defaults to 100 a page and pages by name when asked for fewer', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    for (let n = 0; n < 4; n++) await makeUser(t.db, { companyId: admin.companyId, level: 1 });
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } });

    const whole = (await get('/api/users')).json() as PageOf<{ id: string; name: string }>;
    expect(whole).toMatchObject({ total: 5, page: 1, pageSize: 100 });
    const names = whole.items.map((u) => u.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const second = (await get('/api/users?page=2&pageSize=2')).json() as PageOf<{ id: string }>;
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(second.items.map((u) => u.id)).toEqual(whole.items.slice(2, 4).map((u) => u.id));
    await expectRefusedPageSize('/api/users', admin.cookie);
  });
});

describe('paging: documented once in the OpenAPI document', () => {
  /** Every list of the staff API that can grow (docs/architecture.md, "Lists"). */
  const pagedLists = [
    '/api/cases',
    '/api/dashboard/cases',
    '/api/cases/{id}/log',
    '/api/cases/{id}/messages',
    '/api/cases/{id}/calls',
    '/api/cases/{id}/documents',
    '/api/cases/{id}/reminders',
    '/api/cases/{id}/quote-requests',
    '/api/cases/{id}/invoices',
    '/api/notifications',
    '/api/users',
    '/api/partners',
    '/api/admin/api-keys',
    '/api/admin/customer-page/audit',
    '/api/admin/dev-mailbox',
  ];

  type Parameter = { name: string; in: string; description?: string; schema: { maximum?: number } };
  type Operation = {
    parameters?: Parameter[];
    responses: Record<string, { content?: Record<string, { schema: { properties?: object } }> }>;
  };

  it('gives every list page and pageSize (≤ 100, described) and the answer items, total, page, pageSize', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      info: { description: string };
      paths: Record<string, { get?: Operation }>;
    };
    expect(doc.info.description).toMatch(/pageSize/);
    for (const path of pagedLists) {
      const get = doc.paths[path]?.get;
      expect(get, path).toBeDefined();
      const query = new Map((get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]));
      expect(query.get('pageSize')?.schema.maximum, path).toBe(MAX_PAGE_SIZE);
      expect(query.get('pageSize')?.description, path).toMatch(/1–100/);
      expect(query.get('page')?.description, path).toMatch(/1-based/);
      const body = get!.responses['200']?.content?.['application/json']?.schema;
      expect(Object.keys(body?.properties ?? {}), path).toEqual(
        expect.arrayContaining(['items', 'total', 'page', 'pageSize']),
      );
    }
    // And no other GET of the staff API answers a bare array.
    for (const [path, item] of Object.entries(doc.paths)) {
      const schema = item.get?.responses['200']?.content?.['application/json']?.schema as
        { type?: string } | undefined;
      expect(schema?.type, path).not.toBe('array');
    }
  });
});
