import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  customerCookieFrom,
  customerGet,
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

// Issue 15, item 9: SMS codes cannot be guessed slowly without end. Ten codes per grant in 24 hours
// (429 with Retry-After), and the 15th wrong code in a row locks the grant (423 code_locked, even for
// the right code) until staff send a new link; staff see the lock in the access list.

const sinks = useSinks();
const t = useTestApp(sinks.env);

const CONTACT_TEXT = 'Ring oss på 22 00 00 00.';
const SESSION = '/api/customer/session';
const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

/** Freezes Date at `at` (timers and I/O keep running). */
function clockAt(at: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

/** A case whose customer got the link by e-mail, the SMS code on, and a signed-in staff member. */
async function setup() {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, {
    smsSecurityCode: true,
    sendLink: 'case_created',
    accessFor: 'customer',
    contactForMoreInfo: CONTACT_TEXT,
  });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const phone = uniquePhone();
  const claimNumber = `LK-${s}`;
  const { id: caseId } = await makeCase(t.db, actor, {
    claimNumber,
    customer: { name: `Kunde ${s}`, email, phone },
  });
  await deliver(t);
  const mail = sinks.mails.filter((m) => m.to.includes(email)).at(-1);
  if (!mail) throw new Error('no link e-mail');
  const access = await t.db
    .selectFrom('customer_access')
    .select(['id', 'contact_id'])
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return {
    caseId,
    claimNumber,
    email,
    phone,
    link: linkIn(mail.text),
    staffCookie: staff.cookie,
    contactId: access.contact_id,
    accessId: access.id,
  };
}
type Setup = Awaited<ReturnType<typeof setup>>;

const send = (cookie: string | null) => customerPost(t.app, '/api/customer/code/send', cookie);
const verify = (cookie: string | null, code: string) =>
  customerPost(t.app, '/api/customer/code/verify', cookie, { code });
