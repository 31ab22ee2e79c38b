import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-provider.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

// Customer identification with BankID through an OIDC broker (issue 18 part 2), against a real
// OpenID Provider (oidc-provider) started here: the whole flow, each refusal (nothing verified), the
// broker down with and without the SMS fallback, and the admin API of the broker.

const sinks = useSinks();
const t = useTestApp(sinks.env);

const SESSION = '/api/customer/session';
const BROKER = '/api/admin/bankid-broker';
const REDIRECT_URI = `${TEST_ORIGIN}/api/customer/bankid/callback`;
const CLIENT = {
  clientId: 'kundeside-bankid',
  clientSecret: 'broker-secret-7f3a9c',
  redirectUris: [REDIRECT_URI],
};
const NIN = '01028012345';
const KARI = {
  id: 'kari',
  claims: {
    name: 'Kari Nordmann',
    given_name: 'Kari',
    family_name: 'Nordmann',
    birthdate: '1980-02-01',
    nin: NIN,
  },
};

let provider: TestProvider;
let downIssuer: string;

beforeAll(async () => {
  provider = await startTestProvider({
    clients: [CLIENT, { ...CLIENT, clientId: 'another-client' }],
    accounts: [KARI],
    // As brokers do, the national identity number comes with the profile.
    claims: { profile: ['name', 'given_name', 'family_name', 'birthdate', 'nin'] },
  });
  const down = await startTestProvider({ clients: [CLIENT], accounts: [KARI] });
  downIssuer = down.issuer;
  await down.close();
});
afterAll(async () => {
  await provider.close();
});
afterEach(() => {
  provider.setIdTokenTransform(null);
});

interface World {
  companyId: string;
  caseId: string;
  staffCookie: string;
  phone: string;
  cookie: string;
  link: string;
}

/** A company with BankID on and its broker saved through the admin API; a case whose customer opened the link. */
async function world(
  settings: Partial<CustomerPageSettings> = {},
  broker: { issuer?: string } = {},
): Promise<World> {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, { bankIdSignIn: true, sendLink: 'case_created', ...settings });
  const saved = await t.app.inject({
    method: 'PUT',
    url: BROKER,
    headers: browserHeaders(staff.cookie),
    payload: {
      issuer: broker.issuer ?? provider.issuer,
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
    },
  });
  expect(saved.statusCode).toBe(200);
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const email = `kari-${uniqueSuffix()}@example.test`;
  const phone = uniquePhone();
  const { id } = await makeCase(t.db, actor, { customer: { name: 'Kari N.', email, phone } });
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  const link = linkIn(mail.text);
  const { cookie } = await openCustomerLink(t.app, link);
  if (!cookie) throw new Error('no customer session');
  return { companyId: staff.companyId, caseId: id, staffCookie: staff.cookie, phone, cookie, link };
}

/** GET …/bankid/start: the broker's authorization URL and the pending sign-in's cookie. */
async function start(cookie: string) {
  const response = await customerGet(t.app, '/api/customer/bankid/start', cookie);
  expect(response.statusCode).toBe(303);
  const pending = response.cookies.find((c) => c.name === 'ks_bankid' && c.value !== '');
  return {
    location: new URL(response.headers.location as string),
    pending: pending ? `ks_bankid=${pending.value}` : null,
  };
}

/** The broker's redirect back, as the browser follows it with its cookies. */
const callback = (url: URL, cookies: string) =>
  t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { cookie: cookies } });

/** Start → the provider's login as Kari → the callback URL (not yet followed). */
async function signInAtBroker(cookie: string) {
  const started = await start(cookie);
  expect(started.pending).not.toBeNull();
  const back = await provider.signInAs(started.location, KARI.id);
  return { back, pending: started.pending! };
}

const sessionOf = async (cookie: string | null) => (await customerGet(t.app, SESSION, cookie)).json();

