import { describe, expect, it } from 'vitest';
import { defaultCustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import {
  customerPost,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { createCompany } from '../companies/companies.ts';
import { grantCustomerAccess } from '../customer-access/customer-access.ts';
import { inTransaction } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import { postCustomerMessage } from '../messages/customer-messages.ts';
import { postStaffMessage } from '../messages/staff-messages.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { enqueueMessage, HELD_IN_QUIET_HOURS } from './outbox.ts';

// Quiet hours (issue 19, item 5) on both databases: customer notices queued inside the company's
// window wait in the outbox until it ends (Europe/Oslo wall clock, across midnight and the DST
// switches); SMS codes, staff notices and webhooks never wait. Every time is passed explicitly
// (`now` of the services and the worker), so nothing here depends on the wall clock, except the one
// real SMS-code request, whose company's window is placed around the current hour.

const sinks = useSinks();
const t = useTestApp(sinks.env);
const PAGE = '/api/admin/customer-page';

const setQuietHours = (companyId: string, from: number | null, to: number | null) =>
  t.db
    .updateTable('companies')
    .set({ quiet_hours_from: from, quiet_hours_to: to })
    .where('id', '=', companyId)
    .execute();

/** A company with the given quiet hours and a case whose customer (e-mail and phone) gets no link yet. */
async function world(hours: { from: number | null; to: number | null } = { from: 21, to: 8 }, sms = false) {
  const actor = await makeActor(t.db, { level: 6 });
  await setQuietHours(actor.companyId, hours.from, hours.to);
  await saveSettings(t.db, actor.companyId, { sendLink: 'manual', smsSecurityCode: sms });
  const email = `kunde-${uniqueSuffix()}@example.test`;
  const phone = uniquePhone();
  const { id: caseId } = await makeCase(t.db, actor, {
    customer: { name: 'Kari Kunde', email, phone },
    caseHandlerId: actor.userId,
  });
  const contact = await t.db
    .selectFrom('case_contacts')
    .select('id')
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  const grant = (now: Date) => grantCustomerAccess(t.db, actor, caseId, { contactId: contact.id }, now);
  return { actor, caseId, contactId: contact.id, email, phone, grant };
}

const rowsOf = (caseId: string, kind: OutboxTable['kind']) =>
  t.db
    .selectFrom('outbox')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .orderBy('channel')
    .execute();

/** The instants at which the case's messages of a kind may first go out, one per channel. */
const dueTimes = async (caseId: string, kind: OutboxTable['kind']) =>
  (await rowsOf(caseId, kind)).map((row) => row.next_attempt_at);

const mailsTo = (email: string) => sinks.mails.filter((mail) => mail.to.includes(email));
const smsTo = (phone: string) => sinks.sms.filter((sms) => sms.to === phone);

describe('quiet hours: when a link granted in the evening goes out', () => {
  it('holds a link granted at 22:30 on a winter evening until 08:00 (07:00Z) and sends it when the worker runs then', async () => {
    const w = await world();
    await w.grant(new Date('2027-01-14T21:30:00Z'));
    expect(await dueTimes(w.caseId, 'customer_link')).toEqual([
      '2027-01-15T07:00:00.000Z',
      '2027-01-15T07:00:00.000Z',
    ]);
    await deliver(t, new Date('2027-01-14T21:31:00Z'));
    await deliver(t, new Date('2027-01-15T06:59:59Z'));
    expect(mailsTo(w.email)).toEqual([]);
    expect(smsTo(w.phone)).toEqual([]);
    expect((await rowsOf(w.caseId, 'customer_link')).map((row) => row.state)).toEqual(['queued', 'queued']);

    await deliver(t, new Date('2027-01-15T07:00:00Z'));
    expect(mailsTo(w.email)).toHaveLength(1);
    expect(smsTo(w.phone)).toHaveLength(1);
    // The customer gets the same link as at any other hour, and it opens the page.
    const opened = await openCustomerLink(t.app, linkIn(mailsTo(w.email)[0]!.text));
    expect(opened.cookie).not.toBeNull();
    expect((await rowsOf(w.caseId, 'customer_link')).map((row) => [row.state, row.sent_at])).toEqual([
      ['sent', '2027-01-15T07:00:00.000Z'],
      ['sent', '2027-01-15T07:00:00.000Z'],
    ]);
  });

  it('holds a link granted after midnight until 08:00 the same morning', async () => {
    const w = await world();
    await w.grant(new Date('2027-01-15T01:00:00Z')); // 02:00 Oslo
    expect(await dueTimes(w.caseId, 'customer_link')).toEqual([
      '2027-01-15T07:00:00.000Z',
      '2027-01-15T07:00:00.000Z',
    ]);
  });

  it('does not hold a link granted at 08:00 sharp, nor at 20:59', async () => {
    const morning = await world();
    await morning.grant(new Date('2027-01-15T07:00:00Z'));
    expect(await dueTimes(morning.caseId, 'customer_link')).toEqual([
      '2027-01-15T07:00:00.000Z',
      '2027-01-15T07:00:00.000Z',
    ]);
    const evening = await world();
    await evening.grant(new Date('2027-01-14T19:59:00Z'));
    expect(await dueTimes(evening.caseId, 'customer_link')).toEqual([
      '2027-01-14T19:59:00.000Z',
      '2027-01-14T19:59:00.000Z',
    ]);
  });

  it('ends at 08:00 summer time on the spring-forward morning (06:00Z) and at 08:00 winter time on the autumn one (07:00Z)', async () => {
    const spring = await world();
    await spring.grant(new Date('2027-03-27T21:30:00Z')); // 22:30 CET, the night the clocks go forward
    expect(await dueTimes(spring.caseId, 'customer_link')).toEqual([
      '2027-03-28T06:00:00.000Z',
      '2027-03-28T06:00:00.000Z',
    ]);
    const autumn = await world();
    await autumn.grant(new Date('2027-10-30T20:30:00Z')); // 22:30 CEST, the night the clocks go back
    expect(await dueTimes(autumn.caseId, 'customer_link')).toEqual([
      '2027-10-31T07:00:00.000Z',
      '2027-10-31T07:00:00.000Z',
    ]);
    await deliver(t, new Date('2027-03-28T05:59:00Z'));
    expect(mailsTo(spring.email)).toEqual([]);
    await deliver(t, new Date('2027-03-28T06:00:00Z'));
    expect(mailsTo(spring.email)).toHaveLength(1);
  });

  it('uses summer time in summer: 22:30 CEST waits until 06:00Z', async () => {
    const w = await world();
    await w.grant(new Date('2027-07-01T20:30:00Z'));
    expect(await dueTimes(w.caseId, 'customer_link')).toEqual([
      '2027-07-02T06:00:00.000Z',
      '2027-07-02T06:00:00.000Z',
    ]);
  });

  it("keeps the company's own hours (12 → 14): held at 12:30, sent at once at 22:30", async () => {
    const noon = await world({ from: 12, to: 14 });
    await noon.grant(new Date('2027-01-14T11:30:00Z')); // 12:30 Oslo
    expect(await dueTimes(noon.caseId, 'customer_link')).toEqual([
      '2027-01-14T13:00:00.000Z',
      '2027-01-14T13:00:00.000Z',
    ]);
    const night = await world({ from: 12, to: 14 });
    await night.grant(new Date('2027-01-14T21:30:00Z'));
    expect(await dueTimes(night.caseId, 'customer_link')).toEqual([
      '2027-01-14T21:30:00.000Z',
      '2027-01-14T21:30:00.000Z',
    ]);
  });

  it('sends at once for a company without quiet hours', async () => {
    const w = await world({ from: null, to: null });
    await w.grant(new Date('2027-01-14T21:30:00Z'));
    expect(await dueTimes(w.caseId, 'customer_link')).toEqual([
      '2027-01-14T21:30:00.000Z',
      '2027-01-14T21:30:00.000Z',
    ]);
    await deliver(t, new Date('2027-01-14T21:30:00Z'));
    expect(mailsTo(w.email)).toHaveLength(1);
  });
});

describe('quiet hours: what is never held', () => {
  it("holds a staff message's customer notice at 22:30, never the handler's notice of the customer's answer", async () => {
    const w = await world();
    await w.grant(new Date('2027-01-14T10:00:00Z'));
    const grant = await t.db
      .selectFrom('customer_access')
      .select('id')
      .where('case_id', '=', w.caseId)
      .executeTakeFirstOrThrow();
    const deps = { db: t.db, storage: createFileStorage(t.config) };
    await postStaffMessage(
      deps,
      w.actor,
      w.caseId,
      { kind: 'json', body: { body: 'Takstmannen kommer i morgen.' } },
      new Date('2027-01-14T21:30:00Z'),
    );
    expect(await dueTimes(w.caseId, 'message_notice')).toEqual(['2027-01-15T07:00:00.000Z']);
    await postCustomerMessage(
      deps,
      { company_id: w.actor.companyId, case_id: w.caseId },
      { accessId: grant.id, name: 'Kari Kunde', email: w.email },
      { kind: 'json', body: { body: 'Takk!' } },
      new Date('2027-01-14T21:40:00Z'),
    );
    expect(await dueTimes(w.caseId, 'staff_notice')).toEqual(['2027-01-14T21:40:00.000Z']);
  });

  it('queues each kind as the table says at 22:30: customer notices held, codes, staff notices and webhooks not; notBefore null sends at once', async () => {
    const w = await world();
    const now = new Date('2027-01-14T21:30:00Z');
    const kinds = Object.keys(HELD_IN_QUIET_HOURS) as Array<OutboxTable['kind']>;
    expect(kinds.filter((kind) => HELD_IN_QUIET_HOURS[kind]).sort()).toEqual(
      ['archive_notice', 'customer_link', 'message_notice'].sort(),
    );
    const key = uniqueSuffix();
    await inTransaction(t.db, async (trx) => {
      for (const kind of kinds) {
        await enqueueMessage(
          trx,
          {
            companyId: w.actor.companyId,
            caseId: w.caseId,
            kind,
            channel: kind === 'webhook_event' ? 'webhook' : 'email',
            recipient: w.email,
            senderName: null,
            bodyText: 'x',
            idempotencyKey: `qh:${key}:${kind}`,
          },
          now,
        );
      }
      await enqueueMessage(
        trx,
        {
          companyId: w.actor.companyId,
          caseId: w.caseId,
          kind: 'customer_link',
          channel: 'email',
          recipient: w.email,
          senderName: null,
          bodyText: 'x',
          idempotencyKey: `qh:${key}:now`,
          notBefore: null,
        },
        now,
      );
    });
    const rows = await t.db
      .selectFrom('outbox')
      .select(['idempotency_key', 'next_attempt_at'])
      .where('idempotency_key', 'like', `qh:${key}:%`)
      .execute();
    const due = Object.fromEntries(
      rows.map((row) => [row.idempotency_key.split(':')[2], row.next_attempt_at]),
    );
    expect(due).toEqual({
      customer_link: '2027-01-15T07:00:00.000Z',
      message_notice: '2027-01-15T07:00:00.000Z',
      archive_notice: '2027-01-15T07:00:00.000Z',
      sms_code: '2027-01-14T21:30:00.000Z',
      staff_notice: '2027-01-14T21:30:00.000Z',
      webhook_event: '2027-01-14T21:30:00.000Z',
      now: '2027-01-14T21:30:00.000Z',
    });
  });

  it('sends the SMS code of a real request at once while the same company holds its links', async () => {
    // The only test on the wall clock: the window covers this hour and the next, so it holds
    // whenever the test runs (and whatever hour it turns meanwhile).
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
    const w = await world({ from: (hour + 23) % 24, to: (hour + 2) % 24 }, true);
    await w.grant(new Date());
    const [held] = await dueTimes(w.caseId, 'customer_link');
    expect(new Date(held!).getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    // The customer opens the link (taken from the held row's delivery at its time).
    await deliver(t, new Date(held!));
    const opened = await openCustomerLink(t.app, linkIn(smsTo(w.phone)[0]!.body));
    expect(opened.cookie).not.toBeNull();
    const before = Date.now();
    const sent = await customerPost(t.app, '/api/customer/code/send', opened.cookie);
    expect(sent.statusCode).toBe(200);
    const [code] = await rowsOf(w.caseId, 'sms_code');
    expect(new Date(code!.next_attempt_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(code!.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now());
    await deliver(t);
    expect(smsTo(w.phone).map((sms) => /\b\d{6}\b/.test(sms.body))).toEqual([false, true]);
  });
});

describe('quiet hours: the company setting', () => {
  const get = (cookie: string) => t.app.inject({ method: 'GET', url: PAGE, headers: { cookie } });
  const put = (cookie: string, payload: object) =>
    t.app.inject({ method: 'PUT', url: PAGE, headers: browserHeaders(cookie), payload });
  const hoursOf = async (companyId: string) =>
    t.db
      .selectFrom('companies')
      .select(['quiet_hours_from', 'quiet_hours_to'])
      .where('id', '=', companyId)
      .executeTakeFirstOrThrow();

  it('gives a company created in the product 21 → 8', async () => {
    const { id } = await createCompany(t.db, { name: `Ny ${uniqueSuffix()}`, portalType: 'insurance' });
    expect(await hoursOf(id)).toEqual({ quiet_hours_from: 21, quiet_hours_to: 8 });
    const owner = await signedInUser(t.app, t.db, { companyId: id, level: 6 });
    expect((await get(owner.cookie)).json()).toMatchObject({ quietHoursFrom: 21, quietHoursTo: 8 });
  });

  it('answers 401, 400 (equal hours, hour 24, not whole), 403 below level 6, then saves, keeps when left out, and ends with null', async () => {
    expect(
      (await t.app.inject({ method: 'PUT', url: PAGE, headers: { origin: TEST_ORIGIN }, payload: {} }))
        .statusCode,
    ).toBe(401);
    const owner = await signedInUser(t.app, t.db, { level: 6 });
    await setQuietHours(owner.companyId, 21, 8);
    const settings = { ...defaultCustomerPageSettings };

    const equal = await put(owner.cookie, { ...settings, quietHoursFrom: 8, quietHoursTo: 8 });
    expect(equal.statusCode).toBe(400);
    expect(equal.json().error.code).toBe('quiet_hours_equal');
    // Equal to the saved end when only the start is sent.
    expect((await put(owner.cookie, { ...settings, quietHoursFrom: 8 })).json().error.code).toBe(
      'quiet_hours_equal',
    );
    for (const bad of [24, -1, 7.5, '7']) {
      const response = await put(owner.cookie, { ...settings, quietHoursFrom: bad });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'validation_failed',
        fields: [expect.objectContaining({ path: 'body.quietHoursFrom' })],
      });
    }
    const clerk = await signedInUser(t.app, t.db, { companyId: owner.companyId, level: 5 });
    expect((await put(clerk.cookie, { ...settings, quietHoursFrom: 22 })).statusCode).toBe(403);
    expect(await hoursOf(owner.companyId)).toEqual({ quiet_hours_from: 21, quiet_hours_to: 8 });

    const saved = await put(owner.cookie, { ...settings, quietHoursFrom: 22, quietHoursTo: 7 });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ quietHoursFrom: 22, quietHoursTo: 7 });
    // The contract's settings alone (no quiet hours sent) keep them.
    const kept = await put(owner.cookie, { ...settings, showBudget: 'case_created' });
    expect(kept.json()).toMatchObject({ quietHoursFrom: 22, quietHoursTo: 7, showBudget: 'case_created' });
    expect((await get(owner.cookie)).json()).toMatchObject({ quietHoursFrom: 22, quietHoursTo: 7 });

    const audit = await t.app.inject({
      method: 'GET',
      url: `${PAGE}/audit`,
      headers: { cookie: owner.cookie },
    });
    const entries = (
      audit.json() as { items: Array<{ setting: string; oldValue: unknown; newValue: unknown }> }
    ).items;
    expect(
      entries
        .filter((e) => e.setting.startsWith('quietHours'))
        .map((e) => [e.setting, e.oldValue, e.newValue]),
    ).toEqual(
      expect.arrayContaining([
        ['quietHoursFrom', 21, 22],
        ['quietHoursTo', 8, 7],
      ]),
    );

    const off = await put(owner.cookie, { ...settings, quietHoursFrom: null, quietHoursTo: null });
    expect(off.json()).toMatchObject({ quietHoursFrom: null, quietHoursTo: null });
    expect(await hoursOf(owner.companyId)).toEqual({ quiet_hours_from: null, quiet_hours_to: null });
  });

  it('keeps one of two saves made at once, with the audit telling the saved one last', async () => {
    const owner = await signedInUser(t.app, t.db, { level: 6 });
    const other = await signedInUser(t.app, t.db, { companyId: owner.companyId, level: 6 });
    await setQuietHours(owner.companyId, 21, 8);
    const settings = { ...defaultCustomerPageSettings };
    const [a, b] = await Promise.all([
      put(owner.cookie, { ...settings, quietHoursFrom: 20, quietHoursTo: 7 }),
      put(other.cookie, { ...settings, quietHoursFrom: 23, quietHoursTo: 6 }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const final = await hoursOf(owner.companyId);
    expect([
      { quiet_hours_from: 20, quiet_hours_to: 7 },
      { quiet_hours_from: 23, quiet_hours_to: 6 },
    ]).toContainEqual(final);
    const audit = await t.db
      .selectFrom('customer_page_audit')
      .select(['old_value', 'new_value'])
      .where('company_id', '=', owner.companyId)
      .where('setting', '=', 'quietHoursFrom')
      .execute();
    // The second save saw the first one's hours under the lock: 21 → first → second, no gap.
    const steps = audit.map((row) => [Number(row.old_value), Number(row.new_value)] as const);
    expect(steps).toHaveLength(2);
    const first = steps.find(([from]) => from === 21)!;
    const second = steps.find(([from]) => from !== 21)!;
    expect(second[0]).toBe(first[1]);
    expect(second[1]).toBe(final.quiet_hours_from);
  });
});
