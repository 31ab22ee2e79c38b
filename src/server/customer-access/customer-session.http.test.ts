import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
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
import {
  browserHeaders,
  makeActor,
  makeApiKey,
  makeCase,
  signedInUser,
} from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

// Opening a link (token → session cookie → clean URL), the customer API's own authentication, the
// friendly refusals (wrong, removed, expired, cancelled) with no case data, and the SMS code.

const sinks = useSinks();
const t = useTestApp(sinks.env);

const CONTACT_TEXT = 'Ring oss på 22 00 00 00 (hverdager 8–16).';
const SESSION = '/api/customer/session';

afterEach(() => {
  vi.useRealTimers();
});

/** Freezes the clock at `at` (only Date: timers and I/O keep running). */
function clockAt(at: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

interface Setup {
  caseId: string;
  claimNumber: string;
  street: string;
  customerName: string;
  phone: string;
  email: string;
  link: string;
  staffCookie: string;
  contactId: string;
}

/** A company with `settings`, a case whose customer got the link (e-mail), and a level-6 staff member. */
async function setup(
  settings: Partial<CustomerPageSettings> = {},
  /** `phone`: false for none, a number for that one (else a mobile number of its own). */
  customer: { phone?: boolean | string } = {},
): Promise<Setup> {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    contactForMoreInfo: CONTACT_TEXT,
    ...settings,
  });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const phone = typeof customer.phone === 'string' ? customer.phone : uniquePhone();
  const claimNumber = `SK-${s}`;
  const street = `Hemmeligveien ${s}`;
  const customerName = `Kunde ${s}`;
  const { id } = await makeCase(t.db, actor, {
    claimNumber,
    address: { street, postalCode: '0152', city: 'Oslo' },
    customer: { name: customerName, email, ...(customer.phone !== false && { phone }) },
  });
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  const access = await t.db
    .selectFrom('customer_access')
    .select('contact_id')
    .where('case_id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    caseId: id,
    claimNumber,
    street,
    customerName,
    phone,
    email,
    link: linkIn(mail.text),
    staffCookie: staff.cookie,
    contactId: access.contact_id,
  };
}

/** Fails when a response carries anything of the case. */
function expectNoCaseData(setupData: Setup, ...bodies: string[]) {
  for (const body of bodies) {
    expect(body).not.toContain(setupData.claimNumber);
    expect(body).not.toContain(setupData.street);
    expect(body).not.toContain(setupData.customerName);
    expect(body).not.toContain(setupData.caseId);
  }
}

const staffPost = (s: Setup, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: browserHeaders(s.staffCookie), payload });

