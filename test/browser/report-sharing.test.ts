import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { reissueCustomerLinkToken } from '../../src/server/customer-access/reissue-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';

// Reports shared by a milestone rule (issue 16 item 1) in Chromium. The demo case's inspection report
// was shared automatically when it was uploaded after the main inspection's assignment: the staff
// library says so and why, the customer's phone shows it under "Rapporter". Staff withhold it with
// the keyboard alone; the open customer page loses it live (no reload) and its news says so. In
// English, staff on a phone share it again and the page gets it back live.

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;
const REPORT = 'Besiktigelsesrapport Markveien 40.pdf';

async function shot(page: Page, name: string) {
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

describe('reports shared by a milestone rule in Chromium', () => {
  it('staff withhold the auto-shared inspection report; the open customer page loses it live, and gets it back', async () => {
    const demo = await b.db
      .selectFrom('cases')
      .select(['id', 'company_id'])
      .where('claim_number', '=', DEMO_CUSTOMER_CASE)
      .executeTakeFirstOrThrow();

    // The customer opens the demo link on a phone: the report under "Rapporter", its news entry.
    const token = await reissueCustomerLinkToken(b.db, demo.company_id, demo.id);
    if (!token) throw new Error('the demo customer has no active grant');
    const customer = await b.newPage(375);
    await customer.goto(`${b.baseUrl}/k/${token}`);
    await customer.waitForURL(`${b.baseUrl}/k/`);
    await customer.getByText(`Dokument delt med deg: ${REPORT}`).waitFor();
    const menu = customer.getByRole('navigation', { name: 'Meny' });
    await menu.getByRole('button', { name: 'Dokumenter', exact: true }).click();
    await customer.getByRole('heading', { name: 'Rapporter', level: 3 }).waitFor();
    const reportLink = customer.getByRole('link', { name: REPORT });
    /** The customer's "Rapporter" row of one report (its label, then its link or "not ready"). */
    const reportRow = (label: string) =>
      customer.locator('li.cp-item').filter({ has: customer.getByText(label, { exact: true }) });
    await reportLink.waitFor();
    // From here on nothing may reload the customer's page: the change arrives live.
    await customer.evaluate(() => ((window as unknown as { stayed?: boolean }).stayed = true));

    // Staff (desktop, Norwegian): the library says the report was shared automatically, and when.
    const staff = await b.newPage(1280);
    await signInStaff(staff, b.baseUrl, admin);
    await staff.goto(`${b.baseUrl}/cases/${demo.id}?tab=documents`);
    const library = staff.getByRole('tabpanel');
    const item = library.locator('li.document-item', { hasText: REPORT });
    await item
      .getByText(/^Delt automatisk ved tildeling av hovedbesiktigelsen \(\d\d\.\d\d\.\d{4}\)$/)
      .waitFor();
    await expectNoAxeViolations(staff);
    await shot(staff, 'report-sharing-staff-auto-1280');

    // Withhold it with the keyboard alone: the gear menu, "Fjern deling med kunden", confirm.
    const gear = item.getByRole('button', { name: `Valg for ${REPORT}` });
    await gear.focus();
    await staff.keyboard.press('Enter');
    const unshare = item.getByRole('button', { name: `Fjern deling med kunden: ${REPORT}` });
    await unshare.waitFor();
    await staff.keyboard.press('Tab');
    expect(await unshare.evaluate((element) => element === document.activeElement)).toBe(true);
    await staff.keyboard.press('Enter');
    const dialog = staff.getByRole('dialog', { name: 'Fjern deling med kunden' });
    await dialog
      .getByText(`«${REPORT}» forsvinner fra kundesiden med en gang og deles ikke automatisk igjen.`, {
        exact: false,
      })
      .waitFor();
    await expectNoAxeViolations(staff);
    // The dialog is fixed in the viewport: a viewport shot shows it.
    await staff.screenshot({ path: `${SHOTS}/report-sharing-staff-confirm-1280.png` });
    await dialog.getByRole('button', { name: 'Fjern delingen' }).focus();
    await staff.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await item.getByText(/^Holdt tilbake fra kunden av Ada Admin \d\d\.\d\d\.\d{4}$/).waitFor();
    await library.getByText(`Delingen av «${REPORT}» er fjernet.`).waitFor();
    await expectNoAxeViolations(staff);
    await shot(staff, 'report-sharing-staff-withheld-1280');

    // The open customer page loses the report live, says "not ready", and its news tells why.
    await reportLink.waitFor({ state: 'detached' });
    await reportRow('Besiktigelsesrapport').getByText('Ikke klar ennå.').waitFor();
    expect(await customer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'report-sharing-customer-withheld-375');
    await menu.getByRole('button', { name: 'Oversikt', exact: true }).click();
    await customer.getByText(`Dokumentdeling opphevet: ${REPORT}`).waitFor();
    await shot(customer, 'report-sharing-customer-news-375');

    // The staff log names the withholding.
    await staff.getByRole('button', { name: 'Logg: dokumenter' }).click();
    const log = staff.getByRole('dialog', { name: 'Logg: dokumenter' });
    await log
      .getByText(`Delingen av «${REPORT}» med kunden ble fjernet, og dokumentet deles ikke automatisk igjen`)
      .waitFor();
    await log
      .getByText(`Dokumentet «${REPORT}» ble delt automatisk med kunden ved tildeling av hovedbesiktigelsen`)
      .waitFor();
    await expectNoAxeViolations(staff);
    await staff.keyboard.press('Escape');

    // In English: the customer switches language; staff on a phone share the report again.
    await customer.getByRole('button', { name: 'Switch to English' }).click();
    const englishMenu = customer.getByRole('navigation', { name: 'Menu' });
    await englishMenu.getByRole('button', { name: 'Documents', exact: true }).click();
    await reportRow('Inspection report').getByText('Not ready yet.').waitFor();
    const phone = await b.newPage(375);
    await signInStaff(phone, b.baseUrl, admin, 'en');
    await phone.goto(`${b.baseUrl}/cases/${demo.id}?tab=documents`);
    const phoneItem = phone.getByRole('tabpanel').locator('li.document-item', { hasText: REPORT });
    await phoneItem.getByText(/^Withheld from the customer by Ada Admin \d\d\.\d\d\.\d{4}$/).waitFor();
    expect(await fitsViewport(phone)).toBe(true);
    await expectNoAxeViolations(phone);
    await shot(phone, 'report-sharing-staff-withheld-en-375');
    await phoneItem.getByRole('button', { name: `Options for ${REPORT}` }).click();
    await phoneItem.getByRole('button', { name: `Share with the customer again: ${REPORT}` }).click();
    const share = phone.getByRole('dialog', { name: 'Share with the customer' });
    await share.getByRole('button', { name: 'Share with the customer' }).click();
    await share.waitFor({ state: 'detached' });
    await phoneItem.getByText(/^Shared by Ada Admin \d\d\.\d\d\.\d{4}$/).waitFor();
    expect(await fitsViewport(phone)).toBe(true);
    await expectNoAxeViolations(phone);
    await shot(phone, 'report-sharing-staff-shared-again-en-375');

    await customer.getByRole('link', { name: REPORT }).waitFor();
    expect(await customer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'report-sharing-customer-back-en-375');
  });
});
