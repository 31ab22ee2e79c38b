import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';

// Issue 16 item 8: leaving a form with unsaved changes asks first. Inside the app (menu link, Back)
// our dialog: "Bli her" keeps the edit, "Forlat siden" leaves; reload and close: the browser's own
// beforeunload question. Keyboard alone, nb and en, 1280 and 375 px, axe on the open dialog.

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;

type Language = 'nb' | 'en';

const texts = {
  nb: {
    configTitle: 'Konfigurasjon av kundesida',
    field: 'Kontakt for mer informasjon',
    cases: 'Saker',
    menuConfig: 'Kundeside',
    casesTitle: 'Saker',
    dialog: 'Forlate siden?',
    message: 'Du har endringer som ikke er lagret. Vil du forlate siden?',
    stay: 'Bli her',
    leave: 'Forlat siden',
  },
  en: {
    configTitle: 'Customer page configuration',
    field: 'Contact for more information',
    cases: 'Cases',
    menuConfig: 'Customer page',
    casesTitle: 'Cases',
    dialog: 'Leave the page?',
    message: 'You have changes that are not saved. Do you want to leave the page?',
    stay: 'Stay here',
    leave: 'Leave the page',
  },
};

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

/** Tabs forward until the focused element's text is `text` (keyboard alone), at most 10 times. */
async function tabTo(page: Page, text: string) {
  for (let i = 0; i < 10 && (await focusedText(page)) !== text; i++) await page.keyboard.press('Tab');
  expect(await focusedText(page)).toBe(text);
}

const path = (page: Page) => new URL(page.url()).pathname;

describe('leaving a form with unsaved changes', () => {
  for (const [language, width] of [
    ['nb', 1280],
    ['en', 375],
  ] as Array<[Language, number]>) {
    it(`the configuration page asks before leaving, in the app and on reload (${language}, ${width} px)`, async () => {
      const text = texts[language];
      const page = await b.newPage(width);
      await signInStaff(page, b.baseUrl, admin, language);
      await page.goto(`${b.baseUrl}/admin/customer-page`);
      await page.getByRole('heading', { name: text.configTitle, level: 1 }).waitFor();
      await settled(page);
      const field = page.getByLabel(text.field, { exact: true });
      const saved = await field.inputValue();
      const edited = `${saved} Ring oss.`.trim();

      // Untouched, the page is left without a question.
      const casesLink = page.getByRole('navigation').getByRole('link', { name: text.cases, exact: true });
      await casesLink.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: text.casesTitle, level: 1 }).waitFor();
      // Back to the configuration through the menu: an entry of the app's own history.
      await page.getByRole('navigation').getByRole('link', { name: text.menuConfig, exact: true }).click();
      await field.waitFor();
      await settled(page);

      // An edit typed with the keyboard, then the menu's link: held, our dialog asks.
      await field.focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Ring oss.');
      expect(await field.inputValue()).toBe(edited);
      await casesLink.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: text.dialog });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain(text.message);
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      await expectNoAxeViolations(page);
      expect(await fitsViewport(page)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/unsaved-changes-${language}-${width}.png` });

      // "Stay here": the page and the edit stay.
      await tabTo(page, text.stay);
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      expect(path(page)).toBe('/admin/customer-page');
      expect(await field.inputValue()).toBe(edited);

      // Back (to the case list, within the app) is held too; Escape stays.
      await page.evaluate(() => history.back());
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(path(page)).toBe('/admin/customer-page');
      expect(await field.inputValue()).toBe(edited);

      // Reload: the browser's own question (beforeunload). Dismissed, the edit stays.
      const asked: string[] = [];
      page.on('dialog', (question) => {
        asked.push(question.type());
        void question.dismiss();
      });
      await page.evaluate(() => setTimeout(() => location.reload(), 0));
      await expect.poll(() => asked, { timeout: 10_000 }).toEqual(['beforeunload']);
      expect(await field.inputValue()).toBe(edited);
      page.removeAllListeners('dialog');

      // "Leave the page": the menu's link goes on, the edit is gone (never saved).
      await casesLink.focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await tabTo(page, text.leave);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: text.casesTitle, level: 1 }).waitFor();
      expect(path(page)).toBe('/cases');
      await page.goBack();
      await field.waitFor();
      await settled(page);
      expect(await field.inputValue()).toBe(saved);
      await page.context().close();
    });
  }

  it('the new case page asks before leaving, and not after the case is created', async () => {
    const page = await b.newPage(1280);
    await signInStaff(page, b.baseUrl, admin, 'nb');
    await page.goto(`${b.baseUrl}/cases/new`);
    await page.getByLabel('Skadenummer').fill('SK-UNSAVED-1');
    await page.getByRole('navigation').getByRole('link', { name: 'Oversikt', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Forlate siden?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Bli her' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Skadenummer').inputValue()).toBe('SK-UNSAVED-1');

    // Saved: the page goes on to the new case without asking.
    await page.getByLabel('Gateadresse').fill('Storgata 1');
    await page.getByLabel('Postnummer').fill('0155');
    await page.getByLabel('Poststed').fill('Oslo');
    await page
      .getByRole('group', { name: 'Kunde (forsikringstaker)' })
      .getByLabel('Navn')
      .fill('Kari Nordmann');
    await page.getByRole('button', { name: 'Opprett sak' }).click();
    await page.getByRole('heading', { name: 'Storgata 1, 0155 Oslo', level: 1 }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.context().close();
  });
});
