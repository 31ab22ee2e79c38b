import { describe, expect, it } from 'vitest';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import { saveSettings, uniqueSuffix } from '../../../test/support/customer.ts';
import { makeCase, makeUser, staffActor } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';

// Over HTTPS every cookie is `__Host-` prefixed, and a browser replaces such a cookie only with a
// Set-Cookie that is Secure with Path=/. Signing out must clear the cookie with those attributes, or
// the browser keeps sending the old (dead) value.

const ORIGIN = 'https://kundeside.test';
const t = useTestApp({ PUBLIC_BASE_URL: ORIGIN });

describe('cookies cleared over HTTPS', () => {
  it('clears the staff session cookie on sign-out as Secure, Path=/ (a __Host- cookie)', async () => {
    const user = await makeUser(t.db, { level: 1 });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: ORIGIN },
      payload: { email: user.email, password: user.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const session = login.cookies.find((c) => c.name === '__Host-ks_session');
    expect(session).toMatchObject({ secure: true, path: '/' });

    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { origin: ORIGIN, cookie: `${session!.name}=${session!.value}` },
      payload: {},
    });
    expect(logout.statusCode).toBe(204);
    const cleared = logout.cookies.find((c) => c.name === '__Host-ks_session');
    expect(cleared).toMatchObject({ value: '', secure: true, path: '/' });
    expect(cleared!.expires!.getTime()).toBeLessThan(Date.now());
  });

  it('clears the customer session cookie on sign-out as Secure, Path=/', async () => {
    const admin = await makeUser(t.db, { level: 6 });
    await saveSettings(t.db, admin.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const s = uniqueSuffix();
    const { id: caseId } = await makeCase(t.db, staffActor(admin, 6), {
      customer: { name: `Kari ${s}`, email: `kari-${s}@example.test` },
    });
    const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
    const opened = await t.app.inject({
      method: 'GET',
      url: `/k/${token}`,
      headers: { accept: 'text/html' },
    });
    const customer = opened.cookies.find((c) => c.name === '__Host-ks_customer' && c.value !== '');
    expect(customer).toMatchObject({ secure: true, path: '/' });

    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/customer/logout',
      headers: { origin: ORIGIN, cookie: `${customer!.name}=${customer!.value}` },
      payload: {},
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === '__Host-ks_customer')).toMatchObject({
      value: '',
      secure: true,
      path: '/',
    });
  });
});
