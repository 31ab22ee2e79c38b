import { beforeAll, describe, expect, it } from 'vitest';
import { makeApiKey, makeCase, makeUser, signedInUser } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import type { DashboardRow, DashboardView } from '../../common/contracts/economy-api.ts';
import type { AuthorizationLevel } from '../../common/rules/enums.ts';
import { addDays, osloDate, type DashboardColumn } from '../../common/rules/oslo-date.ts';
import type { Actor } from '../security/actor.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { changeCaseStatus } from '../cases/cases.ts';
import { casePolicy } from '../cases/policy.ts';
import { nowIso } from '../db/database.ts';
import type { DocumentsTable } from '../db/schema.ts';
import { markDocumentSeen } from '../documents/documents.ts';
import {
  approveInvoice,
  completeReminder,
  markQuoteAnswered,
  receiveInvoice,
  requestQuote,
  setReminder,
} from '../economy/economy.ts';
import { newId } from '../security/tokens.ts';
import { getDashboard, listDashboardCases } from './dashboard.ts';

const t = useTestApp();

const staffActor = (user: { id: string; companyId: string }, level = 6): Actor => ({
  kind: 'staff',
  userId: user.id,
  companyId: user.companyId,
  level: level as AuthorizationLevel,
  sessionId: 'test',
});

/**
 * An upload row as the documents module writes it: inside a command of its case (the write path),
 * so the dashboard's on-change step sees it. No file: the dashboard reads rows only.
 */
async function insertUpload(
  actor: Actor,
  caseId: string,
  uploadedBy: DocumentsTable['uploaded_by_kind'],
  seen = false,
): Promise<string> {
  const id = newId();
  await caseCommand(t.db, actor, caseId, casePolicy.work, ({ trx }) =>
    trx
      .insertInto('documents')
      .values({
        id,
        company_id: actor.companyId,
        case_id: caseId,
        task_id: null,
        kind: 'other',
        file_name: 'bilde.jpg',
        content_type: 'image/jpeg',
        size_bytes: 1234,
        storage_key: `test/${newId()}`,
        uploaded_by_kind: uploadedBy,
        uploaded_by_id: null,
        uploaded_by_name: uploadedBy,
        seen_at: seen ? nowIso() : null,
        shared_at: null,
        created_at: nowIso(),
      })
      .execute(),
  );
  return id;
}

const reminder = (actor: Actor, caseId: string, dueOn: string) =>
  setReminder(t.db, actor, caseId, { dueOn, text: `Påminnelse ${dueOn}` });
const quote = (actor: Actor, caseId: string, deadlineOn: string) =>
  requestQuote(t.db, actor, caseId, { description: `Tilbud ${deadlineOn}`, deadlineOn });
const invoice = (actor: Actor, caseId: string, dueOn: string) =>
  receiveInvoice(t.db, actor, caseId, { description: `Faktura ${dueOn}`, amountOre: 10_000, dueOn });

const countsOf = (view: DashboardView) =>
  Object.fromEntries(view.rows.map(({ row, today, tomorrow, later }) => [row, [today, tomorrow, later]]));

const zero = {
  reminders: [0, 0, 0],
  quoteRequests: [0, 0, 0],
  customerUploads: [0, 0, 0],
  partnerUploads: [0, 0, 0],
  invoicesAwaitingApproval: [0, 0, 0],
};