describe('opening a link', () => {
  it('exchanges the token for a session cookie and redirects to the clean /k/ without a Referer', async () => {
    const data = await setup();
    const opened = await openCustomerLink(t.app, data.link);
    expect(opened.response.statusCode).toBe(303);
    expect(opened.response.headers.location).toBe('/k/');
    expect(opened.response.headers['referrer-policy']).toBe('no-referrer');
    expect(opened.response.headers['cache-control']).toBe('no-store');
    expect(opened.response.body).not.toContain(new URL(data.link).pathname.slice(3));
    const cookie = opened.setCookies.find((c) => c.name === 'ks_customer')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(opened.cookie).not.toBeNull();

    const session = await customerGet(t.app, SESSION, opened.cookie);
    expect(session.statusCode).toBe(200);
    expect(session.headers['cache-control']).toBe('no-store');
    expect(session.json()).toEqual({
      state: 'ok',
      reason: null,
      claimNumber: data.claimNumber,
      company: { name: expect.stringMatching(/^Test Forsikring/) },
      contactForMoreInfo: CONTACT_TEXT,
      phoneHint: null,
    });
    const access = await t.db
      .selectFrom('customer_access')
      .select('last_used_at')
      .where('case_id', '=', data.caseId)
      .executeTakeFirstOrThrow();
    expect(access.last_used_at).not.toBeNull();

    // The link keeps working (a new session each time); opening it again ends this browser's old session.
    const again = await t.app.inject({
      method: 'GET',
      url: new URL(data.link).pathname,
      headers: { cookie: opened.cookie! },
    });
    expect(again.statusCode).toBe(303);
    expect((await customerGet(t.app, SESSION, opened.cookie)).json().state).toBe('unavailable');
    expect((await customerGet(t.app, SESSION, customerCookieFrom(again))).json().state).toBe('ok');
  });

  it('answers a wrong token with the same redirect and no session; other /k/ paths are the page itself', async () => {
    const data = await setup();
    const wrong = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${'A'.repeat(43)}`);
    expect(wrong.response.statusCode).toBe(303);
    expect(wrong.response.headers.location).toBe('/k/');
    expect(wrong.response.headers['referrer-policy']).toBe('no-referrer');
    expect(wrong.cookie).toBeNull();
    expect(wrong.notice).toBeNull();
    const session = await customerGet(t.app, SESSION, null);
    expect(session.json()).toEqual({
      state: 'unavailable',
      reason: 'link_invalid',
      claimNumber: null,
      company: null,
      contactForMoreInfo: null,
      phoneHint: null,
    });
    const page = await t.app.inject({
      method: 'GET',
      url: '/k/dokumenter',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).not.toBe(303);
    expect(page.cookies.filter((c) => c.name === 'ks_customer' && c.value)).toEqual([]);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expectNoCaseData(data, wrong.response.body, session.body, page.body);
  });

  it('keeps staff and customer credentials apart', async () => {
    const data = await setup();
    const opened = await openCustomerLink(t.app, data.link);
    // A staff session means nothing to the customer API, a customer session nothing to the staff API.
    expect((await customerGet(t.app, SESSION, data.staffCookie)).json().state).toBe('unavailable');
    expect((await customerPost(t.app, '/api/customer/code/send', data.staffCookie)).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/cases/${data.caseId}`,
          headers: { cookie: opened.cookie! },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: opened.cookie! } })).statusCode,
    ).toBe(401);
    const staff = await t.db.selectFrom('users').select('company_id').limit(1).executeTakeFirstOrThrow();
    const key = await makeApiKey(t.db, staff.company_id);
    const withKey = await t.app.inject({
      method: 'POST',
      url: '/api/customer/code/send',
      headers: { authorization: `Bearer ${key.key}`, origin: TEST_ORIGIN },
      payload: {},
    });
    expect(withKey.statusCode).toBe(401);
  });

  it('refuses customer changes without our Origin or with a form body (CSRF), and logs out server-side', async () => {
    const data = await setup({ smsSecurityCode: true });
    const { cookie } = await openCustomerLink(t.app, data.link);
    const noOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/customer/code/send',
      headers: { cookie: cookie! },
      payload: {},
    });
    expect(noOrigin.statusCode).toBe(403);
    expect(noOrigin.json().error.code).toBe('csrf_rejected');
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/customer/code/send',
      headers: { cookie: cookie!, origin: 'https://evil.example' },
      payload: {},
    });
    expect(foreign.statusCode).toBe(403);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/customer/code/verify',
      headers: { cookie: cookie!, origin: TEST_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'code=123456',
    });
    expect(form.statusCode).toBe(403);
    expect(
      await t.db
        .selectFrom('sms_codes')
        .selectAll()
        .execute()
        .then((rows) => rows.length),
    ).toBe(0);

    const out = await customerPost(t.app, '/api/customer/logout', cookie);
    expect(out.statusCode).toBe(204);
    expect((await customerGet(t.app, SESSION, cookie)).json().reason).toBe('link_invalid');
  });
});

