import { describe, expect, it } from 'vitest';
import { browserHeaders, makeUser, signIn, signedInUser } from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();

describe('staff sign-in', () => {
  it('answers 401 on /api/me without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('rejects a login body with unknown fields with 400 naming the problem', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email: 'a@b.no', password: 'x', admin: true },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('sets a browser-session cookie unless the person asks to stay signed in', async () => {
    const user = await makeUser(t.db);
    const login = (extra: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: TEST_ORIGIN },
        payload: { email: user.email, password: user.password, ...extra },
      });
    for (const extra of [{}, { remember: false }]) {
      const response = await login(extra);
      expect(response.statusCode, response.body).toBe(200);
      const setCookie = String(response.headers['set-cookie']);
      expect(setCookie).toMatch(/^ks_session=/);
      expect(setCookie).not.toMatch(/expires=|max-age=/i);
    }
    const remembered = await login({ remember: true });
    expect(remembered.statusCode, remembered.body).toBe(200);
    const expires = remembered.cookies.find((c) => c.name === 'ks_session')?.expires;
    // The absolute lifetime of a staff session (12 h by default).
    expect(expires && expires.getTime() - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect((await login({ remember: 'yes' })).statusCode).toBe(400);
  });

  it('signs in, shows the level on /api/me, and signs out server-side', async () => {
    const user = await makeUser(t.db, { level: 4 });
    const cookie = await signIn(t.app, user);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: user.id, email: user.email },
      level: 4,
      abilities: { manageUsers: false },
    });

    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: browserHeaders(cookie),
    });
    expect(logout.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('gives the same 401 for a wrong password and an unknown e-mail', async () => {
    const user = await makeUser(t.db);
    const attempt = (email: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: TEST_ORIGIN },
        payload: { email, password: 'wrong-password' },
      });
    const wrong = await attempt(user.email);
    const unknown = await attempt('nobody@example.test');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('refuses further attempts from an address with 429 after repeated wrong passwords, even with the right one', async () => {
    const user = await makeUser(t.db);
    const login = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: TEST_ORIGIN },
        payload: { email: user.email, password },
      });
    // Five failures are free; then the address waits before its next try (sign-in-limits.http.test.ts).
    for (let i = 0; i < 5; i++) expect((await login('wrong-password')).statusCode).toBe(401);
    const blocked = await login(user.password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_requests');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const user = await makeUser(t.db);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email: user.email, password: user.password },
    });
    const cookie = response.cookies[0];
    expect(cookie).toMatchObject({ name: 'ks_session', httpOnly: true, sameSite: 'Lax', path: '/' });
  });

  it('refuses a cookie-authenticated change from a foreign origin or with a form body', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const foreign = await t.app.inject({
      method: 'PATCH',
      url: '/api/company',
      headers: { cookie: admin.cookie, origin: 'https://evil.example' },
      payload: { name: 'Hacked' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('csrf_rejected');
    const form = await t.app.inject({
      method: 'PATCH',
      url: '/api/company',
      headers: { ...browserHeaders(admin.cookie), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Hacked',
    });
    expect(form.statusCode).toBe(403);
    const company = await t.app.inject({
      method: 'GET',
      url: '/api/company',
      headers: { cookie: admin.cookie },
    });
    expect(company.json().name).not.toBe('Hacked');
  });
});