describe('dashboard: authentication and input', () => {
  it('answers 401 without a session', async () => {
    for (const url of ['/api/dashboard', '/api/dashboard/cases?row=reminders&column=today']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  it('refuses an unknown row or column, a missing one, and a `now` from outside, with 400', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    const cases: Array<[string, string[]]> = [
      ['row=everything&column=today', ['querystring.row']],
      ['row=reminders&column=yesterday', ['querystring.column']],
      ['column=today', ['querystring.row']],
      ['row=reminders&column=today&pageSize=101', ['querystring.pageSize']],
      ['row=reminders&column=today&page=0', ['querystring.page']],
      ['row=reminders&column=today&now=2026-11-27T22:59:00Z', []],
    ];
    for (const [query, fields] of cases) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/dashboard/cases?${query}`,
        headers: { cookie: user.cookie },
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      const paths = (response.json().error.fields as Array<{ path: string }>).map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(fields));
    }
  });

  it('shows an empty table to a new company, every row in the guide’s order', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/dashboard',
      headers: { cookie: user.cookie },
    });
    expect(response.statusCode).toBe(200);
    const today = osloDate(new Date());
    expect(response.json()).toEqual({
      today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      tomorrow: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      rows: [
        'reminders',
        'quoteRequests',
        'customerUploads',
        'partnerUploads',
        'invoicesAwaitingApproval',
      ].map((row) => ({ row, today: 0, tomorrow: 0, later: 0 })),
    });
    // Around Oslo midnight the request may have seen the next day; either way tomorrow = today + 1.
    expect([today, addDays(today, 1)]).toContain(response.json().today);
    expect(response.json().tomorrow).toBe(addDays(response.json().today, 1));
  });
});

describe('dashboard: counts around midnight in Oslo', () => {
  // A winter evening: 22:59Z is 23:59 on the 27th in Oslo; 23:00Z is already the 28th.
  const beforeMidnight = new Date('2026-11-27T22:59:00Z');
  const afterMidnight = new Date('2026-11-27T23:00:00Z');
  const fx = {} as {
    handler: Actor & { kind: 'staff' };
    colleague: Actor;
    apiKey: Actor;
    stranger: Actor;
    c: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7' | 'x1', string>;
    partnerUpload: string;
  };

  beforeAll(async () => {
    const owner = await makeUser(t.db, { level: 6 });
    fx.handler = staffActor(owner) as Actor & { kind: 'staff' };
    const colleagueUser = await makeUser(t.db, { companyId: owner.companyId, level: 4 });
    fx.colleague = staffActor(colleagueUser);
    const key = await makeApiKey(t.db, owner.companyId, 6);
    fx.apiKey = { kind: 'api_key', apiKeyId: key.id, companyId: owner.companyId, level: 6 };
    const strangerUser = await makeUser(t.db, { level: 6 });
    fx.stranger = staffActor(strangerUser);

    const h = fx.handler;
    const open = async (name: string, actor: Actor = h) =>
      (await makeCase(t.db, actor, { claimNumber: name })).id;
    fx.c = {
      c1: await open('C1'),
      c2: await open('C2'),
      c3: await open('C3'),
      c4: await open('C4'),
      c5: await open('C5'),
      c6: await open('C6', fx.colleague), // handled by the colleague
      c7: await open('C7'),
      x1: await open('X1', fx.stranger), // another company
    };
    const { c1, c2, c3, c4, c5, c6, c7, x1 } = fx.c;

    // Reminders (row for the case handler).
    await reminder(h, c1, '2026-11-27'); // today
    await reminder(h, c1, '2026-11-29'); // later, but c1 counts once, in its most urgent column
    await reminder(h, c2, '2026-11-28'); // tomorrow
    await reminder(h, c3, '2026-11-29'); // later
    const done = await reminder(h, c3, '2026-11-20');
    await completeReminder(t.db, h, done.id);
    await reminder(h, c4, '2026-11-20'); // overdue → today
    await reminder(h, c5, '2026-11-27'); // closed below: never counts
    await reminder(fx.colleague, c6, '2026-11-27'); // not the handler's case
    await reminder(fx.stranger, x1, '2026-11-27');

    // Quote requests (pending ones, company-wide).
    await quote(h, c1, '2026-11-28'); // tomorrow
    const answered = await quote(h, c2, '2026-11-27');
    await markQuoteAnswered(t.db, h, answered.id); // answered: never counts
    await quote(h, c3, '2026-12-01'); // later
    await quote(h, c6, '2026-11-26'); // overdue → today (another handler's case still counts)
    await quote(fx.stranger, x1, '2026-11-27');

    // Invoices awaiting approval.
    await invoice(h, c2, '2026-11-29');
    await invoice(h, c2, '2026-11-28'); // c2's most urgent: tomorrow
    const paid = await invoice(h, c4, '2026-11-27');
    await approveInvoice(t.db, h, paid.id); // approved: never counts
    await invoice(h, c7, '2026-11-27'); // today, on a case on hold
    await invoice(h, c5, '2026-11-27'); // closed case
    await invoice(fx.stranger, x1, '2026-11-27');

    // Uploads: unseen customer and partner documents count as Today.
    await insertUpload(h, c1, 'customer');
    await insertUpload(h, c3, 'customer');
    await insertUpload(h, c3, 'customer'); // same case: counts once
    await insertUpload(h, c2, 'customer', true); // seen
    await insertUpload(h, c4, 'staff'); // our own upload
    fx.partnerUpload = await insertUpload(h, c2, 'partner');
    await insertUpload(h, c5, 'partner'); // closed case
    await insertUpload(fx.stranger, x1, 'customer');
    await insertUpload(fx.stranger, x1, 'partner');

    await changeCaseStatus(t.db, h, c5, 'close', {});
    await changeCaseStatus(t.db, h, c7, 'hold');
  });

  it('counts distinct cases per row in Today/Tomorrow/Later just before midnight', async () => {
    const view = await getDashboard(t.db, fx.handler, beforeMidnight);
    expect(view.today).toBe('2026-11-27');
    expect(view.tomorrow).toBe('2026-11-28');
    expect(countsOf(view)).toEqual({
      reminders: [2, 1, 1], // c1, c4 | c2 | c3
      quoteRequests: [1, 1, 1], // c6 | c1 | c3
      customerUploads: [2, 0, 0], // c1, c3
      partnerUploads: [1, 0, 0], // c2
      invoicesAwaitingApproval: [1, 1, 0], // c7 | c2
    });
  });

  it('moves everything one column at 23:00Z, when the 28th begins in Oslo', async () => {
    const view = await getDashboard(t.db, fx.handler, afterMidnight);
    expect(view.today).toBe('2026-11-28');
    expect(countsOf(view)).toEqual({
      reminders: [3, 1, 0], // c1, c2, c4 | c3
      quoteRequests: [2, 0, 1], // c1, c6 | – | c3
      customerUploads: [2, 0, 0],
      partnerUploads: [1, 0, 0],
      invoicesAwaitingApproval: [2, 0, 0], // c2, c7
    });
  });

  it("shows an API key every case handler's reminders, and another company nothing of ours", async () => {
    const keyView = await getDashboard(t.db, fx.apiKey, beforeMidnight);
    expect(countsOf(keyView).reminders).toEqual([3, 1, 1]); // c1, c4, c6 | c2 | c3
    const colleagueView = await getDashboard(t.db, fx.colleague, beforeMidnight);
    expect(countsOf(colleagueView).reminders).toEqual([1, 0, 0]); // c6
    expect(countsOf(colleagueView).quoteRequests).toEqual([1, 1, 1]);
    const strangerView = await getDashboard(t.db, fx.stranger, beforeMidnight);
    expect(countsOf(strangerView)).toEqual({
      reminders: [1, 0, 0],
      quoteRequests: [1, 0, 0],
      customerUploads: [1, 0, 0],
      partnerUploads: [1, 0, 0],
      invoicesAwaitingApproval: [1, 0, 0],
    });
  });

  it('lists exactly the cases behind every number', async () => {
    const { c1, c2, c3, c4, c6, c7 } = fx.c;
    const expected: Record<DashboardRow, Record<DashboardColumn, string[]>> = {
      reminders: { today: [c4, c1], tomorrow: [c2], later: [c3] },
      quoteRequests: { today: [c6], tomorrow: [c1], later: [c3] },
      customerUploads: { today: [c1, c3], tomorrow: [], later: [] },
      partnerUploads: { today: [c2], tomorrow: [], later: [] },
      invoicesAwaitingApproval: { today: [c7], tomorrow: [c2], later: [] },
    };
    const view = await getDashboard(t.db, fx.handler, beforeMidnight);
    for (const [row, columns] of Object.entries(expected) as Array<
      [DashboardRow, typeof expected.reminders]
    >) {
      for (const [column, ids] of Object.entries(columns) as Array<[DashboardColumn, string[]]>) {
        const list = await listDashboardCases(t.db, fx.handler, { row, column }, beforeMidnight);
        // Most urgent first (then claim number).
        expect(
          list.items.map((c) => c.id),
          `${row}/${column}`,
        ).toEqual(ids);
        // The list agrees with the number in the table, which it carries as its total.
        expect(view.rows.find((r) => r.row === row)?.[column]).toBe(ids.length);
        expect(list.total, `${row}/${column}`).toBe(ids.length);
        // In pages of one: the same cases in the same order, each once, the total on every page.
        const paged: string[] = [];
        for (let page = 1; page <= ids.length + 1; page++) {
          const one = await listDashboardCases(
            t.db,
            fx.handler,
            { row, column, page, pageSize: 1 },
            beforeMidnight,
          );
          expect(one.total).toBe(ids.length);
          paged.push(...one.items.map((c) => c.id));
        }
        expect(paged, `${row}/${column} paged`).toEqual(ids);
      }
    }
    const [first] = (
      await listDashboardCases(t.db, fx.handler, { row: 'reminders', column: 'today' }, beforeMidnight)
    ).items;
    expect(first).toEqual({
      id: c4,
      claimNumber: 'C4',
      address: { street: 'Tollbugata 22', postalCode: '0152', city: 'Oslo' },
      customerName: 'Ola Nordmann',
      earliestDueOn: '2026-11-20',
    });
    const [upload] = (
      await listDashboardCases(t.db, fx.handler, { row: 'customerUploads', column: 'today' }, beforeMidnight)
    ).items;
    expect(upload?.earliestDueOn).toBeNull();
  });

  it('drops a case from the count once its item is handled', async () => {
    const before = countsOf(await getDashboard(t.db, fx.handler, beforeMidnight));
    expect(before.partnerUploads).toEqual([1, 0, 0]);
    await markDocumentSeen(t.db, fx.handler, fx.partnerUpload);
    const after = countsOf(await getDashboard(t.db, fx.handler, beforeMidnight));
    expect(after).toEqual({ ...before, partnerUploads: [0, 0, 0] });
  });
});

describe('dashboard: over HTTP', () => {
  it("counts the signed-in user's items against today in Oslo and lists them behind each number", async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    const actor = staffActor(user, 1);
    const overdue = (await makeCase(t.db, actor, { claimNumber: 'H-OVERDUE' })).id;
    const farAway = (await makeCase(t.db, actor, { claimNumber: 'H-LATER' })).id;
    await reminder(actor, overdue, '2020-01-01');
    await invoice(actor, overdue, '2020-01-01');
    await reminder(actor, farAway, '2099-12-31');
    await quote(actor, farAway, '2099-12-31');
    await insertUpload(actor, farAway, 'customer');
    // Another company's items never show.
    const stranger = staffActor(await makeUser(t.db, { level: 6 }));
    const theirs = (await makeCase(t.db, stranger)).id;
    await reminder(stranger, theirs, '2020-01-01');

    const response = await t.app.inject({
      method: 'GET',
      url: '/api/dashboard',
      headers: { cookie: user.cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(countsOf(response.json())).toEqual({
      ...zero,
      reminders: [1, 0, 1],
      quoteRequests: [0, 0, 1],
      customerUploads: [1, 0, 0],
      invoicesAwaitingApproval: [1, 0, 0],
    });
    const list = async (row: string, column: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/dashboard/cases?row=${row}&column=${column}`,
        headers: { cookie: user.cookie },
      });
      expect(res.statusCode).toBe(200);
      return (res.json() as { items: Array<{ id: string; claimNumber: string }> }).items.map(
        (c) => c.claimNumber,
      );
    };
    expect(await list('reminders', 'today')).toEqual(['H-OVERDUE']);
    expect(await list('reminders', 'later')).toEqual(['H-LATER']);
    expect(await list('reminders', 'tomorrow')).toEqual([]);
    expect(await list('customerUploads', 'today')).toEqual(['H-LATER']);
    expect(await list('invoicesAwaitingApproval', 'today')).toEqual(['H-OVERDUE']);
  });
});
