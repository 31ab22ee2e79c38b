import { describe, expect, it } from 'vitest';
import { reissueCustomerLinkToken } from '../../../src/server/customer-access/reissue-link.ts';
import {
  customerCookieFrom,
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

// The limits of the quality bar under simultaneous attempts: an attacker sends the guesses at once,
// so a limit that is checked first and counted after would let all of them through. Each attempt is
// now counted before it is checked (sign-in, code checks) or made under a lock (code sends).

const sinks = useSinks();
const t = useTestApp(sinks.env);

/** A customer whose session waits for the SMS code, with one code sent; returns the code too. */
async function customerAwaitingCode() {
  const admin = await makeActor(t.db, { level: 6 });
  await saveSettings(t.db, admin.companyId, {
    smsSecurityCode: true,
    sendLink: 'case_created',
    accessFor: 'customer',
  });
  const s = uniqueSuffix();
  const phone = uniquePhone();
  const { id: caseId } = await makeCase(t.db, admin, {
    customer: { name: `Kunde ${s}`, email: `kunde-${s}@example.test`, phone },
  });
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no session');
  return { caseId, phone, cookie: opened.cookie };
}

describe('simultaneous attempts', { timeout: 120_000 }, () => {
  it('checks at most 10 passwords of an account however many arrive at once', async () => {
    const user = await makeUser(t.db, { level: 1 });
    const attempts = Array.from({ length: 30 }, (_, i) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: TEST_ORIGIN },
        payload: { email: user.email, password: i === 29 ? user.password : `wrong-${i}` },
      }),
    );
    const statuses = (await Promise.all(attempts)).map((response) => response.statusCode);
    const checkedWrong = statuses.filter((status) => status === 401).length;
    expect(checkedWrong).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(19);
    expect(statuses.every((status) => [200, 401, 429].includes(status))).toBe(true);
  });

  it('compares at most five guesses with one SMS code, however many arrive at once', async () => {
    const w = await customerAwaitingCode();
    expect((await customerPost(t.app, '/api/customer/code/send', w.cookie)).statusCode).toBe(200);
    await deliver(t);
    const sms = sinks.sms.filter((m) => m.to === w.phone).at(-1);
    const code = /Koden din er (\d{6})/.exec(sms?.body ?? '')?.[1];
    if (!code) throw new Error('no code');
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    const guesses = Array.from({ length: 40 }, (_, i) => wrong(i));
    const responses = await Promise.all(
      guesses.map((guess) => customerPost(t.app, '/api/customer/code/verify', w.cookie, { code: guess })),
    );
    // Only five guesses may be compared: at most four say "wrong" (the fifth kills the code), the rest
    // are refused without a comparison.
    const compared = responses.filter((r) => r.statusCode === 400 && r.json().error.code === 'code_wrong');
    expect(compared.length).toBeLessThanOrEqual(4);
    expect(responses.every((r) => r.statusCode === 400)).toBe(true);
    const row = await t.db
      .selectFrom('sms_codes')
      .innerJoin('customer_access', 'customer_access.id', 'sms_codes.access_id')
      .select('sms_codes.wrong_attempts')
      .where('customer_access.case_id', '=', w.caseId)
      .executeTakeFirstOrThrow();
    expect(row.wrong_attempts).toBeLessThanOrEqual(5);
    // The code is dead: the right one no longer opens the case.
    const right = await customerPost(t.app, '/api/customer/code/verify', w.cookie, { code });
    expect(right.statusCode).toBe(400);
    expect(right.json().error.code).toBe('code_expired');
    expect(customerCookieFrom(right)).toBeNull();
  });

  it('sends one SMS code for twenty simultaneous requests', async () => {
    const w = await customerAwaitingCode();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => customerPost(t.app, '/api/customer/code/send', w.cookie)),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(19);
    const queued = await t.db
      .selectFrom('outbox')
      .select('id')
      .where('case_id', '=', w.caseId)
      .where('kind', '=', 'sms_code')
      .execute();
    expect(queued).toHaveLength(1);
  });
});