describe('friendly refusals: removed, expired, cancelled', () => {
  it('stops a removed grant’s link and session at once, and says "access removed" with the company’s contact text every time', async () => {
    const data = await setup();
    const { cookie } = await openCustomerLink(t.app, data.link);
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('ok');
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${data.caseId}/customer-access/${data.contactId}`,
      headers: browserHeaders(data.staffCookie),
    });
    expect(removed.statusCode).toBe(200);
    const accessRemoved = {
      state: 'unavailable',
      reason: 'access_removed',
      claimNumber: null,
      company: { name: expect.stringMatching(/^Test Forsikring/) },
      contactForMoreInfo: CONTACT_TEXT,
      phoneHint: null,
    };

    // The open page's next request is refused (401), and the refusal leaves the notice behind.
    const refused = await customerGet(t.app, '/api/customer/page?lang=nb', cookie);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('unauthenticated');
    const leftNotice = refused.cookies.find((c) => c.name === 'ks_customer_notice' && c.value !== '');
    expect(leftNotice).toBeDefined();
    expect(refused.cookies.find((c) => c.name === 'ks_customer')?.value).toBe('');
    // The page then asks the session: the company's "access removed", not "link not valid" …
    const session = await customerGet(t.app, SESSION, cookie);
    expect(session.json()).toEqual(accessRemoved);
    // … and the same after a reload that sends only the notice (the session cookie was cleared).
    const reload = await customerGet(t.app, SESSION, `ks_customer_notice=${leftNotice!.value}`);
    expect(reload.json()).toEqual(accessRemoved);
    const reopened = await openCustomerLink(t.app, data.link);
    expect(reopened.response.statusCode).toBe(303);
    expect(reopened.response.headers.location).toBe('/k/');
    expect(reopened.cookie).toBeNull();
    const refusal = await customerGet(t.app, SESSION, reopened.notice);
    expect(refusal.json()).toEqual(accessRemoved);
    expect((await customerPost(t.app, '/api/customer/code/send', cookie)).statusCode).toBe(401);
    expectNoCaseData(data, session.body, reopened.response.body, refusal.body, reload.body);

    // Granted again: a new link; the old session does not come back to life with the grant.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${data.caseId}/customer-access`,
      headers: browserHeaders(data.staffCookie),
      payload: { contactId: data.contactId },
    });
    expect(again.statusCode).toBe(200);
    expect((await customerGet(t.app, '/api/customer/page?lang=nb', cookie)).statusCode).toBe(401);
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('unavailable');
  });

  it('fails every link and session of a case past its days visible after closing, and reopening restores them', async () => {
    const data = await setup({ visibleDaysAfterClose: 3 });
    const { cookie } = await openCustomerLink(t.app, data.link);
    expect((await staffPost(data, `/api/cases/${data.caseId}/close`, { comment: 'Ferdig' })).statusCode).toBe(
      200,
    );
    // Closed, within the window: still there.
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('ok');

    // Five days later (fake clock) the link fails with the contact text.
    clockAt(new Date(Date.now() + 5 * 86_400_000));
    const late = await openCustomerLink(t.app, data.link);
    expect(late.cookie).toBeNull();
    const refusal = await customerGet(t.app, SESSION, late.notice);
    expect(refusal.json()).toMatchObject({
      state: 'unavailable',
      reason: 'case_unavailable',
      contactForMoreInfo: CONTACT_TEXT,
      claimNumber: null,
    });
    vi.useRealTimers();

    // A live session fails too: the case was closed ten days ago.
    await t.db
      .updateTable('cases')
      .set({ closed_at: new Date(Date.now() - 10 * 86_400_000).toISOString() })
      .where('id', '=', data.caseId)
      .execute();
    const session = await customerGet(t.app, SESSION, cookie);
    expect(session.json()).toEqual({
      state: 'unavailable',
      reason: 'case_unavailable',
      claimNumber: null,
      company: { name: expect.any(String) },
      contactForMoreInfo: CONTACT_TEXT,
      phoneHint: null,
    });
    expectNoCaseData(data, late.response.body, refusal.body, session.body);

    expect(
      (await staffPost(data, `/api/cases/${data.caseId}/reopen`, { reason: 'Ny skade' })).statusCode,
    ).toBe(200);
    expect((await customerGet(t.app, SESSION, cookie)).json()).toMatchObject({
      state: 'ok',
      claimNumber: data.claimNumber,
    });
    const fresh = await openCustomerLink(t.app, data.link);
    expect((await customerGet(t.app, SESSION, fresh.cookie)).json().state).toBe('ok');
  });

  it('with 0 days visible after closing, closes the page the moment the case is closed', async () => {
    const data = await setup({ visibleDaysAfterClose: 0 });
    const { cookie } = await openCustomerLink(t.app, data.link);
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('ok');
    expect((await staffPost(data, `/api/cases/${data.caseId}/close`, {})).statusCode).toBe(200);

    // The same day, at once: the live session and the link both fail.
    const session = await customerGet(t.app, SESSION, cookie);
    expect(session.json()).toMatchObject({
      state: 'unavailable',
      reason: 'case_unavailable',
      claimNumber: null,
    });
    const late = await openCustomerLink(t.app, data.link);
    expect(late.cookie).toBeNull();
    expectNoCaseData(data, session.body, late.response.body);

    expect(
      (await staffPost(data, `/api/cases/${data.caseId}/reopen`, { reason: 'Ny skade' })).statusCode,
    ).toBe(200);
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('ok');
  });

  it('fails a cancelled case’s links and sessions, and a reopened case works again', async () => {
    const data = await setup();
    const { cookie } = await openCustomerLink(t.app, data.link);
    expect((await staffPost(data, `/api/cases/${data.caseId}/cancel`)).statusCode).toBe(200);
    const session = await customerGet(t.app, SESSION, cookie);
    expect(session.json()).toMatchObject({
      state: 'unavailable',
      reason: 'case_unavailable',
      claimNumber: null,
    });
    const link = await openCustomerLink(t.app, data.link);
    expect(link.cookie).toBeNull();
    const refusal = await customerGet(t.app, SESSION, link.notice);
    expect(refusal.json()).toMatchObject({
      state: 'unavailable',
      reason: 'case_unavailable',
      contactForMoreInfo: CONTACT_TEXT,
    });
    expectNoCaseData(data, session.body, link.response.body, refusal.body);
    // Staff cannot grant on a cancelled case either.
    const grant = await staffPost(data, `/api/cases/${data.caseId}/customer-access`, {
      contactId: data.contactId,
    });
    expect(grant.statusCode).toBe(409);

    expect((await staffPost(data, `/api/cases/${data.caseId}/reopen`)).statusCode).toBe(200);
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('ok');
  });
});

