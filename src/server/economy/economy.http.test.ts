import { describe, expect, it } from 'vitest';
import {
  browserHeaders,
  makeApiKey,
  makeCase,
  makePartnerWithOffice,
  signedInUser,
} from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import type { AuthorizationLevel } from '../../common/rules/enums.ts';
import type { Actor } from '../security/actor.ts';

const t = useTestApp();

type Method = 'GET' | 'POST' | 'PUT';

/** A signed-in user with the service actor of the same user (to create fixtures through services). */
async function staff(options: { companyId?: string; level?: number } = {}) {
  const user = await signedInUser(t.app, t.db, options);
  const actor: Actor = {
    kind: 'staff',
    userId: user.id,
    companyId: user.companyId,
    level: (options.level ?? 1) as AuthorizationLevel,
    sessionId: 'test',
  };
  return { ...user, actor };
}

const call = (method: Method, url: string, cookie: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: method === 'GET' ? { cookie } : browserHeaders(cookie),
    ...(method !== 'GET' && { payload: payload ?? {} }),
  });

/** The events of a case after its creation, oldest first, with parsed data. */
async function eventsOf(caseId: string) {
  const rows = await t.db
    .selectFrom('case_events')
    .select(['kind', 'data', 'actor_kind', 'actor_id', 'company_id'])
    .where('case_id', '=', caseId)
    // Customer-access events (links queued at case creation) are tested in customer-access/.
    .where('kind', 'not like', 'customer_%')
    .where('kind', '!=', 'case_created')
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as unknown }));
}

