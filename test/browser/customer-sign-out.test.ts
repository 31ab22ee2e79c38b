import { describe, expect, it } from 'vitest';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, SHOTS, useBrowser } from '../support/browser.ts';

// Issue 16 item 11: the customer page has "Sign out" (a shared or borrowed phone). The session ends
// on the server: the page says how to come back, and a reload no longer shows the case.

const b = useBrowser();

describe('signing out of the customer page in Chromium at 375 px', () => {
  for (const language of ['nb', 'en'] as const) {
    const text =
      language === 'nb'
        ? { signOut: 'Logg ut', title: 'Du er logget ut', claim: 'Skadenummer' }
        : { signOut: 'Sign out', title: 'You are signed out', claim: 'Claim number' };
    it(`ends the session by keyboard (${language}): the signed-out page, axe-clean; a reload shows no case`, async () => {
      const link = await demoCustomerLink(b.db, b.baseUrl);
      if (!link) throw new Error('no demo customer link');
      const page = await b.newPage(375);
      await page.goto(link);
      await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();
      if (language === 'en') {
        await page.getByRole('button', { name: /english/i }).click();
        await page.getByText(`Claim number: ${DEMO_CUSTOMER_CASE}`).waitFor();
      }
      expect(await fitsViewport(page)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/customer-sign-out-header-${language}.png` });

      // By keyboard: Tab from the top of the page reaches the header's buttons first.
      const signOut = page.getByRole('button', { name: text.signOut });
      for (let presses = 0; presses < 4; presses += 1) {
        if (await signOut.evaluate((element) => element === document.activeElement)) break;
        await page.keyboard.press('Tab');
      }
      await expect(signOut.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: text.title, level: 1 }).waitFor();
      await expect(page.content()).resolves.not.toContain(`${text.claim}: ${DEMO_CUSTOMER_CASE}`);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SHOTS}/customer-sign-out-done-${language}.png` });

      // The session is gone on the server: the session answer and a reload show no case.
      const session = await page.evaluate(async () => (await fetch('/api/customer/session')).json());
      expect(session).toMatchObject({ state: 'unavailable', claimNumber: null });
      await page.reload();
      await expect(page.getByText(`${text.claim}: ${DEMO_CUSTOMER_CASE}`).count()).resolves.toBe(0);
      await page.close();
    });
  }
});