/** A refusal: back on the customer page, BankID still required with the problem noted, nothing of the case. */
async function expectRefused(
  w: World,
  response: { statusCode: number; headers: Record<string, unknown> },
  /** Sessions of the case identified before (by an earlier, successful sign-in). */
  identifiedBefore = 0,
) {
  expect(response.statusCode).toBe(303);
  expect(response.headers.location).toBe('/k/');
  expect(customerCookieFrom(response as never)).toBeNull();
  const view = await sessionOf(w.cookie);
  expect(view.state).toBe('bankid_required');
  expect(view.bankId).toEqual({ problem: 'failed', smsFallback: false });
  expect((await customerGet(t.app, '/api/customer/page', w.cookie)).statusCode).toBe(403);
  const sessions = await t.db
    .selectFrom('customer_sessions')
    .select(['identified_by', 'verified_name'])
    .where('case_id', '=', w.caseId)
    .execute();
  expect(sessions.filter((s) => s.identified_by !== null || s.verified_name !== null)).toHaveLength(
    identifiedBefore,
  );
}

describe('identifying with BankID', () => {
  it('asks for BankID after the link, redirects to the broker with code + PKCE S256, state and nonce', async () => {
    const w = await world();
    const view = await sessionOf(w.cookie);
    expect(view).toMatchObject({
      state: 'bankid_required',
      claimNumber: null,
      bankId: { problem: null, smsFallback: false },
    });
    expect((await customerGet(t.app, '/api/customer/page', w.cookie)).statusCode).toBe(403);
    const { location, pending } = await start(w.cookie);
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(location.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(location.searchParams.get('scope')).toBe('openid profile');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(pending).toBeTruthy();
  });

  it('verifies the session with the name and birth date, shows it to staff, and stores no national identity number', async () => {
    const w = await world();
    const { back, pending } = await signInAtBroker(w.cookie);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    const done = await callback(back, `${w.cookie}; ${pending}`);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/k/');
    const identified = customerCookieFrom(done);
    expect(identified).not.toBeNull();
    expect(identified).not.toBe(w.cookie);
    // The pending sign-in is gone, the old session ended (a new id at identification).
    expect(done.cookies.find((c) => c.name === 'ks_bankid')?.value).toBe('');
    expect((await sessionOf(w.cookie)).state).toBe('unavailable');
    const view = await sessionOf(identified);
    expect(view.state).toBe('ok');
    expect((await customerGet(t.app, '/api/customer/page', identified)).statusCode).toBe(200);

    const session = await t.db
      .selectFrom('customer_sessions')
      .selectAll()
      .where('case_id', '=', w.caseId)
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({
      identified_by: 'bankid',
      verified_name: 'Kari Nordmann',
      verified_birth_date: '1980-02-01',
    });
    expect(session.identified_at).toBeTruthy();

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}/customer-access`,
      headers: browserHeaders(w.staffCookie),
    });
    const person = list.json().people[0];
    expect(person.identification).toMatchObject({
      method: 'bankid',
      name: 'Kari Nordmann',
      birthDate: '1980-02-01',
    });
    expect(person.lastUsedAt).toBeTruthy();

    // The national identity number was in the ID token; it is nowhere in what we keep.
    const rows = await Promise.all([
      t.db.selectFrom('customer_sessions').selectAll().where('case_id', '=', w.caseId).execute(),
      t.db.selectFrom('customer_access').selectAll().where('case_id', '=', w.caseId).execute(),
      t.db.selectFrom('case_events').selectAll().where('case_id', '=', w.caseId).execute(),
      t.db.selectFrom('outbox').selectAll().where('case_id', '=', w.caseId).execute(),
      t.db.selectFrom('bankid_brokers').selectAll().where('company_id', '=', w.companyId).execute(),
    ]);
    const stored = JSON.stringify(rows);
    expect(stored).toContain('Kari Nordmann');
    expect(stored).not.toContain(NIN);
    expect(stored).not.toContain(CLIENT.clientSecret);
    expect(list.body).not.toContain(NIN);
  });

  it('refuses a wrong state', async () => {
    const w = await world();
    const { back, pending } = await signInAtBroker(w.cookie);
    back.searchParams.set('state', 'not-the-state-we-sent');
    await expectRefused(w, await callback(back, `${w.cookie}; ${pending}`));
  });

  it('refuses a replayed code', async () => {
    const first = await world();
    const used = await signInAtBroker(first.cookie);
    expect(customerCookieFrom(await callback(used.back, `${first.cookie}; ${used.pending}`))).not.toBeNull();
    // The same code once more, with a new sign-in's state: the broker has redeemed it already.
    const { cookie } = await openCustomerLink(t.app, first.link);
    const again = { ...first, cookie: cookie! };
    const started = await start(again.cookie);
    const replay = new URL(used.back);
    replay.searchParams.set('state', started.location.searchParams.get('state')!);
    await expectRefused(again, await callback(replay, `${again.cookie}; ${started.pending}`), 1);
  });

  it('refuses an ID token with a wrong nonce', async () => {
    const w = await world();
    provider.setIdTokenTransform((claims) => ({ ...claims, nonce: 'another-nonce' }));
    const { back, pending } = await signInAtBroker(w.cookie);
    await expectRefused(w, await callback(back, `${w.cookie}; ${pending}`));
  });

  it('refuses an expired ID token', async () => {
    const w = await world();
    const past = Math.floor(Date.now() / 1000) - 3600;
    provider.setIdTokenTransform((claims) => ({ ...claims, iat: past - 600, exp: past }));
    const { back, pending } = await signInAtBroker(w.cookie);
    await expectRefused(w, await callback(back, `${w.cookie}; ${pending}`));
  });

  it('refuses an ID token for another audience', async () => {
    const w = await world();
    provider.setIdTokenTransform((claims) => ({ ...claims, aud: 'another-client' }));
    const { back, pending } = await signInAtBroker(w.cookie);
    await expectRefused(w, await callback(back, `${w.cookie}; ${pending}`));
  });

  it("refuses a callback without the pending sign-in, and one started by another company's session", async () => {
    const ours = await world();
    const theirs = await world();
    const { back, pending } = await signInAtBroker(theirs.cookie);
    // Our session with their sign-in (its cookie and its code): bound to their session, refused.
    await expectRefused(ours, await callback(back, `${ours.cookie}; ${pending}`));
    expect((await sessionOf(theirs.cookie)).state).toBe('bankid_required');
    const again = await signInAtBroker(ours.cookie);
    await expectRefused(ours, await callback(again.back, ours.cookie));
  });

  it('says BankID is unavailable when the broker does not answer, and offers the SMS code when allowed', async () => {
    const w = await world({ smsSecurityCode: true }, { issuer: downIssuer });
    const started = await customerGet(t.app, '/api/customer/bankid/start', w.cookie);
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toBe('/k/');
    const view = await sessionOf(w.cookie);
    expect(view).toMatchObject({
      state: 'bankid_required',
      bankId: { problem: 'unavailable', smsFallback: true },
    });
    expect(view.phoneHint).toContain(w.phone.slice(-2));
    expect((await customerPost(t.app, '/api/customer/code/send', w.cookie)).statusCode).toBe(200);
    await deliver(t);
    const sms = sinks.sms.filter((m) => m.to === w.phone && /Koden din er/.test(m.body)).at(-1);
    const code = /Koden din er (\d{6})/.exec(sms?.body ?? '')?.[1];
    const verified = await customerPost(t.app, '/api/customer/code/verify', w.cookie, { code });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().state).toBe('ok');
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}/customer-access`,
      headers: browserHeaders(w.staffCookie),
    });
    expect(list.json().people[0].identification).toMatchObject({ method: 'sms_code', name: null });
  });

  it('says BankID is unavailable without offering a code when the company does not allow it', async () => {
    const w = await world({ smsSecurityCode: false }, { issuer: downIssuer });
    await customerGet(t.app, '/api/customer/bankid/start', w.cookie);
    const view = await sessionOf(w.cookie);
    expect(view).toMatchObject({
      state: 'bankid_required',
      phoneHint: null,
      bankId: { problem: 'unavailable', smsFallback: false },
    });
    expect((await customerPost(t.app, '/api/customer/code/send', w.cookie)).statusCode).toBe(409);
  });

  it('says BankID is unavailable while the company has no broker configured', async () => {
    const w = await world();
    const removed = await t.app.inject({
      method: 'DELETE',
      url: BROKER,
      headers: browserHeaders(w.staffCookie),
    });
    expect(removed.json().configured).toBe(false);
    const started = await customerGet(t.app, '/api/customer/bankid/start', w.cookie);
    expect(started.headers.location).toBe('/k/');
    expect((await sessionOf(w.cookie)).bankId).toEqual({ problem: 'unavailable', smsFallback: false });
  });

  it('offers no code while BankID works, even with the fallback allowed', async () => {
    const w = await world({ smsSecurityCode: true });
    expect((await sessionOf(w.cookie)).bankId).toEqual({ problem: null, smsFallback: false });
    expect((await customerPost(t.app, '/api/customer/code/send', w.cookie)).statusCode).toBe(409);
  });
});

