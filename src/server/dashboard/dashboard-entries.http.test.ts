import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  browserHeaders,
  makeActor,
  makeApiKey,
  makeCase,
  signedInUser,
} from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import type { DashboardRow, DashboardView } from '../../common/contracts/economy-api.ts';
import { addDays, osloDate, type DashboardColumn } from '../../common/rules/oslo-date.ts';
import type { Actor } from '../security/actor.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { changeCaseStatus, updateCase } from '../cases/cases.ts';
import { casePolicy } from '../cases/policy.ts';
import { nowIso } from '../db/database.ts';
import * as dashboardMigration from '../db/migrations/2026-11-28T1300-dashboard-entries.ts';
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
import { rebuildDashboardEntries } from './entries.ts';

// The tables behind the dashboard (dashboard_entries, dashboard_counts) are kept by an on-change
// step of the write path: every change below goes through a service (or a case command) and the
// next read must show it.

const t = useTestApp();

// A winter day: 11:00Z is noon in Oslo on the 27th.
const now = new Date('2026-11-27T11:00:00Z');
const today = '2026-11-27';
const tomorrow = '2026-11-28';
const later = '2026-12-05';

const countsOf = (view: DashboardView) =>
  Object.fromEntries(view.rows.map(({ row, today, tomorrow, later }) => [row, [today, tomorrow, later]]));

const zero = {
  reminders: [0, 0, 0],
  quoteRequests: [0, 0, 0],
  customerUploads: [0, 0, 0],
  partnerUploads: [0, 0, 0],
  invoicesAwaitingApproval: [0, 0, 0],
};

const counts = async (actor: Actor) => countsOf(await getDashboard(t.db, actor, now));
const listed = async (actor: Actor, row: DashboardRow, column: DashboardColumn) =>
  (await listDashboardCases(t.db, actor, { row, column }, now)).items.map((c) => c.id);

/** An unread message from the customer, as the messages module writes it (inside a case command). */
const customerMessage = (actor: Actor, caseId: string) =>
  caseCommand(t.db, actor, caseId, casePolicy.work, ({ trx }) =>
    trx
      .insertInto('case_messages')
      .values({
        id: newId(),
        company_id: actor.companyId,
        case_id: caseId,
        direction: 'from_customer',
        sender_kind: 'customer',
        sender_id: newId(),
        sender_name: 'Ola Nordmann',
        sender_email: null,
        body: 'Hei!',
        created_at: nowIso(),
        read_at: null,
      })
      .execute(),
  );

/** A partner's upload not yet seen, as the documents module writes it (inside a case command). */
async function partnerUpload(actor: Actor, caseId: string): Promise<string> {
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
        file_name: 'rapport.pdf',
        content_type: 'application/pdf',
        size_bytes: 1234,
        storage_key: `test/${id}`,
        uploaded_by_kind: 'partner',
        uploaded_by_id: null,
        uploaded_by_name: 'Partner',
        seen_at: null,
        shared_at: null,
        created_at: nowIso(),
      })
      .execute(),
  );
  return id;
}

/** Both tables in a comparable order. */
async function storedTables() {
  const entries = await t.db
    .selectFrom('dashboard_entries')
    .selectAll()
    .orderBy('case_id')
    .orderBy('dashboard_row')
    .execute();
  const buckets = await t.db
    .selectFrom('dashboard_counts')
    .selectAll()
    .orderBy('company_id')
    .orderBy('dashboard_row')
    .orderBy('handler_id')
    .orderBy('due_on')
    .execute();
  return { entries, buckets: buckets.map((b) => ({ ...b, cases: Number(b.cases) })) };
}

