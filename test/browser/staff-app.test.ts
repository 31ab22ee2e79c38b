import { describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, useBrowser } from '../support/browser.ts';

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;

describe('staff app in Chromium', () => {
  it('signs the demo admin in with the keyboard alone on a 375 px phone, and out again', async () => {
    const page = await b.newPage(375);
    await page.goto(`${b.baseUrl}/`);
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    expect(await fitsViewport(page)).toBe(true);

    // Tab order: skip nothing — language switch, e-mail, password, submit.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Velkommen, Ada Admin' }).waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expect(
      page.getByRole('navigation').getByRole('link', { name: 'API-nøkler' }).isVisible(),
    ).resolves.toBe(true);

    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
  });

  it('shows a wrong password as one clear message', async () => {
    const page = await b.newPage();
    await page.goto(`${b.baseUrl}/`);
    await page.getByLabel('E-postadresse').fill(handler.email);
    await page.getByLabel('Passord').fill('not-the-password');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'E-postadressen eller passordet er feil.',
    );
  });

  it('hides admin-only pages from a level-1 case handler', async () => {
    const page = await b.newPage();
    await page.goto(`${b.baseUrl}/`);
    await page.getByLabel('E-postadresse').fill(handler.email);
    await page.getByLabel('Passord').fill(handler.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('heading', { name: /Velkommen/ }).waitFor();
    const nav = page.getByRole('navigation');
    await expect(nav.getByRole('link', { name: 'Brukere' }).isVisible()).resolves.toBe(true);
    await expect(nav.getByRole('link', { name: 'API-nøkler' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Brukere' }).click();
    await page.getByRole('heading', { name: 'Brukere' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Ny bruker' }).count()).resolves.toBe(0);
  });

  it('switches to English and remembers the choice after a reload', async () => {
    const page = await b.newPage();
    await page.goto(`${b.baseUrl}/`);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  for (const language of ['nb', 'en'] as const) {
    it(`has no axe violations on the sign-in page and every page of the shell (${language})`, async () => {
      const page = await b.newPage(375);
      await page.goto(`${b.baseUrl}/`);
      await page.evaluate((lang) => localStorage.setItem('kundeside.language', lang), language);
      await page.reload();
      await page.locator('form').waitFor();
      await expectNoAxeViolations(page);

      await page.locator('input[type=email]').fill(admin.email);
      await page.locator('input[type=password]').fill(admin.password);
      await page.locator('button[type=submit]').click();
      await page.locator('main h1').waitFor();
      for (const path of ['/', '/company', '/users', '/partners', '/api-keys']) {
        await page.goto(`${b.baseUrl}${path}`);
        await page.locator('main h1').waitFor();
        await page
          .locator('[role=status]')
          .waitFor({ state: 'detached' })
          .catch(() => undefined);
        await expectNoAxeViolations(page);
        expect(await fitsViewport(page)).toBe(true);
      }
    });
  }

  it('creates an API key from the admin page and shows it once', async () => {
    const page = await b.newPage();
    await page.goto(`${b.baseUrl}/`);
    await page.getByLabel('E-postadresse').fill(admin.email);
    await page.getByLabel('Passord').fill(admin.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('link', { name: 'API-nøkler' }).click();
    await page.getByLabel('Navn').fill('Kjernesystem');
    await page.getByRole('button', { name: 'Opprett' }).click();
    const key = await page.locator('code.secret').textContent();
    expect(key).toMatch(/^ks_[\w-]{40,}$/);
    await page.getByRole('cell', { name: 'Kjernesystem', exact: true }).waitFor();
    const status = await page.evaluate(
      async (secret) =>
        (await fetch('/api/me', { credentials: 'omit', headers: { authorization: `Bearer ${secret}` } }))
          .status,
      key,
    );
    expect(status).toBe(200);
  });
});

describe('customer page entry', () => {
  for (const language of ['nb', 'en'] as const) {
    it(`answers an unknown link with a friendly page without axe violations (${language})`, async () => {
      const page = await b.newPage(375);
      await page.goto(`${b.baseUrl}/k/not-a-real-token`);
      await page.evaluate((lang) => localStorage.setItem('kundeside.language', lang), language);
      await page.reload();
      const title = language === 'nb' ? 'Lenken er ikke gyldig' : 'This link is not valid';
      await page.getByRole('heading', { name: title }).waitFor();
      await expectNoAxeViolations(page);
      expect(await fitsViewport(page)).toBe(true);
    });
  }

  it('loads no staff-app code', async () => {
    const page = await b.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto(`${b.baseUrl}/k/x`);
    await page.getByRole('heading').waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((url) => url.includes('staff'))).toEqual([]);
  });
});
