import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  SHOTS,
  signInStaff,
  useBrowser,
} from '../support/browser.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';

// Staff single sign-on at 375 px against a real OpenID Provider (oidc-provider, started here): the
// admin configures it on the company page, a colleague opens the company's sign-in link, goes
// through the provider's own login page and lands in the app signed in; a refused sign-in comes
// back to the sign-in page with a clear message. axe finds nothing on our pages.

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;
const CLIENT = { clientId: 'kundeside-browser', clientSecret: 'browser-test-client-secret-0000' };
let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider({
    clients: [{ ...CLIENT, redirectUris: [`${b.baseUrl}/api/auth/sso/callback`] }],
    accounts: [
      { id: 'jorn', claims: { email: handler.email, email_verified: true, name: 'Jørn' } },
      { id: 'stranger', claims: { email: 'nobody@elsewhere.test', email_verified: true } },
    ],
  });
});
afterAll(() => provider?.close());

let signInUrl = '';

describe('staff single sign-on in Chromium', () => {
  it('is configured by level 6 on the company page (redirect URI and sign-in link shown)', async () => {
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, admin);
    await page.goto(`${b.baseUrl}/company`);
    const section = page.getByRole('region', { name: 'Innlogging med bedriftskonto (SSO)' });
    await section.waitFor();
    await settled(page);
    await expect
      .poll(() =>
        section.getByLabel('Videresendings-URI (registreres hos identitetsleverandøren)').inputValue(),
      )
      .toBe(`${b.baseUrl}/api/auth/sso/callback`);
    await section.getByLabel('Utsteder (issuer-URL)').fill(provider.issuer);
    await section.getByLabel('Klient-ID').fill(CLIENT.clientId);
    await section.getByLabel('Klienthemmelighet').fill(CLIENT.clientSecret);
    await section.getByRole('button', { name: 'Lagre' }).click();
    await section.getByText('Innloggingen er lagret.').waitFor();
    await section.getByText('En hemmelighet er lagret. La feltet stå tomt for å beholde den.').waitFor();
    expect(await section.getByLabel('Klienthemmelighet').inputValue()).toBe('');
    signInUrl = await section.getByLabel('Innloggingslenke til de ansatte').inputValue();
    expect(signInUrl).toMatch(new RegExp(`^${b.baseUrl}/sign-in/sso/`));
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await section.screenshot({ path: `${SHOTS}/staff-sso-admin-375.png` });
  });

  it("signs a colleague in through the company's provider and back into the app", async () => {
    const page = await b.newPage(375);
    await page.goto(signInUrl);
    const button = page.getByRole('link', { name: 'Logg inn med bedriftskontoen' });
    await button.waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/staff-sso-sign-in-375.png`, fullPage: true });

    await button.click();
    // The provider's own login page (oidc-provider's development interactions).
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name=login]').fill('jorn');
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();

    await page.waitForURL((url) => url.origin === b.baseUrl);
    await page.locator('.dashboard-table').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me.user.email).toBe(handler.email);
  });

  it('comes back to the sign-in page with a clear message when the user is not known', async () => {
    const page = await b.newPage(375);
    await page.goto(signInUrl);
    await page.getByRole('link', { name: 'Logg inn med bedriftskontoen' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name=login]').fill('stranger');
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();

    await page.waitForURL((url) => url.origin === b.baseUrl && url.search.includes('sso_error=unknown_user'));
    await page
      .getByRole('alert')
      .filter({ hasText: 'Det finnes ingen aktiv bruker med e-postadressen din i denne bedriften.' })
      .waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/staff-sso-refused-375.png`, fullPage: true });
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    // The plain sign-in page names no company and asks for no e-mail to find one.
    await page.goto(`${b.baseUrl}/`);
    await page
      .getByText('Bruk innloggingslenken du har fått fra administratoren.', { exact: false })
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/staff-sign-in-plain-375.png`, fullPage: true });
    expect(me).toBe(401);
  });
});
