import { describe, expect, it } from 'vitest';
import {
  customerCookieFrom,
  customerGet,
  deliver,
  linkIn,
  saveSettings,
  tokenOf,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

// Attack review, issue 15 item 8: a cross-site navigation to an attacker's /k/<token> deleted the
// victim's own customer session and signed them into the attacker's case. A link for another grant
// now only waits beside the live session; the person switches (or stays) on our page, by a
// same-origin request.

const sinks = useSinks();
const t = useTestApp(sinks.env);

const SESSION = '/api/customer/session';
const PAGE = '/api/customer/page?lang=nb';

/** A case whose customer received a link; the link and the claim number. */
async function caseWithLink(companyId: string) {
  const actor = await makeActor(t.db, { companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const claimNumber = `SK-${s}`;
  await makeCase(t.db, actor, {
    claimNumber,
    address: { street: `Lenkeveien ${s}`, postalCode: '0152', city: 'Oslo' },
    customer: { name: `Kunde ${s}`, email },
  });
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  return { link: linkIn(mail.text), claimNumber };
}

async function twoCases() {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, { sendLink: 'case_created', accessFor: 'customer' });
  return { victim: await caseWithLink(staff.companyId), attacker: await caseWithLink(staff.companyId) };
}

/** Opens a link in a browser holding `cookies` (as a navigation from anywhere would). */
async function open(link: string, cookies: string[]) {
  const response = await t.app.inject({
    method: 'GET',
    url: new URL(link).pathname,
    headers: { accept: 'text/html', ...(cookies.length > 0 && { cookie: cookies.join('; ') }) },
  });
  const pending = response.cookies.find((c) => c.name === 'ks_customer_pending' && c.value !== '');
  return {
    response,
    session: customerCookieFrom(response),
    pending: pending ? `ks_customer_pending=${pending.value}` : null,
  };
}

const post = (url: string, cookies: string[], origin: string | null = TEST_ORIGIN) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...(origin && { origin }), cookie: cookies.join('; ') },
    payload: {},
  });

const claimOf = async (cookie: string) => {
  const page = await customerGet(t.app, PAGE, cookie);
  expect(page.statusCode).toBe(200);
  return page.json().session.claimNumber as string;
};

describe('a link for another case while a customer session is live', () => {
  it('keeps the session and the case; the page asks before switching', async () => {
    const { victim, attacker } = await twoCases();
    const own = await open(victim.link, []);
    expect(own.session).not.toBeNull();

    const forced = await open(attacker.link, [own.session!]);
    expect(forced.response.statusCode).toBe(303);
    expect(forced.response.headers.location).toBe('/k/');
    expect(forced.session).toBeNull();
    expect(forced.response.cookies.find((c) => c.name === 'ks_customer')).toBeUndefined();
    expect(forced.pending).not.toBeNull();
    const pendingCookie = forced.response.cookies.find((c) => c.name === 'ks_customer_pending')!;
    expect(pendingCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(pendingCookie.maxAge).toBeLessThanOrEqual(15 * 60);

    // The victim's page is still their own case, and says a link waits.
    expect(await claimOf(own.session!)).toBe(victim.claimNumber);
    const session = await customerGet(t.app, SESSION, [own.session!, forced.pending!].join('; '));
    expect(session.json()).toMatchObject({ state: 'ok', claimNumber: victim.claimNumber, pendingLink: true });
    expect(JSON.stringify(session.json())).not.toContain(attacker.claimNumber);
  });

  it('switches only on a same-origin confirmation: no Origin or a foreign one changes nothing', async () => {
    const { victim, attacker } = await twoCases();
    const own = await open(victim.link, []);
    const forced = await open(attacker.link, [own.session!]);
    const cookies = [own.session!, forced.pending!];

    for (const origin of [null, 'https://evil.example']) {
      const refused = await post('/api/customer/pending-link/accept', cookies, origin);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('csrf_rejected');
      expect(await claimOf(own.session!)).toBe(victim.claimNumber);
    }

    const accepted = await post('/api/customer/pending-link/accept', cookies);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'ok', claimNumber: attacker.claimNumber });
    expect(accepted.json().pendingLink).toBeUndefined();
    const switched = customerCookieFrom(accepted);
    expect(switched).not.toBeNull();
    expect(await claimOf(switched!)).toBe(attacker.claimNumber);
    // The old session ended (the browser holds one at a time) and the waiting link is forgotten.
    expect((await customerGet(t.app, PAGE, own.session!)).statusCode).toBe(401);
    const cleared = accepted.cookies.find((c) => c.name === 'ks_customer_pending');
    expect(cleared?.value).toBe('');
  });

  it('stays on the own case when the person says so', async () => {
    const { victim, attacker } = await twoCases();
    const own = await open(victim.link, []);
    const forced = await open(attacker.link, [own.session!]);

    const stayed = await post('/api/customer/pending-link/dismiss', [own.session!, forced.pending!]);
    expect(stayed.statusCode).toBe(200);
    expect(stayed.json()).toMatchObject({ state: 'ok', claimNumber: victim.claimNumber });
    expect(stayed.json().pendingLink).toBeUndefined();
    expect(stayed.cookies.find((c) => c.name === 'ks_customer_pending')?.value).toBe('');
    expect(await claimOf(own.session!)).toBe(victim.claimNumber);
    // Nothing waits any more: accepting now is a conflict and changes nothing.
    const late = await post('/api/customer/pending-link/accept', [own.session!]);
    expect(late.statusCode).toBe(409);
    expect(await claimOf(own.session!)).toBe(victim.claimNumber);
  });

  it('a forged or unsigned waiting link is not accepted', async () => {
    const { victim, attacker } = await twoCases();
    const own = await open(victim.link, []);
    const unsigned = `ks_customer_pending=${tokenOf(attacker.link)}`;
    const refused = await post('/api/customer/pending-link/accept', [own.session!, unsigned]);
    expect(refused.statusCode).toBe(409);
    expect(await claimOf(own.session!)).toBe(victim.claimNumber);
  });

  it('an unknown link leaves the live session alone', async () => {
    const { victim } = await twoCases();
    const own = await open(victim.link, []);
    const bogus = await open(`https://kundeside.test/k/${'x'.repeat(43)}`, [own.session!]);
    expect(bogus.response.statusCode).toBe(303);
    expect(bogus.pending).toBeNull();
    expect(await claimOf(own.session!)).toBe(victim.claimNumber);
  });

  it('the same link opened again, or any link without a live session, signs in at once as before', async () => {
    const { victim, attacker } = await twoCases();
    const own = await open(victim.link, []);
    const again = await open(victim.link, [own.session!]);
    expect(again.pending).toBeNull();
    expect(again.session).not.toBeNull();
    expect(await claimOf(again.session!)).toBe(victim.claimNumber);

    const fresh = await open(attacker.link, []);
    expect(fresh.pending).toBeNull();
    expect(await claimOf(fresh.session!)).toBe(attacker.claimNumber);
  });
});
