import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, settled, signInStaff, useBrowser } from '../support/browser.ts';

// Quiet hours on the customer-page configuration (issue 19, item 5): two selects, set with the
// keyboard alone on a 375 px phone, saved, read back; axe in nb and en.

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;
const SHOTS = '/tmp/h/shots';

async function openConfiguration(page: Page, language: 'nb' | 'en') {
  await signInStaff(page, b.baseUrl, admin, language);
  await page.goto(`${b.baseUrl}/admin/customer-page`);
  await page.getByRole('group', { name: language === 'nb' ? 'Stille timer' : 'Quiet hours' }).waitFor();
  await settled(page);
}

async function shotOf(page: Page, name: string) {
  const group = page.getByRole('group', { name: /Stille timer|Quiet hours/ });
  await group.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/qh-${name}.png` });
}

describe('quiet hours in the configuration', () => {
  it('is set with the keyboard alone at 375 px, saved and read back (nb)', async () => {
    const page = await b.newPage(375);
    await openConfiguration(page, 'nb');
    const group = page.getByRole('group', { name: 'Stille timer' });
    const from = group.getByRole('combobox', { name: 'Fra' });
    // The demo company has none: "Ingen stille timer", and no end to choose.
    await expect(from.inputValue()).resolves.toBe('off');
    await expect(group.getByRole('combobox', { name: 'Til' }).count()).resolves.toBe(0);
    await shotOf(page, 'off-375');

    await from.focus();
    await page.keyboard.press('End'); // 23:00
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp'); // 21:00
    await expect(from.inputValue()).resolves.toBe('21');
    const to = group.getByRole('combobox', { name: 'Til' });
    await expect(to.inputValue()).resolves.toBe('8');
    await page.keyboard.press('Tab');
    await expect(to.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('ArrowDown'); // 09:00
    await expect(to.inputValue()).resolves.toBe('9');
    await shotOf(page, 'set-375');
    await expect(fitsViewport(page)).resolves.toBe(true);
    await expectNoAxeViolations(page);

    const save = page.getByRole('button', { name: 'Lagre innstillingene' });
    await save.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' }).waitFor();
    const saved = await page.evaluate(async () => (await fetch('/api/admin/customer-page')).json());
    expect(saved).toMatchObject({ quietHoursFrom: 21, quietHoursTo: 9 });

    await page.reload();
    await page.getByRole('group', { name: 'Stille timer' }).waitFor();
    await settled(page);
    await expect(page.getByRole('combobox', { name: 'Fra' }).inputValue()).resolves.toBe('21');
    await expect(page.getByRole('combobox', { name: 'Til' }).inputValue()).resolves.toBe('9');
  });

  it('reads in English with no axe violations at 375 px', async () => {
    const page = await b.newPage(375);
    await openConfiguration(page, 'en');
    const group = page.getByRole('group', { name: 'Quiet hours' });
    await group.getByRole('combobox', { name: 'From' }).waitFor();
    await group.getByText(/SMS codes and notices to your staff always go out at once\./).waitFor();
    await shotOf(page, 'en-375');
    await expectNoAxeViolations(page);
  });
});
