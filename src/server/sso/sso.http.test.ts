import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, browserHeaders, makeApiKey, makeUser, signedInUser } from '../../../test/support/factory.ts';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-provider.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { createSealer } from '../outbox/sealing.ts';
import { openPendingSignIn, sealPendingSignIn } from '../security/oidc-client.ts';
import { saveSsoConfigAs } from './sso-config.ts';

const t = useTestApp();
const REDIRECT_URI = `${TEST_ORIGIN}/api/auth/sso/callback`;
const CLIENT = { clientId: 'kundeside', clientSecret: 'client-secret-of-the-test-provider-000' };
let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider({
    clients: [{ ...CLIENT, redirectUris: [REDIRECT_URI] }],
    accounts: [],
  });
});
afterAll(() => provider?.close());

const unique = () => randomBytes(4).toString('hex');

/** A company with SSO configured (through the admin API) and a level-1 user whose e-mail the provider asserts. */
async function ssoCompany(options: { ssoOnly?: boolean; issuer?: string; verified?: boolean } = {}) {
  const admin = await signedInUser(t.app, t.db, { level: 6 });
  const user = await makeUser(t.db, { companyId: admin.companyId });
  const saved = await t.app.inject({
    method: 'PUT',
    url: '/api/admin/sso',
    headers: browserHeaders(admin.cookie),
    payload: {
      issuer: options.issuer ?? provider.issuer,
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
      enabled: true,
      ssoOnly: options.ssoOnly ?? false,
    },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const accountId = `acct-${unique()}`;
  provider.addAccount({
    id: accountId,
    claims: { email: user.email.toUpperCase(), email_verified: options.verified ?? true, name: 'Kari' },
  });
  return { admin, user, accountId, companyId: admin.companyId };
}

/** GET …/start: the provider's authorization URL and the pending-sign-in cookie. */
async function start(companyId: string) {
  const response = await t.app.inject({ method: 'GET', url: `/api/auth/sso/${companyId}/start` });
  expect(response.statusCode).toBe(303);
  const pending = response.cookies.find((cookie) => cookie.name === 'ks_oidc');
  return {
    location: new URL(response.headers.location as string, TEST_ORIGIN),
    pending: pending?.value,
    response,
  };
}

/** The provider's redirect back, delivered to our callback with the pending cookie. */
async function callback(back: URL, pending: string | undefined) {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/auth/sso/callback${back.search}`,
    headers: pending ? { cookie: `ks_oidc=${pending}` } : {},
  });
  expect(response.statusCode).toBe(303);
  const session = response.cookies.find((cookie) => cookie.name === 'ks_session' && cookie.value !== '');
  return { location: response.headers.location as string, session, response };
}

async function signInThroughProvider(companyId: string, accountId: string) {
  const begun = await start(companyId);
  const back = await provider.signInAs(begun.location, accountId);
  return { begun, back };
}

const refusedWith = (companyId: string, code: string) => `/sign-in/sso/${companyId}?sso_error=${code}`;

describe('staff SSO: sign-in against a real OpenID Provider', () => {
  it('discovers the provider, sends code + PKCE S256, and signs the user in (session works on /api/me)', async () => {
    const { user, accountId, companyId } = await ssoCompany();
    const begun = await start(companyId);
    expect(begun.location.origin + begun.location.pathname).toBe(`${provider.issuer}/auth`);
    const query = begun.location.searchParams;
    expect(query.get('response_type')).toBe('code');
    expect(query.get('client_id')).toBe(CLIENT.clientId);
    expect(query.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(query.get('state')).toBeTruthy();
    expect(query.get('nonce')).toBeTruthy();
    const cookie = begun.response.headers['set-cookie'] as string;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    // The provider accepted the PKCE request: it answers with a code for our callback.
    const back = await provider.signInAs(begun.location, accountId);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(back.searchParams.get('state')).toBe(query.get('state'));

    const done = await callback(back, begun.pending);
    expect(done.location).toBe('/');
    expect(done.session).toBeDefined();
    // The pending sign-in is used up: its cookie is cleared.
    expect(done.response.cookies.find((c) => c.name === 'ks_oidc')).toMatchObject({ value: '' });
    expect(done.session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: `ks_session=${done.session!.value}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(user.id);
    expect(me.json().level).toBe(1);
    // Same CSRF rule as a password session: a change without our Origin is refused.
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: `ks_session=${done.session!.value}`, origin: 'http://evil.test' },
    });
    expect(logout.statusCode).toBe(403);
  });

  it('refuses a callback whose state is not the one sent, and signs nothing in', async () => {
    const { accountId, companyId } = await ssoCompany();
    const { begun, back } = await signInThroughProvider(companyId, accountId);
    back.searchParams.set('state', 'forged-state');
    const done = await callback(back, begun.pending);
    expect(done.location).toBe(refusedWith(companyId, 'state_mismatch'));
    expect(done.session).toBeUndefined();
  });

  it('refuses a replayed code', async () => {
    const { accountId, companyId } = await ssoCompany();
    const { begun, back } = await signInThroughProvider(companyId, accountId);
    expect((await callback(back, begun.pending)).session).toBeDefined();
    const again = await callback(back, begun.pending);
    expect(again.location).toBe(refusedWith(companyId, 'rejected'));
    expect(again.session).toBeUndefined();
  });

  it('refuses an ID token whose nonce is not the one of this browser', async () => {
    const { accountId, companyId } = await ssoCompany();
    const { begun, back } = await signInThroughProvider(companyId, accountId);
    // The right state, a wrong nonce: a pending cookie crafted with the server's sealer.
    const sealer = createSealer(t.config.sessionSecret);
    const pending = openPendingSignIn(sealer, begun.pending, 'staff-sso');
    expect(pending).not.toBeNull();
    const crafted = sealPendingSignIn(sealer, { ...pending!, nonce: 'another-nonce' });
    const done = await callback(back, crafted);
    expect(done.location).toBe(refusedWith(companyId, 'invalid_token'));
    expect(done.session).toBeUndefined();
  });

  it('refuses an expired ID token and one issued for another audience', async () => {
    const { accountId, companyId } = await ssoCompany();
    const changes = [
      (claims: Record<string, unknown>) => ({ ...claims, iat: 1_700_000_000, exp: 1_700_000_600 }),
      (claims: Record<string, unknown>) => ({ ...claims, aud: 'another-client' }),
    ];
    try {
      for (const change of changes) {
        provider.setIdTokenTransform(change);
        const { begun, back } = await signInThroughProvider(companyId, accountId);
        const done = await callback(back, begun.pending);
        expect(done.location).toBe(refusedWith(companyId, 'invalid_token'));
        expect(done.session).toBeUndefined();
      }
    } finally {
      provider.setIdTokenTransform(null);
    }
  });

  it("never signs in another company's user, an inactive user or an unverified e-mail", async () => {
    const { companyId, accountId } = await ssoCompany();
    // Company A's provider asserts the address of a user of company B.
    const stranger = await makeUser(t.db, { level: 6 });
    const strangerAccount = `acct-${unique()}`;
    provider.addAccount({ id: strangerAccount, claims: { email: stranger.email, email_verified: true } });
    const cross = await signInThroughProvider(companyId, strangerAccount);
    const crossDone = await callback(cross.back, cross.begun.pending);
    expect(crossDone.location).toBe(refusedWith(companyId, 'unknown_user'));
    expect(crossDone.session).toBeUndefined();

    const unverified = await ssoCompany({ verified: false });
    const u = await signInThroughProvider(unverified.companyId, unverified.accountId);
    const uDone = await callback(u.back, u.begun.pending);
    expect(uDone.location).toBe(refusedWith(unverified.companyId, 'email_unverified'));
    expect(uDone.session).toBeUndefined();

    await t.db.updateTable('users').set({ active: 0 }).where('company_id', '=', companyId).execute();
    const inactive = await signInThroughProvider(companyId, accountId);
    const inactiveDone = await callback(inactive.back, inactive.begun.pending);
    expect(inactiveDone.location).toBe(refusedWith(companyId, 'unknown_user'));
    expect(inactiveDone.session).toBeUndefined();
  });

  it('refuses a callback without its pending cookie, and a company without SSO', async () => {
    const { accountId, companyId } = await ssoCompany();
    const { back } = await signInThroughProvider(companyId, accountId);
    const done = await callback(back, undefined);
    expect(done.location).toBe('/?sso_error=expired');
    expect(done.session).toBeUndefined();

    const plain = await makeUser(t.db, { level: 6 });
    const none = await start(plain.companyId);
    expect(none.location.pathname + none.location.search).toBe(
      refusedWith(plain.companyId, 'not_configured'),
    );
    expect(none.pending).toBeUndefined();
    const unknown = await start('no-such-company');
    expect(unknown.location.pathname + unknown.location.search).toBe(
      refusedWith('no-such-company', 'not_configured'),
    );
  });

  it('says the provider is unreachable, before the redirect and at the callback', async () => {
    const gone = await startTestProvider({
      clients: [{ ...CLIENT, redirectUris: [REDIRECT_URI] }],
      accounts: [],
    });
    const { companyId, accountId } = await ssoCompany({ issuer: gone.issuer });
    gone.addAccount({ id: accountId, claims: { email: 'x@example.test', email_verified: true } });
    const { begun, back } = await (async () => {
      const b = await start(companyId);
      return { begun: b, back: await gone.signInAs(b.location, accountId) };
    })();
    await gone.close();
    const done = await callback(back, begun.pending);
    expect(done.location).toBe(refusedWith(companyId, 'unreachable'));
    expect(done.session).toBeUndefined();

    const never = await ssoCompany({ issuer: gone.issuer.replace(/:\d+$/, ':9') });
    const refused = await start(never.companyId);
    expect(refused.location.pathname + refused.location.search).toBe(
      refusedWith(never.companyId, 'unreachable'),
    );
  });
});

