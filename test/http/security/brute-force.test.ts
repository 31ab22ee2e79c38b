import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reissueCustomerLinkToken } from '../../../src/server/customer-access/reissue-link.ts';
import {
  customerCookieFrom,
  customerGet,
  customerPost,
  deliver,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../support/customer.ts';
import { makeActor, makeCase, makeUser } from '../../support/factory.ts';
import { useSinks } from '../../support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../support/test-app.ts';
import { tableCounts } from './fixtures.ts';

/** Each test loops over every route (or hashes passwords 100 times): room for a busy machine. */
const SLOW_MS = 120_000;

// Guessing secrets, seen from the attacker's side: many attempts, then the right secret — which must
// be refused once the limit of the quality bar is reached. Customer-link tokens (256 random bits, no
// throttle needed: a guess never hits), SMS codes (5 wrong per code, 100 failures per grant per hour,
// resend 1/min and 5/hour), staff sign-in (10 failures per account from one address, 3 while the
// account is guessed from many, 100 per address, 15 minutes; never the owner from elsewhere).
// The clock is frozen with a fake Date (the services read `new Date()`), never waited for.

const sinks = useSinks();
const t = useTestApp(sinks.env);

afterEach(() => {
  vi.useRealTimers();
});

/** Freezes Date at `at` (timers and I/O keep running). */
function clockAt(at: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

/** A case whose customer holds a working link; `smsSecurityCode` as given. */
async function customerWithLink(smsSecurityCode: boolean) {
  const admin = await makeActor(t.db, { level: 6 });
  await saveSettings(t.db, admin.companyId, {
    smsSecurityCode,
    sendLink: 'case_created',
    accessFor: 'customer',
  });
  const s = uniqueSuffix();
  const phone = uniquePhone();
  const claimNumber = `BF-${s}`;
  const { id: caseId } = await makeCase(t.db, admin, {
    claimNumber,
    customer: { name: `Kunde ${s}`, email: `kunde-${s}@example.test`, phone },
  });
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  if (!token) throw new Error('no grant');
  return { caseId, claimNumber, phone, token, link: `${TEST_ORIGIN}/k/${token}` };
}

const SESSION = '/api/customer/session';

describe('customer link tokens', { timeout: SLOW_MS }, () => {
  it('gives nothing to 300 guessed links (random, near-miss, odd shapes) and still opens the real one', async () => {
    const { token, link, claimNumber } = await customerWithLink(false);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits from the generator, base64url
    const flip = (i: number) => `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    const guesses = [
      ...Array.from({ length: 250 }, () => randomBytes(32).toString('base64url')),
      ...Array.from({ length: 40 }, (_, i) => flip(i)),
      token.slice(0, -1),
      `${token}A`,
      token.toUpperCase(),
      token.toLowerCase(),
      `${token}/`,
      encodeURIComponent(`${token}\u0000`),
      `${token}%20`,
      `${token.slice(0, 32)}`,
      '..%2Fapi%2Fme',
    ];
    const before = await tableCounts(t.db);
    for (const guess of guesses) {
      const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${guess}`);
      // A redirect to the page, or the page itself (503 while the web app is not built).
      expect([303, 200, 503], guess).toContain(opened.response.statusCode);
      expect(opened.cookie, guess).toBeNull();
      expect(opened.notice, guess).toBeNull();
      expect(opened.response.body, guess).not.toContain(claimNumber);
    }
    // Not a session, grant or code more: a guess leaves no trace an attacker could use.
    expect(await tableCounts(t.db)).toEqual(before);
    const real = await openCustomerLink(t.app, link);
    expect(real.response.statusCode).toBe(303);
    const session = await customerGet(t.app, SESSION, real.cookie);
    expect(session.json()).toMatchObject({ state: 'ok', claimNumber });
  });

  it('stores no usable token: the database holds only its hash', async () => {
    const { token, caseId } = await customerWithLink(false);
    const rows = await t.db.selectFrom('customer_access').selectAll().where('case_id', '=', caseId).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
    const outbox = await t.db.selectFrom('outbox').selectAll().execute();
    expect(JSON.stringify(outbox)).not.toContain(token);
  });
});