describe('the SMS security code', () => {
  /** The code of the newest SMS to `phone` (delivered first). */
  async function codeSentTo(phone: string): Promise<string> {
    await deliver(t);
    const sms = sinks.sms.filter((m) => m.to === phone && /Koden din er/.test(m.body)).at(-1);
    const code = sms ? /Koden din er (\d{6})/.exec(sms.body)?.[1] : undefined;
    if (!code) throw new Error('no code SMS');
    return code;
  }
  const verify = (cookie: string | null, code: string) =>
    customerPost(t.app, '/api/customer/code/verify', cookie, { code });

  it('shows nothing of the case before the code; wrong ×5 kills it; the right code works once and rotates the session', async () => {
    const start = new Date();
    clockAt(start);
    const data = await setup({ smsSecurityCode: true });
    const { cookie } = await openCustomerLink(t.app, data.link);
    const before = await customerGet(t.app, SESSION, cookie);
    expect(before.json()).toEqual({
      state: 'code_required',
      reason: null,
      claimNumber: null,
      company: { name: expect.any(String) },
      contactForMoreInfo: CONTACT_TEXT,
      phoneHint: `•• •• •${data.phone.slice(-3, -2)} ${data.phone.slice(-2)}`,
    });
    expectNoCaseData(data, before.body);

    const sent = await customerPost(t.app, '/api/customer/code/send', cookie);
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ expiresInSeconds: 600, resendAfterSeconds: 60 });
    const code = await codeSentTo(data.phone);
    const sms = sinks.sms.filter((m) => m.to === data.phone).at(-1)!;
    expect(sms.idempotencyKey).toMatch(/^code:/);
    expect(sms.body.length).toBeLessThanOrEqual(160);
    // Stored only as an HMAC, and sealed in the outbox until sent (then erased).
    const stored = await t.db.selectFrom('sms_codes').select('code_hash').execute();
    for (const row of stored) expect(row.code_hash).not.toContain(code);
    const queued = await t.db
      .selectFrom('outbox')
      .select(['body_text', 'secret_sealed'])
      .where('kind', '=', 'sms_code')
      .where('recipient', '=', data.phone)
      .execute();
    expect(queued).toEqual([
      { body_text: expect.stringContaining('Koden din er {{code}}.'), secret_sealed: null },
    ]);

    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const wrong = await verify(cookie, wrongCode);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error).toMatchObject({
        code: 'code_wrong',
        message: expect.stringContaining(`${5 - attempt} tr`),
      });
    }
    const fifth = await verify(cookie, wrongCode);
    expect(fifth.json().error.code).toBe('code_expired');
    const killed = await verify(cookie, code);
    expect(killed.statusCode).toBe(400);
    expect(killed.json().error.code).toBe('code_expired');
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('code_required');

    // Resend limit: not within a minute; a minute later a new code.
    const tooSoon = await customerPost(t.app, '/api/customer/code/send', cookie);
    expect(tooSoon.statusCode).toBe(429);
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThan(0);
    clockAt(new Date(start.getTime() + 61_000));
    expect((await customerPost(t.app, '/api/customer/code/send', cookie)).statusCode).toBe(200);
    const second = await codeSentTo(data.phone);

    // "Last used" waits for the code: opening the link and the code page (a minute on) set nothing.
    const lastUsed = async () =>
      (
        await t.db
          .selectFrom('customer_access')
          .select('last_used_at')
          .where('case_id', '=', data.caseId)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    expect(await lastUsed()).toBeNull();

    // A second browser opened the same link; the right code works in the first one only.
    const other = await openCustomerLink(t.app, data.link);
    const ok = await verify(cookie, second);
    expect(await lastUsed()).not.toBeNull();
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'ok', claimNumber: data.claimNumber });
    const rotated = customerCookieFrom(ok);
    expect(rotated).not.toBeNull();
    expect(rotated).not.toBe(cookie);
    expect((await customerGet(t.app, SESSION, rotated)).json().state).toBe('ok');
    expect((await customerGet(t.app, SESSION, cookie)).json()).toMatchObject({
      state: 'unavailable',
      reason: 'link_invalid',
    });
    const reused = await verify(other.cookie, second);
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('code_expired');
    expect((await customerGet(t.app, SESSION, other.cookie)).json().state).toBe('code_required');
    expect((await verify(rotated, second)).statusCode).toBe(409);
  });

  it('refuses a code older than 10 minutes', async () => {
    const start = new Date();
    clockAt(start);
    const data = await setup({ smsSecurityCode: true });
    const { cookie } = await openCustomerLink(t.app, data.link);
    await customerPost(t.app, '/api/customer/code/send', cookie);
    const code = await codeSentTo(data.phone);
    clockAt(new Date(start.getTime() + 10 * 60_000 + 1000));
    const late = await verify(cookie, code);
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe('code_expired');
    expect((await customerGet(t.app, SESSION, cookie)).json().state).toBe('code_required');
  });

  it('limits resending to one a minute and five an hour', async () => {
    const start = new Date();
    clockAt(start);
    const data = await setup({ smsSecurityCode: true });
    const { cookie } = await openCustomerLink(t.app, data.link);
    const sendAt = async (seconds: number) => {
      clockAt(new Date(start.getTime() + seconds * 1000));
      return customerPost(t.app, '/api/customer/code/send', cookie);
    };
    for (const seconds of [0, 61, 122, 183, 244])
      expect((await sendAt(seconds)).statusCode, `at ${seconds}s`).toBe(200);
    const sixth = await sendAt(305);
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBe(3600 - 305);
    expect((await sendAt(3601)).statusCode).toBe(200);
    await deliver(t);
    expect(sinks.sms.filter((m) => m.to === data.phone && /Koden din er/.test(m.body))).toHaveLength(6);
  });

  it('bounds failed checks at 100 per grant per hour (429 with Retry-After)', async () => {
    const start = new Date();
    clockAt(start);
    const data = await setup({ smsSecurityCode: true });
    const { cookie } = await openCustomerLink(t.app, data.link);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      expect((await verify(cookie, '123456')).statusCode).toBe(400);
    }
    const limited = await verify(cookie, '123456');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3000);
    clockAt(new Date(start.getTime() + 50 * 60_000));
    expect((await verify(cookie, '123456')).statusCode).toBe(429);
    clockAt(new Date(start.getTime() + 3601_000));
    expect((await customerGet(t.app, SESSION, cookie)).statusCode).toBe(200);
    const freed = await t.app.inject({
      method: 'POST',
      url: '/api/customer/code/verify',
      headers: { origin: TEST_ORIGIN, cookie: (await openCustomerLink(t.app, data.link)).cookie! },
      payload: { code: '123456' },
    });
    expect(freed.statusCode).toBe(400);
  });

  it.each([
    ['no phone', false],
    ['only a landline', '+4722334455'],
  ] as const)('shows the contact text instead when the person has %s', async (_, phone) => {
    // Granted before the company turned the code on (with it on, no link goes to a person without a
    // mobile number: customer-access.http.test.ts).
    const data = await setup({}, { phone });
    const { company_id: companyId } = await t.db
      .selectFrom('cases')
      .select('company_id')
      .where('id', '=', data.caseId)
      .executeTakeFirstOrThrow();
    await saveSettings(t.db, companyId, {
      sendLink: 'case_created',
      accessFor: 'customer',
      contactForMoreInfo: CONTACT_TEXT,
      smsSecurityCode: true,
    });
    const { cookie } = await openCustomerLink(t.app, data.link);
    const session = await customerGet(t.app, SESSION, cookie);
    expect(session.json()).toEqual({
      state: 'unavailable',
      reason: 'no_phone',
      claimNumber: null,
      company: { name: expect.any(String) },
      contactForMoreInfo: CONTACT_TEXT,
      phoneHint: null,
    });
    expect((await customerPost(t.app, '/api/customer/code/send', cookie)).statusCode).toBe(409);
    expectNoCaseData(data, session.body);
  });

  it('validates the code: 6 digits, nothing else', async () => {
    const data = await setup({ smsSecurityCode: true });
    const { cookie } = await openCustomerLink(t.app, data.link);
    for (const payload of [{ code: '12345' }, { code: 'abcdef' }, {}, { code: '123456', extra: 1 }]) {
      const response = await customerPost(t.app, '/api/customer/code/verify', cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
  });
});