const wrong = (code: string, n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');

/** The newest code texted to `phone`. */
async function codeSentTo(phone: string): Promise<string> {
  await deliver(t);
  const sms = sinks.sms.filter((m) => m.to === phone && /Koden din er/.test(m.body)).at(-1);
  const code = sms ? /Koden din er (\d{6})/.exec(sms.body)?.[1] : undefined;
  if (!code) throw new Error('no code SMS');
  return code;
}

/** At `at`, sends a code and guesses it wrong `times` times in a row; returns the code and the answers. */
async function wrongGuesses(s: Setup, cookie: string | null, at: Date, times: number) {
  clockAt(at);
  const sent = await send(cookie);
  expect(sent.statusCode, sent.body).toBe(200);
  const code = await codeSentTo(s.phone);
  const answers: string[] = [];
  for (let n = 1; n <= times; n += 1) {
    const response = await verify(cookie, wrong(code, n));
    answers.push(`${response.statusCode} ${response.json().error.code}`);
  }
  return { code, answers };
}

const grantRow = (s: Setup) =>
  t.db
    .selectFrom('customer_access')
    .select(['wrong_codes', 'code_locked_at', 'state'])
    .where('id', '=', s.accessId)
    .executeTakeFirstOrThrow();

const accessList = async (s: Setup) => {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/cases/${s.caseId}/customer-access`,
    headers: browserHeaders(s.staffCookie),
  });
  expect(response.statusCode, response.body).toBe(200);
  const person = (response.json().people as Array<{ contactId: string; codeLockedAt: string | null }>).find(
    (p) => p.contactId === s.contactId,
  );
  if (!person) throw new Error('person not listed');
  return person;
};

const newLink = (s: Setup, contactId = s.contactId, cookie: string | null = s.staffCookie) =>
  t.app.inject({
    method: 'POST',
    url: `/api/cases/${s.caseId}/customer-access/${contactId}/new-link`,
    headers: cookie ? browserHeaders(cookie) : { origin: TEST_ORIGIN },
    payload: {},
  });

describe('codes per day', () => {
  it('sends at most 10 codes per grant in 24 hours: the 11th gets 429 with the wait until the oldest is a day old', async () => {
    const start = new Date();
    const s = await setup();
    clockAt(start);
    const { cookie } = await openCustomerLink(t.app, s.link);
    // Every 15 minutes: never more than 4 in an hour, so only the daily cap can refuse.
    for (let n = 0; n < 10; n += 1) {
      clockAt(new Date(start.getTime() + n * 15 * MINUTE));
      expect((await send(cookie)).statusCode, `code ${n + 1}`).toBe(200);
    }
    const at = start.getTime() + 10 * 15 * MINUTE;
    clockAt(new Date(at));
    const refused = await send(cookie);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBe(
      Math.ceil((start.getTime() + 86_400_000 - at) / 1000),
    );
    await deliver(t);
    expect(sinks.sms.filter((m) => m.to === s.phone && /Koden din er/.test(m.body))).toHaveLength(10);

    // A day after the first code, one more may go out, and it works.
    clockAt(new Date(start.getTime() + 86_400_000 + 1000));
    const later = (await openCustomerLink(t.app, s.link)).cookie;
    expect((await send(later)).statusCode).toBe(200);
    const ok = await verify(later, await codeSentTo(s.phone));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'ok', claimNumber: s.claimNumber });
  });
});

describe('lock after wrong codes', () => {
  it('locks the grant at the 15th wrong code in a row: the right code, new codes and fresh sessions are refused until staff send a new link', async () => {
    const start = new Date();
    const s = await setup();
    clockAt(start);
    // A session that passed the code earlier keeps working through the lock.
    const own = (await openCustomerLink(t.app, s.link)).cookie;
    expect((await send(own)).statusCode).toBe(200);
    const passed = await verify(own, await codeSentTo(s.phone));
    expect(passed.statusCode, passed.body).toBe(200);
    const verified = customerCookieFrom(passed);

    const { cookie } = await openCustomerLink(t.app, s.link);
    const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
    const first = await wrongGuesses(s, cookie, at(2), 5);
    expect(first.answers).toEqual([...Array(4).fill('400 code_wrong'), '400 code_expired']);
    expect((await wrongGuesses(s, cookie, at(4), 5)).answers).toEqual(first.answers);
    const third = await wrongGuesses(s, cookie, at(6), 5);
    expect(third.answers).toEqual([...Array(4).fill('400 code_wrong'), '423 code_locked']);

    // The right code of the last code is refused too, and no new code is sent.
    const right = await verify(cookie, third.code);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('code_locked');
    expect(customerCookieFrom(right)).toBeNull();
    clockAt(at(8));
    const resend = await send(cookie);
    expect(resend.statusCode).toBe(423);
    expect(resend.json().error.code).toBe('code_locked');
    await deliver(t);
    expect(sinks.sms.filter((m) => m.to === s.phone && /Koden din er/.test(m.body))).toHaveLength(4);

    // The page says it is locked, in every unverified session of the link, with the contact text.
    const fresh = (await openCustomerLink(t.app, s.link)).cookie;
    for (const session of [cookie, fresh]) {
      expect((await customerGet(t.app, SESSION, session)).json()).toEqual({
        state: 'unavailable',
        reason: 'code_locked',
        claimNumber: null,
        company: expect.objectContaining({ name: expect.any(String) }),
        contactForMoreInfo: CONTACT_TEXT,
        phoneHint: null,
      });
      const page = await customerGet(t.app, '/api/customer/page', session);
      expect(page.json()).toMatchObject({ state: 'unavailable', model: null, visibility: null });
      expect(page.body).not.toContain(s.claimNumber);
    }
    expect((await send(fresh)).statusCode).toBe(423);
    expect((await customerGet(t.app, '/api/customer/page', verified)).json()).toMatchObject({ state: 'ok' });

    // Staff see the lock and when it happened.
    expect(await grantRow(s)).toMatchObject({ wrong_codes: 15, code_locked_at: at(6).toISOString() });
    expect((await accessList(s)).codeLockedAt).toBe(at(6).toISOString());

    // A new link lifts it: the old link and its unverified sessions stop working, a new code works.
    clockAt(at(10));
    const reissued = await newLink(s);
    expect(reissued.statusCode, reissued.body).toBe(200);
    expect(
      (reissued.json().people as Array<{ contactId: string; codeLockedAt: string | null }>).find(
        (p) => p.contactId === s.contactId,
      )?.codeLockedAt,
    ).toBeNull();
    expect(await grantRow(s)).toMatchObject({ wrong_codes: 0, code_locked_at: null, state: 'active' });
    expect((await customerGet(t.app, SESSION, cookie)).json()).toMatchObject({ reason: 'link_invalid' });
    expect((await openCustomerLink(t.app, s.link)).cookie).toBeNull();
    await deliver(t);
    const mail = sinks.mails.filter((m) => m.to.includes(s.email)).at(-1);
    const link = linkIn(mail?.text ?? '');
    expect(link).not.toBe(s.link);
    const next = (await openCustomerLink(t.app, link)).cookie;
    expect((await customerGet(t.app, SESSION, next)).json().state).toBe('code_required');
    expect((await send(next)).statusCode).toBe(200);
    const ok = await verify(next, await codeSentTo(s.phone));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'ok', claimNumber: s.claimNumber });
  });

  it('counts wrong codes in a row across codes: a right code starts the count again', async () => {
    const start = new Date();
    const s = await setup();
    const { cookie } = await openCustomerLink(t.app, s.link);
    const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
    await wrongGuesses(s, cookie, at(0), 5);
    await wrongGuesses(s, cookie, at(2), 5);
    const third = await wrongGuesses(s, cookie, at(4), 4);
    expect(await grantRow(s)).toMatchObject({ wrong_codes: 14, code_locked_at: null });
    const ok = await verify(cookie, third.code);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await grantRow(s)).toMatchObject({ wrong_codes: 0, code_locked_at: null });
  });

  it('compares no more wrong codes than the limit when they arrive at once', async () => {
    const start = new Date();
    const s = await setup();
    const { cookie } = await openCustomerLink(t.app, s.link);
    const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
    await wrongGuesses(s, cookie, at(0), 5);
    await wrongGuesses(s, cookie, at(2), 5);
    await wrongGuesses(s, cookie, at(4), 3);
    // 13 wrong so far; a fresh code with five tries of its own, and ten guesses at once: the grant
    // allows two more comparisons, the second of which locks it.
    clockAt(at(6));
    expect((await send(cookie)).statusCode).toBe(200);
    const code = await codeSentTo(s.phone);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, n) => verify(cookie, wrong(code, n + 1))),
    );
    const answers = responses.map((r) => `${r.statusCode} ${r.json().error.code}`);
    // Two compared: one wrong, one locking (423). The others are refused uncompared: 423, or, when
    // they found the code out of tries before the lock committed, 400 code_expired.
    expect(answers.filter((a) => a === '400 code_wrong')).toHaveLength(1);
    expect(answers.filter((a) => a === '423 code_locked').length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a !== '423 code_locked' && a !== '400 code_expired')).toEqual([
      '400 code_wrong',
    ]);
    expect(await grantRow(s)).toMatchObject({ wrong_codes: 15, code_locked_at: expect.any(String) });
    expect((await verify(cookie, code)).statusCode).toBe(423);
  });
});

describe('POST /api/cases/:id/customer-access/:contactId/new-link', () => {
  it('answers 401 without a session, 404 for a person without access, 409 for removed access', async () => {
    const s = await setup();
    expect((await newLink(s, s.contactId, null)).statusCode).toBe(401);
    const missing = await newLink(s, '00000000-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${s.caseId}/customer-access/${s.contactId}`,
      headers: browserHeaders(s.staffCookie),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const refused = await newLink(s);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('conflict');
  });
});