describe('SMS security codes', { timeout: SLOW_MS }, () => {
  /** The newest code sent to `phone` (delivered through the SMS sink). */
  async function codeSentTo(phone: string): Promise<string> {
    await deliver(t);
    const sms = sinks.sms.filter((m) => m.to === phone && /Koden din er/.test(m.body)).at(-1);
    const code = sms ? /Koden din er (\d{6})/.exec(sms.body)?.[1] : undefined;
    if (!code) throw new Error('no code SMS');
    return code;
  }
  const verify = (cookie: string | null, code: string) =>
    customerPost(t.app, '/api/customer/code/verify', cookie, { code });
  const wrong = (code: string, n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');

  it('kills a code after 5 wrong tries: the right code is then refused and the page stays closed', async () => {
    const start = new Date();
    clockAt(start);
    const c = await customerWithLink(true);
    const { cookie } = await openCustomerLink(t.app, c.link);
    expect((await customerPost(t.app, '/api/customer/code/send', cookie)).statusCode).toBe(200);
    const code = await codeSentTo(c.phone);
    const answers = [];
    for (let n = 1; n <= 5; n += 1) answers.push((await verify(cookie, wrong(code, n))).json().error.code);
    expect(answers).toEqual(['code_wrong', 'code_wrong', 'code_wrong', 'code_wrong', 'code_expired']);
    const right = await verify(cookie, code);
    expect(right.statusCode).toBe(400);
    expect(right.json().error.code).toBe('code_expired');
    expect(customerCookieFrom(right)).toBeNull();
    // Another browser session on the same link does not revive the dead code.
    const other = await openCustomerLink(t.app, c.link);
    expect((await verify(other.cookie, code)).json().error.code).toBe('code_expired');
    for (const session of [cookie, other.cookie]) {
      expect((await customerGet(t.app, SESSION, session)).json()).toMatchObject({
        state: 'code_required',
        claimNumber: null,
      });
      expect((await customerGet(t.app, '/api/customer/page', session)).statusCode).toBe(403);
    }
  });

  it('stops checking after 100 failures per grant in an hour, even the right code from a fresh session, until the hour has passed', async () => {
    const start = new Date();
    clockAt(start);
    const c = await customerWithLink(true);
    const { cookie } = await openCustomerLink(t.app, c.link);
    expect((await customerPost(t.app, '/api/customer/code/send', cookie)).statusCode).toBe(200);
    const first = await codeSentTo(c.phone);
    // Across several sessions of the same link: the limit belongs to the grant, not the session.
    let session = cookie;
    for (let n = 1; n <= 100; n += 1) {
      if (n % 25 === 0) session = (await openCustomerLink(t.app, c.link)).cookie;
      expect((await verify(session, wrong(first, n))).statusCode, `try ${n}`).toBe(400);
    }
    clockAt(new Date(start.getTime() + 61_000));
    const fresh = (await openCustomerLink(t.app, c.link)).cookie;
    expect((await customerPost(t.app, '/api/customer/code/send', fresh)).statusCode).toBe(200);
    const code = await codeSentTo(c.phone);
    const refused = await verify(fresh, code);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect((await customerGet(t.app, SESSION, fresh)).json().state).toBe('code_required');

    // After the hour a new code works again (the old one has expired by then).
    clockAt(new Date(start.getTime() + 3_601_000 + 61_000));
    const later = (await openCustomerLink(t.app, c.link)).cookie;
    expect((await customerPost(t.app, '/api/customer/code/send', later)).statusCode).toBe(200);
    const ok = await verify(later, await codeSentTo(c.phone));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'ok', claimNumber: c.claimNumber });
  });

  it('sends one SMS however often and from however many sessions it is asked for within a minute; five an hour', async () => {
    const start = new Date();
    clockAt(start);
    const c = await customerWithLink(true);
    const statuses: number[] = [];
    for (let n = 0; n < 10; n += 1) {
      const { cookie } = await openCustomerLink(t.app, c.link);
      for (let k = 0; k < 3; k += 1) {
        const response = await customerPost(t.app, '/api/customer/code/send', cookie);
        statuses.push(response.statusCode);
        if (response.statusCode === 429) {
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
          expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
        }
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(29);
    // Asking every 61 s: five in the hour, then 429 until the first one is an hour old.
    const { cookie } = await openCustomerLink(t.app, c.link);
    const sendAt = async (seconds: number) => {
      clockAt(new Date(start.getTime() + seconds * 1000));
      return (await customerPost(t.app, '/api/customer/code/send', cookie)).statusCode;
    };
    expect([await sendAt(61), await sendAt(122), await sendAt(183), await sendAt(244)]).toEqual([
      200, 200, 200, 200,
    ]);
    expect(await sendAt(305)).toBe(429);
    expect(await sendAt(1800)).toBe(429);
    await deliver(t);
    expect(sinks.sms.filter((m) => m.to === c.phone && /Koden din er/.test(m.body))).toHaveLength(5);
  });
});

describe('staff sign-in', { timeout: SLOW_MS }, () => {
  const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email, password },
      remoteAddress,
    });

  it('answers an unknown account exactly like a wrong password (no account discovery)', async () => {
    const user = await makeUser(t.db);
    const wrongPassword = await login(user.email, 'not-the-password', '10.0.0.9');
    const unknown = await login(`nobody-${uniqueSuffix()}@example.test`, 'not-the-password', '10.0.0.9');
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrongPassword.body);
  });

  it('stops addresses guessing an account (10 each, 3 once it is guessed from many), never its owner elsewhere', async () => {
    const start = new Date();
    clockAt(start);
    const victim = await makeUser(t.db);
    const bystander = await makeUser(t.db);
    const guesser = '10.1.0.50';
    for (let n = 0; n < 10; n += 1) {
      // One address waits out every growing delay: still 10 guesses, then paused for 15 minutes.
      clockAt(new Date(start.getTime() + n * 60_000));
      const response = await login(victim.email, `guess-${n}-password`, guesser);
      expect(response.statusCode, `try ${n}`).toBe(401);
    }
    for (const email of [victim.email, victim.email.toUpperCase(), `  ${victim.email}  `]) {
      const refused = await login(email, victim.password, guesser);
      expect(refused.statusCode, email).toBe(429);
      expect(refused.json().error.code).toBe('too_many_requests');
      expect(refused.cookies.filter((c) => c.value)).toEqual([]);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    }
    // The account is being guessed: rotating addresses get 3 tries each, then 429.
    for (let n = 0; n < 3; n += 1) {
      expect((await login(victim.email, `rotate-${n}`, '10.1.0.60')).statusCode).toBe(401);
    }
    expect((await login(victim.email, victim.password, '10.1.0.60')).statusCode).toBe(429);
    // A colleague signs in from the guessing address; the owner from an address that has not failed.
    expect((await login(bystander.email, bystander.password, guesser)).statusCode).toBe(200);
    expect((await login(victim.email, victim.password, '10.1.0.99')).statusCode).toBe(200);
    clockAt(new Date(start.getTime() + 14 * 60_000));
    expect((await login(victim.email, victim.password, guesser)).statusCode).toBe(429);
    clockAt(new Date(start.getTime() + 24 * 60_000 + 1000));
    expect((await login(victim.email, victim.password, guesser)).statusCode).toBe(200);
  });

  it('pauses an address after 100 failures across accounts: the right password from it gets 429, from elsewhere 200', async () => {
    const start = new Date();
    clockAt(start);
    const user = await makeUser(t.db);
    const attacker = '10.2.0.7';
    // 100 different unknown accounts (password spraying), a few at a time.
    for (let batch = 0; batch < 20; batch += 1) {
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, k) =>
          login(`spray-${batch}-${k}-${uniqueSuffix()}@example.test`, 'Sommer2026!', attacker),
        ),
      );
      for (const response of responses) expect(response.statusCode).toBe(401);
    }
    const refused = await login(user.email, user.password, attacker);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(user.email, user.password, '10.2.0.8')).statusCode).toBe(200);
    clockAt(new Date(start.getTime() + 15 * 60_000 + 1000));
    expect((await login(user.email, user.password, attacker)).statusCode).toBe(200);
  });
});