describe('dashboard tables: kept on every change', () => {
  it('moves a case to the column of its earliest due date as its items come and go', async () => {
    const handler = await makeActor(t.db, { level: 6 });
    const { id } = await makeCase(t.db, handler, { claimNumber: 'MOVE-1' });

    const far = await setReminder(t.db, handler, id, { dueOn: later, text: 'Senere' });
    expect((await counts(handler)).reminders).toEqual([0, 0, 1]);
    const next = await setReminder(t.db, handler, id, { dueOn: tomorrow, text: 'I morgen' });
    expect((await counts(handler)).reminders).toEqual([0, 1, 0]);
    const overdue = await setReminder(t.db, handler, id, { dueOn: '2026-11-01', text: 'Forfalt' });
    expect((await counts(handler)).reminders).toEqual([1, 0, 0]);
    expect(
      (await listDashboardCases(t.db, handler, { row: 'reminders', column: 'today' }, now)).items,
    ).toEqual([expect.objectContaining({ id, earliestDueOn: '2026-11-01' })]);

    await completeReminder(t.db, handler, overdue.id);
    expect((await counts(handler)).reminders).toEqual([0, 1, 0]);
    expect(await listed(handler, 'reminders', 'tomorrow')).toEqual([id]);
    await completeReminder(t.db, handler, next.id);
    expect((await counts(handler)).reminders).toEqual([0, 0, 1]);
    await completeReminder(t.db, handler, far.id);
    expect(await counts(handler)).toEqual(zero);

    // The same for the company-wide rows with due dates.
    const quote = await requestQuote(t.db, handler, id, { description: 'Tak', deadlineOn: later });
    const invoice = await receiveInvoice(t.db, handler, id, {
      description: 'Maling',
      amountOre: 10_000,
      dueOn: tomorrow,
    });
    expect(await counts(handler)).toEqual({
      ...zero,
      quoteRequests: [0, 0, 1],
      invoicesAwaitingApproval: [0, 1, 0],
    });
    await requestQuote(t.db, handler, id, { description: 'Gulv', deadlineOn: today });
    expect((await counts(handler)).quoteRequests).toEqual([1, 0, 0]);
    await markQuoteAnswered(t.db, handler, quote.id);
    expect((await counts(handler)).quoteRequests).toEqual([1, 0, 0]);
    await approveInvoice(t.db, handler, invoice.id);
    expect((await counts(handler)).invoicesAwaitingApproval).toEqual([0, 0, 0]);
  });

  it('counts two cases on one date as two, and one case with two items as one', async () => {
    const handler = await makeActor(t.db, { level: 6 });
    const a = (await makeCase(t.db, handler)).id;
    const b = (await makeCase(t.db, handler)).id;
    for (const id of [a, b]) {
      await setReminder(t.db, handler, id, { dueOn: tomorrow, text: 'En' });
      await setReminder(t.db, handler, id, { dueOn: tomorrow, text: 'To' });
    }
    expect((await counts(handler)).reminders).toEqual([0, 2, 0]);
    const reminders = await t.db.selectFrom('reminders').select('id').where('case_id', '=', a).execute();
    for (const { id } of reminders) await completeReminder(t.db, handler, id);
    expect((await counts(handler)).reminders).toEqual([0, 1, 0]);
    expect(await listed(handler, 'reminders', 'tomorrow')).toEqual([b]);
  });

  it('takes a case off every row when it is closed or cancelled, and back when reopened', async () => {
    const handler = await makeActor(t.db, { level: 6 });
    const { id } = await makeCase(t.db, handler);
    await setReminder(t.db, handler, id, { dueOn: today, text: 'Ring' });
    await requestQuote(t.db, handler, id, { description: 'Tak', deadlineOn: tomorrow });
    await receiveInvoice(t.db, handler, id, { description: 'Maling', amountOre: 10_000, dueOn: later });
    await customerMessage(handler, id);
    await partnerUpload(handler, id);
    const full = {
      reminders: [1, 0, 0],
      quoteRequests: [0, 1, 0],
      customerUploads: [1, 0, 0],
      partnerUploads: [1, 0, 0],
      invoicesAwaitingApproval: [0, 0, 1],
    };
    expect(await counts(handler)).toEqual(full);

    await changeCaseStatus(t.db, handler, id, 'hold');
    expect(await counts(handler)).toEqual(full); // on hold still counts
    await changeCaseStatus(t.db, handler, id, 'close', {});
    expect(await counts(handler)).toEqual(zero);
    expect(await listed(handler, 'partnerUploads', 'today')).toEqual([]);
    await changeCaseStatus(t.db, handler, id, 'reopen', {});
    expect(await counts(handler)).toEqual(full);
    await changeCaseStatus(t.db, handler, id, 'cancel', {});
    expect(await counts(handler)).toEqual(zero);
  });

  it("moves the reminders row to the new case handler's dashboard; the other rows stay company-wide", async () => {
    const first = await makeActor(t.db, { level: 6 });
    const second = await makeActor(t.db, { companyId: first.companyId, level: 1 });
    const key = await makeApiKey(t.db, first.companyId, 6);
    const apiKey: Actor = { kind: 'api_key', apiKeyId: key.id, companyId: first.companyId, level: 6 };
    const { id } = await makeCase(t.db, first);
    await setReminder(t.db, first, id, { dueOn: tomorrow, text: 'Følg opp' });
    await requestQuote(t.db, first, id, { description: 'Tak', deadlineOn: tomorrow });

    expect((await counts(first)).reminders).toEqual([0, 1, 0]);
    expect((await counts(second)).reminders).toEqual([0, 0, 0]);
    await updateCase(t.db, first, id, { caseHandlerId: second.userId });
    expect((await counts(first)).reminders).toEqual([0, 0, 0]);
    expect((await counts(second)).reminders).toEqual([0, 1, 0]);
    expect(await listed(second, 'reminders', 'tomorrow')).toEqual([id]);
    expect(await listed(first, 'reminders', 'tomorrow')).toEqual([]);
    // Company-wide rows and an API key's reminders do not depend on the handler.
    for (const actor of [first, second, apiKey]) {
      expect((await counts(actor)).quoteRequests).toEqual([0, 1, 0]);
    }
    expect((await counts(apiKey)).reminders).toEqual([0, 1, 0]);
    // A case without a handler: only an API key sees its reminders.
    await updateCase(t.db, first, id, { caseHandlerId: null });
    expect((await counts(second)).reminders).toEqual([0, 0, 0]);
    expect((await counts(apiKey)).reminders).toEqual([0, 1, 0]);
    expect(await listed(apiKey, 'reminders', 'tomorrow')).toEqual([id]);
  });

  it('drops unseen uploads and unread messages once staff have seen them', async () => {
    const handler = await makeActor(t.db, { level: 6 });
    const { id } = await makeCase(t.db, handler);
    const upload = await partnerUpload(handler, id);
    await customerMessage(handler, id);
    await customerMessage(handler, id);
    expect(await counts(handler)).toEqual({ ...zero, customerUploads: [1, 0, 0], partnerUploads: [1, 0, 0] });
    await markDocumentSeen(t.db, handler, upload);
    expect((await counts(handler)).partnerUploads).toEqual([0, 0, 0]);
    await caseCommand(t.db, handler, id, casePolicy.work, ({ trx }) =>
      trx.updateTable('case_messages').set({ read_at: nowIso() }).where('case_id', '=', id).execute(),
    );
    expect(await counts(handler)).toEqual(zero);
  });

  it("never counts or lists another company's cases, and never changes another company's numbers", async () => {
    const ours = await makeActor(t.db, { level: 6 });
    const theirs = await makeActor(t.db, { level: 6 });
    const ourCase = (await makeCase(t.db, ours)).id;
    await setReminder(t.db, ours, ourCase, { dueOn: today, text: 'Vår' });
    await requestQuote(t.db, ours, ourCase, { description: 'Vår', deadlineOn: today });
    const before = await counts(ours);

    const theirCase = (await makeCase(t.db, theirs)).id;
    await setReminder(t.db, theirs, theirCase, { dueOn: today, text: 'Deres' });
    await requestQuote(t.db, theirs, theirCase, { description: 'Deres', deadlineOn: today });
    await partnerUpload(theirs, theirCase);
    expect(await counts(ours)).toEqual(before);
    expect(await counts(theirs)).toEqual({
      ...zero,
      reminders: [1, 0, 0],
      quoteRequests: [1, 0, 0],
      partnerUploads: [1, 0, 0],
    });
    expect(await listed(ours, 'quoteRequests', 'today')).toEqual([ourCase]);
    expect(await listed(theirs, 'quoteRequests', 'today')).toEqual([theirCase]);
    expect(await listed(ours, 'partnerUploads', 'today')).toEqual([]);
  });
});