describe('the BankID broker admin API and the settings contract', () => {
  it('is level 6 only, keeps the secret write-only and needs https outside tests', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const other = await signedInUser(t.app, t.db, { level: 5, companyId: admin.companyId });
    expect((await t.app.inject({ method: 'GET', url: BROKER })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: BROKER, headers: browserHeaders(other.cookie) })).statusCode,
    ).toBe(403);
    const put = (payload: object, cookie = admin.cookie) =>
      t.app.inject({ method: 'PUT', url: BROKER, headers: browserHeaders(cookie), payload });
    expect((await put({ issuer: 'https://broker.example', clientId: 'x' })).json().error.fields[0].path).toBe(
      'body.clientSecret',
    );
    expect((await put({ issuer: 'ftp://broker.example', clientId: 'x', clientSecret: 's' })).statusCode).toBe(
      400,
    );
    expect(
      (await put({ issuer: 'https://broker.example', clientId: 'x', clientSecret: 's' }, other.cookie))
        .statusCode,
    ).toBe(403);
    const saved = await put({
      issuer: 'https://broker.example',
      clientId: 'client-1',
      clientSecret: 'top-secret-value',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      configured: true,
      issuer: 'https://broker.example',
      clientId: 'client-1',
      hasClientSecret: true,
      redirectUri: REDIRECT_URI,
    });
    expect(saved.body).not.toContain('top-secret-value');
    // Left out, the secret stays.
    expect((await put({ issuer: 'https://broker.example', clientId: 'client-2' })).statusCode).toBe(200);
    const row = await t.db
      .selectFrom('bankid_brokers')
      .selectAll()
      .where('company_id', '=', admin.companyId)
      .executeTakeFirstOrThrow();
    expect(row.client_id).toBe('client-2');
    expect(row.client_secret_sealed).not.toContain('top-secret-value');
    // Another company's admin sees its own (none), never ours.
    const stranger = await signedInUser(t.app, t.db, { level: 6 });
    expect(
      (await t.app.inject({ method: 'GET', url: BROKER, headers: browserHeaders(stranger.cookie) })).json(),
    ).toMatchObject({
      configured: false,
      issuer: null,
    });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: BROKER,
      headers: browserHeaders(admin.cookie),
    });
    expect(removed.json().configured).toBe(false);
  });

  it('keeps smsSecurityCode of the integration contract round-tripping, and bankIdSignIn when a client leaves it out', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const page = '/api/admin/customer-page';
    const got = (
      await t.app.inject({ method: 'GET', url: page, headers: browserHeaders(admin.cookie) })
    ).json();
    expect(got).toMatchObject({ smsSecurityCode: false, bankIdSignIn: false });
    const { bankIdSignIn: _left, ...contractBody } = got;
    const saved = await t.app.inject({
      method: 'PUT',
      url: page,
      headers: browserHeaders(admin.cookie),
      payload: { ...contractBody, smsSecurityCode: true },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ smsSecurityCode: true, bankIdSignIn: false });
    const withBankId = await t.app.inject({
      method: 'PUT',
      url: page,
      headers: browserHeaders(admin.cookie),
      payload: { ...saved.json<Record<string, unknown>>(), bankIdSignIn: true },
    });
    expect(withBankId.json()).toMatchObject({ smsSecurityCode: true, bankIdSignIn: true });
    // An integration that knows only the contract's names turns the SMS code off; BankID stays.
    const contractOnly = await t.app.inject({
      method: 'PUT',
      url: page,
      headers: browserHeaders(admin.cookie),
      payload: { ...contractBody, smsSecurityCode: false },
    });
    expect(contractOnly.json()).toMatchObject({ smsSecurityCode: false, bankIdSignIn: true });
  });
});