describe('customer message flood', { timeout: SLOW_MS }, () => {
  // The review's attack (issue 15 item 4): 1 000 messages in 11 s, all accepted, 1 102 e-mails to the
  // case handler. With the default limits: 10 per session in 10 minutes, 60 per case an hour, one
  // e-mail to the handler per quarter hour while unread.
  const postMessage = (cookie: string | null, n: number) =>
    customerPost(t.app, '/api/customer/messages', cookie, { body: `Flom ${n}` });

  /** A case handled by a level-1 user whose customer holds a working link. */
  async function floodedCase() {
    const admin = await makeActor(t.db, { level: 6 });
    await saveSettings(t.db, admin.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const handler = await makeActor(t.db, { companyId: admin.companyId, level: 1 });
    const s = uniqueSuffix();
    const { id: caseId } = await makeCase(t.db, admin, {
      claimNumber: `FL-${s}`,
      customer: { name: `Kunde ${s}`, email: `kunde-${s}@example.test`, phone: uniquePhone() },
      caseHandlerId: handler.userId,
    });
    const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
    if (!token) throw new Error('no grant');
    return { caseId, link: `${TEST_ORIGIN}/k/${token}` };
  }
  const messagesOf = async (caseId: string) =>
    Number(
      (
        await t.db
          .selectFrom('case_messages')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('case_id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const handlerMailsOf = async (caseId: string) =>
    Number(
      (
        await t.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('case_id', '=', caseId)
          .where('kind', '=', 'staff_notice')
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stops a session after 10, the case after 60 an hour whatever the sessions, and e-mails the handler once', async () => {
    const start = new Date();
    clockAt(start);
    const c = await floodedCase();
    const statuses: number[] = [];
    const sessions: Array<string | null> = [];
    // The attacker opens a new session whenever one is refused, and keeps going.
    let cookie = (await openCustomerLink(t.app, c.link)).cookie;
    sessions.push(cookie);
    for (let n = 0; n < 100; n += 1) {
      let response = await postMessage(cookie, n);
      if (response.statusCode === 429 && statuses.filter((s) => s === 201).length < 60) {
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(500);
        cookie = (await openCustomerLink(t.app, c.link)).cookie;
        sessions.push(cookie);
        response = await postMessage(cookie, n);
      }
      statuses.push(response.statusCode);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(60);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
    expect(sessions).toHaveLength(6);
    expect(await messagesOf(c.caseId)).toBe(60);
    expect(await handlerMailsOf(c.caseId)).toBe(1);
    const refused = await postMessage(cookie, 100);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    // An hour later (a new session: the old ones idled out) the case takes messages again, and the
    // handler, still not having read, gets one more e-mail.
    clockAt(new Date(start.getTime() + 3_600_000 + 1000));
    const later = (await openCustomerLink(t.app, c.link)).cookie;
    expect((await postMessage(later, 101)).statusCode).toBe(201);
    expect(await handlerMailsOf(c.caseId)).toBe(2);
  });

  it('lets exactly 10 of 20 simultaneous posts of one session through, writing nothing for the others', async () => {
    const c = await floodedCase();
    const { cookie } = await openCustomerLink(t.app, c.link);
    const before = await tableCounts(t.db);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, n) => postMessage(cookie, n)));
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(10);
    const refused = responses.filter((r) => r.statusCode === 429);
    expect(refused).toHaveLength(10);
    for (const response of refused) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    const after = await tableCounts(t.db);
    expect(after.case_messages! - before.case_messages!).toBe(10);
    expect(after.staff_notifications! - before.staff_notifications!).toBe(10);
    expect(after.outbox! - before.outbox!).toBe(1);
  });
});