describe('dashboard tables: changes at the same time', () => {
  it('keeps the numbers right when many cases of one company change at once', async () => {
    const handler = await makeActor(t.db, { level: 6 });
    const ids = await Promise.all(Array.from({ length: 8 }, async () => (await makeCase(t.db, handler)).id));
    // Every case lands in the same buckets (same company, handler and dates), all at once.
    await Promise.all(
      ids.map(async (id) => {
        await setReminder(t.db, handler, id, { dueOn: tomorrow, text: 'Samtidig' });
        await customerMessage(handler, id);
        await requestQuote(t.db, handler, id, { description: 'Samtidig', deadlineOn: today });
      }),
    );
    expect(await counts(handler)).toEqual({
      ...zero,
      reminders: [0, 8, 0],
      quoteRequests: [8, 0, 0],
      customerUploads: [8, 0, 0],
    });
    await Promise.all(ids.slice(0, 5).map((id) => changeCaseStatus(t.db, handler, id, 'close', {})));
    expect(await counts(handler)).toEqual({
      ...zero,
      reminders: [0, 3, 0],
      quoteRequests: [3, 0, 0],
      customerUploads: [3, 0, 0],
    });
  });
});

describe('dashboard tables: over HTTP', () => {
  it('shows a reminder set over HTTP in the next dashboard read, and drops it when done', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 1 });
    const { id } = await makeCase(t.db, actor, { caseHandlerId: user.id });
    const dashboard = async () => {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/dashboard',
        headers: { cookie: user.cookie },
      });
      expect(response.statusCode).toBe(200);
      return countsOf(response.json());
    };
    expect(await dashboard()).toEqual(zero);

    const dueTomorrow = addDays(osloDate(new Date()), 1);
    const set = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/reminders`,
      headers: browserHeaders(user.cookie),
      payload: { dueOn: dueTomorrow, text: 'Ring kunden' },
    });
    expect(set.statusCode, set.body).toBe(201);
    // Around Oslo midnight "tomorrow" may have become today between the two requests.
    expect([
      [0, 1, 0],
      [1, 0, 0],
    ]).toContainEqual((await dashboard()).reminders);

    const done = await t.app.inject({
      method: 'POST',
      url: `/api/reminders/${set.json().id}/done`,
      headers: browserHeaders(user.cookie),
      payload: {},
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(await dashboard()).toEqual(zero);
  });
});

describe('dashboard tables: consistency', () => {
  it('holds exactly what a rebuild from the item tables gives, counts included', async () => {
    // Everything this file wrote above went through the write path.
    const maintained = await storedTables();
    expect(maintained.entries.length).toBeGreaterThan(0);
    await rebuildDashboardEntries(t.db);
    expect(await storedTables()).toEqual(maintained);
  });

  it('fills both tables from the items that existed before the migration', async () => {
    const maintained = await storedTables();
    const db = t.db as unknown as Kysely<unknown>;
    await dashboardMigration.down(db);
    await dashboardMigration.up(db);
    expect(await storedTables()).toEqual(maintained);
  });
});
