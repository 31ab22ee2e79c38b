import { describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  SHOTS,
  settled,
  signInStaff,
  useBrowser,
} from '../support/browser.ts';

// Issue 19 item 6: on the case page, level 6 exports one person's data (a zip) and erases it after a
// confirmation dialog; lower levels see neither. At 375 px, by keyboard, axe-clean.

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;

async function demoCase() {
  const kase = await b.db
    .selectFrom('cases')
    .select('id')
    .where('claim_number', '=', DEMO_CUSTOMER_CASE)
    .executeTakeFirstOrThrow();
  const customer = await b.db
    .selectFrom('case_contacts')
    .selectAll()
    .where('case_id', '=', kase.id)
    .where('role', '=', 'customer')
    .executeTakeFirstOrThrow();
  return { caseId: kase.id, customer };
}

describe('person data on the case page, in Chromium at 375 px', () => {
  it('hides the actions below level 6', async () => {
    const { caseId, customer } = await demoCase();
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, handler);
    await page.goto(`${b.baseUrl}/cases/${caseId}`);
    await page.getByText(customer.name).first().waitFor();
    await settled(page);
    await expect(page.getByRole('button', { name: /Slett personopplysningene/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: /Eksporter data/ }).count()).resolves.toBe(0);
    await page.close();
  });

  it('exports and erases the customer by keyboard, with a confirmation dialog (nb)', async () => {
    const { caseId, customer } = await demoCase();
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, admin);
    await page.goto(`${b.baseUrl}/cases/${caseId}`);
    const eraseButton = page.getByRole('button', { name: `Slett personopplysningene til ${customer.name}` });
    await eraseButton.waitFor();
    await settled(page);

    // The export is a download of a zip.
    const exportLink = page.getByRole('link', { name: `Eksporter data om ${customer.name}` });
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);

    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await eraseButton.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/person-data-actions-nb.png` });
    await page.screenshot({ path: '/tmp/h/shots/gdpr-b-actions-375.png' });

    // Keyboard: focus the button, Enter opens the dialog; Escape closes it and gives the focus back.
    await eraseButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Slette personens data?' });
    await dialog.getByText(`${customer.name}: navn, e-post`).waitFor();
    await dialog.waitFor();
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/person-data-dialog-nb.png` });
    await page.screenshot({ path: '/tmp/h/shots/gdpr-b-dialog-375.png' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(eraseButton.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(
      (
        await b.db
          .selectFrom('case_contacts')
          .select('name')
          .where('id', '=', customer.id)
          .executeTakeFirstOrThrow()
      ).name,
    ).toBe(customer.name);

    // Again, and this time confirm.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Slett for godt' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Personopplysningene er slettet.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Slettet', { exact: true }).first().waitFor();
    await expect(page.getByText(customer.name).count()).resolves.toBe(0);
    // After a reload the erased person has no actions left (the server marks them erased).
    await page.reload();
    await page.getByText('Slettet', { exact: true }).first().waitFor();
    await settled(page);
    await expect(page.getByRole('button', { name: /Slett personopplysningene til/ }).count()).resolves.toBe(
      1,
    );
    await expectNoAxeViolations(page);
    await page.screenshot({ path: '/tmp/h/shots/gdpr-b-erased-375.png', fullPage: true });
    const row = await b.db
      .selectFrom('case_contacts')
      .selectAll()
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Slettet', email: null, phone: null });
    await page.close();
  });
});