const count = async (table: 'reminders' | 'quote_requests' | 'invoices' | 'budget_lines', caseId: string) =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('economy: authentication', () => {
  it('answers 401 on every economy route without a session, and writes nothing', async () => {
    const owner = await staff({ level: 6 });
    const { id } = await makeCase(t.db, owner.actor);
    const routes: Array<[Method, string, unknown?]> = [
      ['POST', `/api/cases/${id}/reminders`, { dueOn: '2026-12-01', text: 'Ring kunden' }],
      ['GET', `/api/cases/${id}/reminders`],
      ['POST', `/api/reminders/${id}/done`],
      ['POST', `/api/cases/${id}/quote-requests`, { description: 'Tak', deadlineOn: '2026-12-01' }],
      ['GET', `/api/cases/${id}/quote-requests`],
      ['POST', `/api/quote-requests/${id}/answered`],
      ['POST', `/api/cases/${id}/invoices`, { description: 'Faktura', amountOre: 100, dueOn: '2026-12-01' }],
      ['GET', `/api/cases/${id}/invoices`],
      ['POST', `/api/invoices/${id}/approve`],
      ['GET', `/api/cases/${id}/budget`],
      ['PUT', `/api/cases/${id}/budget`, { lines: [] }],
    ];
    for (const [method, url, payload] of routes) {
      const response = await t.app.inject({
        method,
        url,
        headers: { origin: TEST_ORIGIN },
        ...(method !== 'GET' && { payload: payload ?? {} }),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
    for (const table of ['reminders', 'quote_requests', 'invoices', 'budget_lines'] as const) {
      expect(await count(table, id)).toBe(0);
    }
    expect(await eventsOf(id)).toEqual([]);
  });
});

describe('economy: bad input', () => {
  it('names the bad fields of a reminder, quote request and invoice with 400, writing nothing', async () => {
    const user = await staff({ level: 6 });
    const { id } = await makeCase(t.db, user.actor);
    const cases: Array<[string, unknown, string[]]> = [
      [`/api/cases/${id}/reminders`, { dueOn: '2026-02-30', text: 'x' }, ['body.dueOn']],
      [`/api/cases/${id}/reminders`, { dueOn: '1.12.2026', text: '  ' }, ['body.dueOn', 'body.text']],
      [`/api/cases/${id}/reminders`, { dueOn: '2026-12-01', text: 'x', doneAt: 'now' }, []],
      [`/api/cases/${id}/quote-requests`, { description: '', deadlineOn: 'soon' }, ['body.deadlineOn']],
      [
        `/api/cases/${id}/invoices`,
        { description: 'Faktura', amountOre: 0, dueOn: '2026-12-01' },
        ['body.amountOre'],
      ],
      [
        `/api/cases/${id}/invoices`,
        { description: 'Faktura', amountOre: -100, dueOn: '2026-12-01' },
        ['body.amountOre'],
      ],
      [
        `/api/cases/${id}/invoices`,
        { description: 'Faktura', amountOre: 12.5, dueOn: '2026-12-01' },
        ['body.amountOre'],
      ],
      [
        `/api/cases/${id}/invoices`,
        { description: 'Faktura', amountOre: '100', dueOn: '2026-12-01' },
        ['body.amountOre'],
      ],
    ];
    for (const [url, payload, fields] of cases) {
      const response = await call('POST', url, user.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('validation_failed');
      const paths = (error.fields as Array<{ path: string }>).map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(fields));
    }
    for (const table of ['reminders', 'quote_requests', 'invoices'] as const) {
      expect(await count(table, id)).toBe(0);
    }
    expect(await eventsOf(id)).toEqual([]);
  });

  it('refuses an officeId that is not an office of the company with 400 naming the field', async () => {
    const user = await staff({ level: 6 });
    const { id } = await makeCase(t.db, user.actor);
    const stranger = await staff({ level: 6 });
    const foreign = await makePartnerWithOffice(t.db, stranger.companyId);
    for (const officeId of [foreign.officeId, 'no-such-office']) {
      const quote = await call('POST', `/api/cases/${id}/quote-requests`, user.cookie, {
        officeId,
        description: 'Nytt tak',
        deadlineOn: '2026-12-01',
      });
      const invoice = await call('POST', `/api/cases/${id}/invoices`, user.cookie, {
        officeId,
        description: 'Faktura',
        amountOre: 100,
        dueOn: '2026-12-01',
      });
      for (const response of [quote, invoice]) {
        expect(response.statusCode).toBe(400);
        expect(response.json().error.code).toBe('validation_failed');
        expect(response.json().error.message).toContain('officeId');
        expect(response.json().error.fields).toEqual([
          { path: 'body.officeId', message: expect.any(String), code: 'unknown_reference' },
        ]);
      }
    }
    expect(await count('quote_requests', id)).toBe(0);
    expect(await count('invoices', id)).toBe(0);
    expect(await eventsOf(id)).toEqual([]);
  });

  it('changes nothing when one budget line of several is invalid', async () => {
    const user = await staff({ level: 2 });
    const { id } = await makeCase(t.db, user.actor);
    const saved = await call('PUT', `/api/cases/${id}/budget`, user.cookie, {
      lines: [{ description: 'Riving', amountOre: 1_500_000 }],
    });
    expect(saved.statusCode).toBe(200);
    const before = (await call('GET', `/api/cases/${id}/budget`, user.cookie)).json();
    for (const bad of [
      { description: 'Maling', amountOre: -1 },
      { description: '', amountOre: 100 },
      { description: 'Flis', amountOre: 1.5 },
      { description: 'Flis', amountOre: 100, vat: 25 },
    ]) {
      const response = await call('PUT', `/api/cases/${id}/budget`, user.cookie, {
        lines: [{ description: 'Tak', amountOre: 2_000_000 }, bad, { description: 'Gulv', amountOre: 3 }],
      });
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.json().error.message).toContain('body.lines.1');
    }
    expect((await call('GET', `/api/cases/${id}/budget`, user.cookie)).json()).toEqual(before);
    expect(before).toEqual({
      lines: [{ id: expect.any(String), description: 'Riving', amountOre: 1_500_000 }],
      totalOre: 1_500_000,
    });
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['budget_changed']);
  });
});

describe('economy: not allowed or not yours', () => {
  it('lets level 1 work but not approve invoices or change the budget (403, nothing changed)', async () => {
    const clerk = await staff({ level: 1 });
    const { id } = await makeCase(t.db, clerk.actor);
    const invoice = await call('POST', `/api/cases/${id}/invoices`, clerk.cookie, {
      description: 'Rørlegger',
      amountOre: 250_000,
      dueOn: '2026-12-10',
    });
    expect(invoice.statusCode).toBe(201);
    const approve = await call('POST', `/api/invoices/${invoice.json().id}/approve`, clerk.cookie);
    expect(approve.statusCode).toBe(403);
    expect(approve.json().error.code).toBe('forbidden');
    const budget = await call('PUT', `/api/cases/${id}/budget`, clerk.cookie, {
      lines: [{ description: 'Tak', amountOre: 100 }],
    });
    expect(budget.statusCode).toBe(403);
    // Reading the budget is open to every level.
    const read = await call('GET', `/api/cases/${id}/budget`, clerk.cookie);
    expect(read.json()).toEqual({ lines: [], totalOre: 0 });
    const [row] = await t.db.selectFrom('invoices').selectAll().where('case_id', '=', id).execute();
    expect(row).toMatchObject({ status: 'awaiting_approval', approved_at: null });
    expect(await count('budget_lines', id)).toBe(0);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['invoice_received']);
  });

  it('follows the level table: 2 and 3 edit the budget but cannot approve; 4 approves', async () => {
    const owner = await staff({ level: 6 });
    const { id } = await makeCase(t.db, owner.actor);
    for (const level of [2, 3, 4]) {
      const user = await staff({ companyId: owner.companyId, level });
      const invoice = await call('POST', `/api/cases/${id}/invoices`, user.cookie, {
        description: `Faktura ${level}`,
        amountOre: 100 * level,
        dueOn: '2026-12-10',
      });
      const approve = await call('POST', `/api/invoices/${invoice.json().id}/approve`, user.cookie);
      expect(approve.statusCode, `level ${level} approve`).toBe(level >= 4 ? 200 : 403);
      const budget = await call('PUT', `/api/cases/${id}/budget`, user.cookie, {
        lines: [{ description: `Linje ${level}`, amountOre: level }],
      });
      expect(budget.statusCode, `level ${level} budget`).toBe(200);
    }
    const statuses = await t.db
      .selectFrom('invoices')
      .select(['description', 'status'])
      .where('case_id', '=', id)
      .orderBy('description')
      .execute();
    expect(statuses).toEqual([
      { description: 'Faktura 2', status: 'awaiting_approval' },
      { description: 'Faktura 3', status: 'awaiting_approval' },
      { description: 'Faktura 4', status: 'approved' },
    ]);
  });

  it("answers 404 for another company's case, reminder, quote request and invoice, changing nothing", async () => {
    const owner = await staff({ level: 6 });
    const { id } = await makeCase(t.db, owner.actor);
    const reminder = await call('POST', `/api/cases/${id}/reminders`, owner.cookie, {
      dueOn: '2026-12-01',
      text: 'Følg opp',
    });
    const quote = await call('POST', `/api/cases/${id}/quote-requests`, owner.cookie, {
      description: 'Nytt bad',
      deadlineOn: '2026-12-01',
    });
    const invoice = await call('POST', `/api/cases/${id}/invoices`, owner.cookie, {
      description: 'Faktura',
      amountOre: 100,
      dueOn: '2026-12-01',
    });
    const stranger = await staff({ level: 6 });
    const routes: Array<[Method, string, unknown?]> = [
      ['POST', `/api/cases/${id}/reminders`, { dueOn: '2026-12-01', text: 'x' }],
      ['GET', `/api/cases/${id}/reminders`],
      ['POST', `/api/reminders/${reminder.json().id}/done`],
      ['POST', `/api/cases/${id}/quote-requests`, { description: 'x', deadlineOn: '2026-12-01' }],
      ['GET', `/api/cases/${id}/quote-requests`],
      ['POST', `/api/quote-requests/${quote.json().id}/answered`],
      ['POST', `/api/cases/${id}/invoices`, { description: 'x', amountOre: 1, dueOn: '2026-12-01' }],
      ['GET', `/api/cases/${id}/invoices`],
      ['POST', `/api/invoices/${invoice.json().id}/approve`],
      ['GET', `/api/cases/${id}/budget`],
      ['PUT', `/api/cases/${id}/budget`, { lines: [{ description: 'x', amountOre: 1 }] }],
      ['GET', '/api/cases/no-such-case/budget'],
      ['POST', '/api/invoices/no-such-invoice/approve'],
    ];
    for (const [method, url, payload] of routes) {
      const response = await call(method, url, stranger.cookie, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect(await count('reminders', id)).toBe(1);
    expect(await count('quote_requests', id)).toBe(1);
    expect(await count('invoices', id)).toBe(1);
    expect(await count('budget_lines', id)).toBe(0);
    const states = await Promise.all([
      t.db.selectFrom('reminders').select('done_at').where('case_id', '=', id).executeTakeFirst(),
      t.db.selectFrom('quote_requests').select('status').where('case_id', '=', id).executeTakeFirst(),
      t.db.selectFrom('invoices').select('status').where('case_id', '=', id).executeTakeFirst(),
    ]);
    expect(states).toEqual([{ done_at: null }, { status: 'pending' }, { status: 'awaiting_approval' }]);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual([
      'reminder_set',
      'quote_request_created',
      'invoice_received',
    ]);
  });
});

describe('economy: reminders', () => {
  it('sets, lists and completes a reminder, with its reminder_set and reminder_done events', async () => {
    const user = await staff({ level: 1 });
    const { id } = await makeCase(t.db, user.actor);
    const later = await call('POST', `/api/cases/${id}/reminders`, user.cookie, {
      dueOn: '2026-12-24',
      text: ' Ring kunden om fakturaen ',
    });
    expect(later.statusCode).toBe(201);
    expect(later.json()).toEqual({
      id: expect.any(String),
      caseId: id,
      dueOn: '2026-12-24',
      text: 'Ring kunden om fakturaen',
      done: false,
      doneAt: null,
      createdAt: expect.any(String),
    });
    const sooner = await call('POST', `/api/cases/${id}/reminders`, user.cookie, {
      dueOn: '2026-12-01',
      text: 'Send tilbud',
    });
    const done = await call('POST', `/api/reminders/${sooner.json().id}/done`, user.cookie);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ id: sooner.json().id, done: true, doneAt: expect.any(String) });
    const again = await call('POST', `/api/reminders/${sooner.json().id}/done`, user.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');

    const list = await call('GET', `/api/cases/${id}/reminders`, user.cookie);
    expect(list.json().items.map((r: { dueOn: string; done: boolean }) => [r.dueOn, r.done])).toEqual([
      ['2026-12-24', false],
      ['2026-12-01', true],
    ]);
    expect(await eventsOf(id)).toEqual([
      {
        kind: 'reminder_set',
        data: { reminderId: later.json().id, dueOn: '2026-12-24', internalText: 'Ring kunden om fakturaen' },
        actor_kind: 'user',
        actor_id: user.id,
        company_id: user.companyId,
      },
      {
        kind: 'reminder_set',
        data: { reminderId: sooner.json().id, dueOn: '2026-12-01', internalText: 'Send tilbud' },
        actor_kind: 'user',
        actor_id: user.id,
        company_id: user.companyId,
      },
      {
        kind: 'reminder_done',
        data: { reminderId: sooner.json().id },
        actor_kind: 'user',
        actor_id: user.id,
        company_id: user.companyId,
      },
    ]);
  });
});

describe('economy: quote requests', () => {
  it('requests a quote from an office and records the answer, each with its event', async () => {
    const user = await staff({ level: 1 });
    const { id } = await makeCase(t.db, user.actor);
    const { officeId, partnerId } = await makePartnerWithOffice(t.db, user.companyId);
    const { name: partnerName } = await t.db
      .selectFrom('partners')
      .select('name')
      .where('id', '=', partnerId)
      .executeTakeFirstOrThrow();
    const created = await call('POST', `/api/cases/${id}/quote-requests`, user.cookie, {
      officeId,
      description: 'Tilbud på nytt bad',
      deadlineOn: '2026-12-05',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(String),
      caseId: id,
      office: { id: officeId, name: expect.stringMatching(/^Office /), partnerName },
      description: 'Tilbud på nytt bad',
      deadlineOn: '2026-12-05',
      status: 'pending',
      answeredAt: null,
      amountOre: null,
      createdAt: expect.any(String),
    });
    const withoutOffice = await call('POST', `/api/cases/${id}/quote-requests`, user.cookie, {
      description: 'Tilbud på maling',
      deadlineOn: '2026-12-01',
    });
    expect(withoutOffice.json().office).toBeNull();

    const negative = await call('POST', `/api/quote-requests/${created.json().id}/answered`, user.cookie, {
      amountOre: -1,
    });
    expect(negative.statusCode).toBe(400);
    const answered = await call('POST', `/api/quote-requests/${created.json().id}/answered`, user.cookie, {
      amountOre: 1_250_050,
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({
      status: 'answered',
      answeredAt: expect.any(String),
      amountOre: 1_250_050,
    });
    const again = await call('POST', `/api/quote-requests/${created.json().id}/answered`, user.cookie);
    expect(again.statusCode).toBe(409);

    const list = await call('GET', `/api/cases/${id}/quote-requests`, user.cookie);
    expect(
      list.json().items.map((q: { description: string; status: string }) => [q.description, q.status]),
    ).toEqual([
      ['Tilbud på maling', 'pending'],
      ['Tilbud på nytt bad', 'answered'],
    ]);
    // What the quote came to reaches cost control's "quoted".
    const costs = await call('GET', `/api/cases/${id}/cost-control`, user.cookie);
    expect(costs.statusCode).toBe(200);
    expect(costs.json().totals.quotedOre).toBe(1_250_050);
    expect((await eventsOf(id)).map(({ kind, data }) => ({ kind, data }))).toEqual([
      {
        kind: 'quote_request_created',
        data: { quoteRequestId: created.json().id, deadlineOn: '2026-12-05' },
      },
      {
        kind: 'quote_request_created',
        data: { quoteRequestId: withoutOffice.json().id, deadlineOn: '2026-12-01' },
      },
      { kind: 'quote_request_answered', data: { quoteRequestId: created.json().id } },
    ]);
  });
});

describe('economy: invoices', () => {
  it('receives an invoice awaiting approval (case banner), and level 4 approves it once', async () => {
    const clerk = await staff({ level: 1 });
    const approver = await staff({ companyId: clerk.companyId, level: 4 });
    const { id } = await makeCase(t.db, clerk.actor);
    const { officeId } = await makePartnerWithOffice(t.db, clerk.companyId);
    // 30 billion NOK: beyond 32 bits, read back from bigint on both databases.
    const amountOre = 3_000_000_000_000;
    const created = await call('POST', `/api/cases/${id}/invoices`, clerk.cookie, {
      officeId,
      description: 'Totalentreprise',
      amountOre,
      dueOn: '2026-12-15',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(String),
      caseId: id,
      office: {
        id: officeId,
        name: expect.stringMatching(/^Office /),
        partnerName: expect.stringMatching(/^Partner /),
      },
      description: 'Totalentreprise',
      amountOre,
      dueOn: '2026-12-15',
      status: 'awaiting_approval',
      approvedAt: null,
      approvedBy: null,
      createdAt: expect.any(String),
    });
    const casePage = await call('GET', `/api/cases/${id}`, clerk.cookie);
    expect(casePage.json().banners.invoicesAwaitingApproval).toBe(1);

    const approved = await call('POST', `/api/invoices/${created.json().id}/approve`, approver.cookie);
    expect(approved.statusCode).toBe(200);
    // The invoice section says who approved it: the approver's name as the case log shows it.
    const { name: approverName } = await t.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', approver.id)
      .executeTakeFirstOrThrow();
    expect(approved.json()).toMatchObject({
      status: 'approved',
      approvedAt: expect.any(String),
      approvedBy: approverName,
      amountOre,
    });
    const again = await call('POST', `/api/invoices/${created.json().id}/approve`, approver.cookie);
    expect(again.statusCode).toBe(409);
    expect(
      (await call('GET', `/api/cases/${id}`, clerk.cookie)).json().banners.invoicesAwaitingApproval,
    ).toBe(0);

    const list = await call('GET', `/api/cases/${id}/invoices`, clerk.cookie);
    expect(list.json().items).toEqual([approved.json()]);
    expect(await eventsOf(id)).toEqual([
      {
        kind: 'invoice_received',
        data: { invoiceId: created.json().id, amountOre, dueOn: '2026-12-15' },
        actor_kind: 'user',
        actor_id: clerk.id,
        company_id: clerk.companyId,
      },
      {
        kind: 'invoice_approved',
        data: { invoiceId: created.json().id },
        actor_kind: 'user',
        actor_id: approver.id,
        company_id: clerk.companyId,
      },
    ]);
  });

  it('lets an API key at level 4 approve, logged as the key', async () => {
    const clerk = await staff({ level: 1 });
    const { id } = await makeCase(t.db, clerk.actor);
    const key = await makeApiKey(t.db, clerk.companyId, 4);
    const created = await call('POST', `/api/cases/${id}/invoices`, clerk.cookie, {
      description: 'Faktura',
      amountOre: 99,
      dueOn: '2026-12-15',
    });
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/invoices/${created.json().id}/approve`,
      headers: { authorization: `Bearer ${key.key}` },
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'approved', approvedBy: `API: ${key.name}` });
    const listed = await call('GET', `/api/cases/${id}/invoices`, clerk.cookie);
    expect(listed.json().items[0]).toMatchObject({ approvedBy: `API: ${key.name}` });
    const events = await eventsOf(id);
    expect(events.at(-1)).toMatchObject({
      kind: 'invoice_approved',
      actor_kind: 'api_key',
      actor_id: key.id,
    });
  });
});

describe('economy: case budget', () => {
  it('replaces every line in one go, keeps their order, and logs the total each time', async () => {
    const user = await staff({ level: 2 });
    const { id } = await makeCase(t.db, user.actor);
    const first = await call('PUT', `/api/cases/${id}/budget`, user.cookie, {
      lines: [
        { description: 'Riving', amountOre: 1_500_000 },
        { description: 'Tømrer', amountOre: 4_000_000_000_000 },
        { description: 'Maling', amountOre: 0 },
      ],
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      lines: [
        { id: expect.any(String), description: 'Riving', amountOre: 1_500_000 },
        { id: expect.any(String), description: 'Tømrer', amountOre: 4_000_000_000_000 },
        { id: expect.any(String), description: 'Maling', amountOre: 0 },
      ],
      totalOre: 4_000_001_500_000,
    });
    expect((await call('GET', `/api/cases/${id}/budget`, user.cookie)).json()).toEqual(first.json());

    const second = await call('PUT', `/api/cases/${id}/budget`, user.cookie, {
      lines: [{ description: 'Elektriker', amountOre: 800_000 }],
    });
    expect(second.json()).toEqual({
      lines: [{ id: expect.any(String), description: 'Elektriker', amountOre: 800_000 }],
      totalOre: 800_000,
    });
    expect(await count('budget_lines', id)).toBe(1);
    const cleared = await call('PUT', `/api/cases/${id}/budget`, user.cookie, { lines: [] });
    expect(cleared.json()).toEqual({ lines: [], totalOre: 0 });
    expect(await count('budget_lines', id)).toBe(0);

    expect(await eventsOf(id)).toEqual(
      [4_000_001_500_000, 800_000, 0].map((totalOre) => ({
        kind: 'budget_changed',
        data: { totalOre },
        actor_kind: 'user',
        actor_id: user.id,
        company_id: user.companyId,
      })),
    );
  });

  it('shows the economy events under the economy topic of the case log', async () => {
    const user = await staff({ level: 2 });
    const { id } = await makeCase(t.db, user.actor);
    await call('PUT', `/api/cases/${id}/budget`, user.cookie, {
      lines: [{ description: 'Tak', amountOre: 5 }],
    });
    const log = await call('GET', `/api/cases/${id}/log?topic=economy`, user.cookie);
    expect(log.json().items).toEqual([
      expect.objectContaining({ kind: 'budget_changed', topic: 'economy', data: { totalOre: 5 } }),
    ]);
  });
});

describe('economy: double submits and simultaneous changes', () => {
  it('completes a reminder, answers a quote request and approves an invoice once when sent twice at once', async () => {
    const user = await staff({ level: 4 });
    const { id } = await makeCase(t.db, user.actor);
    const reminder = await call('POST', `/api/cases/${id}/reminders`, user.cookie, {
      dueOn: '2026-12-01',
      text: 'Ring kunden',
    });
    const quote = await call('POST', `/api/cases/${id}/quote-requests`, user.cookie, {
      description: 'Nytt tak',
      deadlineOn: '2026-12-01',
    });
    const invoice = await call('POST', `/api/cases/${id}/invoices`, user.cookie, {
      description: 'Faktura',
      amountOre: 100,
      dueOn: '2026-12-01',
    });
    for (const url of [
      `/api/reminders/${reminder.json().id}/done`,
      `/api/quote-requests/${quote.json().id}/answered`,
      `/api/invoices/${invoice.json().id}/approve`,
    ]) {
      const responses = await Promise.all([1, 2, 3].map(() => call('POST', url, user.cookie)));
      expect(responses.map((r) => r.statusCode).sort(), url).toEqual([200, 409, 409]);
    }
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual([
      'reminder_set',
      'quote_request_created',
      'invoice_received',
      'reminder_done',
      'quote_request_answered',
      'invoice_approved',
    ]);
  });

  it('saves the same budget again without an event, answering the stored budget', async () => {
    const user = await staff({ level: 2 });
    const { id } = await makeCase(t.db, user.actor);
    const body = {
      lines: [
        { description: 'Riving', amountOre: 1_500_000 },
        { description: 'Maling', amountOre: 0 },
      ],
    };
    const empty = await call('PUT', `/api/cases/${id}/budget`, user.cookie, { lines: [] });
    expect(empty.json()).toEqual({ lines: [], totalOre: 0 });
    const first = await call('PUT', `/api/cases/${id}/budget`, user.cookie, body);
    const again = await call('PUT', `/api/cases/${id}/budget`, user.cookie, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    // The same lines in another order are another budget.
    const swapped = await call('PUT', `/api/cases/${id}/budget`, user.cookie, {
      lines: [...body.lines].reverse(),
    });
    expect(swapped.json().lines.map((l: { description: string }) => l.description)).toEqual([
      'Maling',
      'Riving',
    ]);
    expect((await eventsOf(id)).map(({ kind, data }) => ({ kind, data }))).toEqual([
      { kind: 'budget_changed', data: { totalOre: 1_500_000 } },
      { kind: 'budget_changed', data: { totalOre: 1_500_000 } },
    ]);
  });

  it('writes one event for a budget sent twice at once', async () => {
    const user = await staff({ level: 2 });
    const { id } = await makeCase(t.db, user.actor);
    const body = { lines: [{ description: 'Tak', amountOre: 700 }] };
    const responses = await Promise.all(
      [1, 2, 3].map(() => call('PUT', `/api/cases/${id}/budget`, user.cookie, body)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(await count('budget_lines', id)).toBe(1);
    expect((await eventsOf(id)).map(({ kind, data }) => ({ kind, data }))).toEqual([
      { kind: 'budget_changed', data: { totalOre: 700 } },
    ]);
  });

  it("stores the last of simultaneous different budgets whole, matching that writer's event", async () => {
    const user = await staff({ level: 2 });
    const { id } = await makeCase(t.db, user.actor);
    const bodies = [1, 2, 3].map((n) => ({
      lines: Array.from({ length: n + 1 }, (_, index) => ({
        description: `Linje ${n}.${index}`,
        amountOre: n,
      })),
    }));
    const responses = await Promise.all(
      bodies.map((body) => call('PUT', `/api/cases/${id}/budget`, user.cookie, body)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const stored = (await call('GET', `/api/cases/${id}/budget`, user.cookie)).json();
    // One writer's lines, never a mix.
    const winner = responses.find((r) => r.json().totalOre === stored.totalOre)!.json();
    expect(stored).toEqual(winner);
    const events = await t.db
      .selectFrom('case_events')
      .select(['occurred_at', 'data'])
      .where('case_id', '=', id)
      .where('kind', '=', 'budget_changed')
      .execute();
    expect(events.map((e) => JSON.parse(e.data).totalOre as number).sort((a, b) => a - b)).toEqual([
      2, 6, 12,
    ]);
    // The stored lines were written with their event, and no other event came after it.
    const [firstLine] = await t.db
      .selectFrom('budget_lines')
      .select('created_at')
      .where('case_id', '=', id)
      .orderBy('created_at')
      .execute();
    const own = events.find((e) => JSON.parse(e.data).totalOre === stored.totalOre)!;
    expect(own.occurred_at).toBe(firstLine!.created_at);
    expect(events.every((e) => e.occurred_at <= own.occurred_at)).toBe(true);
  });
});