describe('staff SSO: "SSO only"', () => {
  it('refuses a right password with sso_required, a wrong one as before; API keys still work', async () => {
    const sso = await ssoCompany({ ssoOnly: true });
    const { user, companyId } = sso;
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email: user.email, password: user.password },
    });
    expect(right.statusCode).toBe(403);
    expect(right.json().error.code).toBe('sso_required');
    expect(right.cookies).toEqual([]);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email: user.email, password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');

    const key = await makeApiKey(t.db, companyId);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(key.key) });
    expect(me.statusCode).toBe(200);

    // Switched off, SSO no longer holds passwords back (a broken provider cannot lock the company out).
    const { admin } = sso;
    const off = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/sso',
      headers: browserHeaders(admin.cookie),
      payload: { issuer: provider.issuer, clientId: CLIENT.clientId, enabled: false, ssoOnly: true },
    });
    expect(off.statusCode).toBe(200);
    const afterOff = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email: user.email, password: user.password },
    });
    expect(afterOff.statusCode).toBe(200);

    // Another company's users are not touched by this one's switch.
    const other = await makeUser(t.db);
    const otherLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email: other.email, password: other.password },
    });
    expect(otherLogin.statusCode).toBe(200);
  });
});

describe('staff SSO: the admin API', () => {
  it('answers 401 without a session and 403 below level 6', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/admin/sso' });
    expect(anonymous.statusCode).toBe(401);
    const five = await signedInUser(t.app, t.db, { level: 5 });
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const response = await t.app.inject({
        method,
        url: '/api/admin/sso',
        headers: browserHeaders(five.cookie),
        ...(method === 'PUT' && {
          payload: {
            issuer: provider.issuer,
            clientId: 'x',
            clientSecret: 'y',
            enabled: true,
            ssoOnly: false,
          },
        }),
      });
      expect(response.statusCode, method).toBe(403);
    }
    expect(
      await t.db.selectFrom('staff_sso').selectAll().where('company_id', '=', five.companyId).execute(),
    ).toEqual([]);
  });

  it('never returns the secret, stores it sealed, keeps it when left out, and needs it the first time', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const empty = await t.app.inject({
      method: 'GET',
      url: '/api/admin/sso',
      headers: browserHeaders(admin.cookie),
    });
    expect(empty.json()).toMatchObject({
      configured: false,
      hasClientSecret: false,
      redirectUri: REDIRECT_URI,
      signInUrl: `${TEST_ORIGIN}/sign-in/sso/${admin.companyId}`,
    });
    const base = { issuer: `${provider.issuer}/`, clientId: 'kundeside', enabled: true, ssoOnly: false };
    const noSecret = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/sso',
      headers: browserHeaders(admin.cookie),
      payload: base,
    });
    expect(noSecret.statusCode).toBe(400);
    expect(noSecret.json().error.fields).toEqual([expect.objectContaining({ path: 'clientSecret' })]);

    const secret = 'the-secret-nobody-may-read-back-1234';
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/sso',
      headers: browserHeaders(admin.cookie),
      payload: { ...base, clientSecret: secret },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain(secret);
    expect(saved.json()).toMatchObject({ configured: true, issuer: provider.issuer, hasClientSecret: true });
    const row = await t.db
      .selectFrom('staff_sso')
      .selectAll()
      .where('company_id', '=', admin.companyId)
      .executeTakeFirstOrThrow();
    expect(row.client_secret_sealed).not.toContain(secret);
    expect(createSealer(t.config.sessionSecret).unseal(row.client_secret_sealed)).toBe(secret);

    const kept = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/sso',
      headers: browserHeaders(admin.cookie),
      payload: { ...base, clientId: 'renamed', ssoOnly: true },
    });
    expect(kept.json()).toMatchObject({ clientId: 'renamed', ssoOnly: true, hasClientSecret: true });
    const after = await t.db
      .selectFrom('staff_sso')
      .selectAll()
      .where('company_id', '=', admin.companyId)
      .executeTakeFirstOrThrow();
    expect(createSealer(t.config.sessionSecret).unseal(after.client_secret_sealed)).toBe(secret);
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/admin/sso',
      headers: browserHeaders(admin.cookie),
    });
    expect(read.body).not.toContain(secret);
  });

  it("reaches only the admin's own company: another company's admin sees and removes nothing of it", async () => {
    const { companyId } = await ssoCompany();
    const other = await signedInUser(t.app, t.db, { level: 6 });
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/admin/sso',
      headers: browserHeaders(other.cookie),
    });
    expect(read.json()).toMatchObject({ configured: false, issuer: null });
    const remove = await t.app.inject({
      method: 'DELETE',
      url: '/api/admin/sso',
      headers: browserHeaders(other.cookie),
    });
    expect(remove.statusCode).toBe(404);
    expect(
      await t.db.selectFrom('staff_sso').select('company_id').where('company_id', '=', companyId).execute(),
    ).toHaveLength(1);
  });

  it('removes the configuration, after which the sign-in link says SSO is not configured', async () => {
    const { admin, companyId } = await ssoCompany();
    const remove = await t.app.inject({
      method: 'DELETE',
      url: '/api/admin/sso',
      headers: browserHeaders(admin.cookie),
    });
    expect(remove.statusCode).toBe(204);
    const begun = await start(companyId);
    expect(begun.location.pathname + begun.location.search).toBe(refusedWith(companyId, 'not_configured'));
  });

  it('requires an https issuer in production', async () => {
    const admin = await makeUser(t.db, { level: 6 });
    const actor = {
      kind: 'staff',
      userId: admin.id,
      companyId: admin.companyId,
      level: 6,
      sessionId: 'x',
    } as const;
    const input = {
      issuer: 'http://idp.example.test',
      clientId: 'c',
      clientSecret: 's',
      enabled: true,
      ssoOnly: false,
    };
    const log = t.app.log;
    await expect(
      saveSsoConfigAs(t.db, { ...t.config, nodeEnv: 'production' }, actor, input, log),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      saveSsoConfigAs(
        t.db,
        { ...t.config, nodeEnv: 'production' },
        actor,
        { ...input, issuer: 'https://idp.example.test' },
        log,
      ),
    ).resolves.toMatchObject({ configured: true });
  });
});
