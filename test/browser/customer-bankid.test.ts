import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCustomerPageSettings } from '../../src/server/customer-page-config/customer-page-config.ts';
import { loadCustomerPageSettings } from '../../src/server/customer-page-config/settings.ts';
import { saveBankIdBroker } from '../../src/server/customer-access/bankid-broker.ts';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_ORG_NUMBER } from '../../src/server/demo/seed-demo.ts';
import { createSealer } from '../../src/server/outbox/sealing.ts';
import type { Actor } from '../../src/server/security/actor.ts';
import type { AuthorizationLevel } from '../../src/common/rules/enums.ts';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';

// Issue 18 part 2 in Chromium at 375 px: the link → "Identify with BankID" → the broker's own login
// page (a real OpenID Provider) → back on the customer page with the case; and with the broker down,
// the page saying BankID is unavailable and offering the SMS code. axe on our pages.

const b = useBrowser();
const CLIENT = { clientId: 'kundeside-bankid', clientSecret: 'browser-broker-secret' };
let provider: TestProvider;
let downIssuer: string;
let admin: Actor;

beforeAll(async () => {
  const redirectUris = [`${b.baseUrl}/api/customer/bankid/callback`];
  provider = await startTestProvider({
    clients: [{ ...CLIENT, redirectUris }],
    accounts: [
      { id: 'kari', claims: { name: 'Kari Nordmann', birthdate: '1980-02-01', nin: '01028012345' } },
    ],
  });
  const down = await startTestProvider({ clients: [], accounts: [] });
  downIssuer = down.issuer;
  await down.close();
  const company = await b.db
    .selectFrom('companies')
    .select('id')
    .where('org_number', '=', DEMO_ORG_NUMBER)
    .executeTakeFirstOrThrow();
  admin = {
    kind: 'api_key',
    apiKeyId: 'bankid-browser-test',
    companyId: company.id,
    level: 6 as AuthorizationLevel,
  };
  const settings = await loadCustomerPageSettings(b.db, company.id);
  await saveCustomerPageSettings(b.db, admin, { ...settings, bankIdSignIn: true, smsSecurityCode: true });
});
afterAll(async () => {
  await provider?.close();
});

const useBroker = (issuer: string) =>
  saveBankIdBroker(
    {
      db: b.db,
      sealer: createSealer(b.app.config.sessionSecret),
      publicBaseUrl: b.baseUrl,
      production: false,
    },
    admin,
    { issuer, ...CLIENT },
  );

describe('identifying with BankID on the customer page in Chromium at 375 px', () => {
  it('goes from the link to the BankID page, through the broker, and back to the case', async () => {
    await useBroker(provider.issuer);
    const link = await demoCustomerLink(b.db, b.baseUrl);
    if (!link) throw new Error('no demo customer link');
    const page = await b.newPage(375);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Bekreft hvem du er med BankID', level: 1 }).waitFor();
    await expect(page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).count()).resolves.toBe(0);
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/customer-bankid-nb.png`, fullPage: true });

    await page.getByRole('link', { name: 'Logg inn med BankID' }).click();
    // The provider's own login page (oidc-provider's development interactions).
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name=login]').fill('kari');
    await page.locator('input[name=password]').fill('any-password');
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/k/');
    await page.waitForFunction(() => document.getElementById('root')?.dataset.ready === 'true');
    await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/customer-bankid-done-nb.png` });
    await page.close();
  });

  it('says BankID is unavailable when the broker is down and offers the SMS code (nb and en)', async () => {
    await useBroker(downIssuer);
    for (const language of ['nb', 'en'] as const) {
      const text =
        language === 'nb'
          ? {
              start: 'Logg inn med BankID',
              title: 'BankID er ikke tilgjengelig nå',
              code: 'Bruk kode på SMS',
            }
          : {
              start: 'Sign in with BankID',
              title: 'BankID is not available right now',
              code: 'Use a code by SMS',
            };
      const link = await demoCustomerLink(b.db, b.baseUrl);
      if (!link) throw new Error('no demo customer link');
      const page = await b.newPage(375);
      await page.goto(link);
      if (language === 'en') {
        await page.getByRole('button', { name: /english/i }).click();
      }
      await page.getByRole('link', { name: text.start }).click();
      await page.waitForURL((url) => url.pathname === '/k/');
      await page.waitForFunction(() => document.getElementById('root')?.dataset.ready === 'true');
      await page.getByRole('heading', { name: text.title, level: 1 }).waitFor();
      expect(await fitsViewport(page)).toBe(true);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SHOTS}/customer-bankid-unavailable-${language}.png`, fullPage: true });
      await page.getByRole('button', { name: text.code }).click();
      await page.locator('input[autocomplete=one-time-code]').waitFor();
      await expectNoAxeViolations(page);
      await page.close();
    }
  });
});

describe('BankID for staff in Chromium at 375 px', () => {
  it('sets up BankID on the configuration page and shows who opened the page and how', async () => {
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, DEMO_SIGN_INS[0]);
    await page.goto(`${b.baseUrl}/admin/customer-page`);
    await page.getByRole('heading', { name: 'Konfigurasjon av kundesida', level: 1 }).waitFor();
    await settled(page);
    const security = page.getByRole('group', { name: 'Sikkerhet ved innlogging' });
    await expect(security.getByRole('radio', { name: 'BankID' }).isChecked()).resolves.toBe(true);
    const fallback = security.getByRole('checkbox', {
      name: 'Tilby SMS-kode når BankID ikke er tilgjengelig',
    });
    await expect(fallback.isChecked()).resolves.toBe(true);
    await security.getByRole('radio', { name: 'SMS-kode' }).check();
    await expect(fallback.count()).resolves.toBe(0);
    await security.getByRole('radio', { name: 'BankID' }).check();

    const broker = page.getByRole('region', { name: 'BankID-tjeneste (OpenID Connect)' });
    await broker.getByText(`${b.baseUrl}/api/customer/bankid/callback`).waitFor();
    await broker.getByText('En hemmelighet er lagret. La feltet stå tomt for å beholde den.').waitFor();
    await broker.getByLabel('Utsteder (issuer)').fill(provider.issuer);
    await broker.getByRole('button', { name: 'Lagre BankID-tjenesten' }).click();
    await broker.getByText('BankID-tjenesten er lagret.').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await security.scrollIntoViewIfNeeded();
    await security.screenshot({ path: `${SHOTS}/config-bankid-security-nb.png` });
    await broker.scrollIntoViewIfNeeded();
    await broker.screenshot({ path: `${SHOTS}/config-bankid-broker-nb.png` });

    // The demo customer identified with BankID in the first test: the access dialog says so.
    const caseId = await page.evaluate(async (claim) => {
      const response = await fetch(`/api/cases?q=${encodeURIComponent(claim)}`);
      const list = (await response.json()) as { items: Array<{ id: string; claimNumber: string }> };
      return list.items.find((item) => item.claimNumber === claim)?.id;
    }, DEMO_CUSTOMER_CASE);
    await page.goto(`${b.baseUrl}/cases/${caseId}`);
    await page
      .getByRole('button', { name: /har tilgang til kundesiden$/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'Tilgang til kundesiden' });
    await dialog.getByText(/^Kari Nordmann \(BankID, født 01\.02\.1980\) \d\d\.\d\d\.\d{4}/).waitFor();
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/access-bankid-nb.png` });
    await page.close();
  });
});
