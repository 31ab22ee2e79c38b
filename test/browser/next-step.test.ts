import { describe, expect, it } from 'vitest';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, signInStaff, useBrowser } from '../support/browser.ts';

// Issue 19 items 1 and 2: "Hva skjer nå?" at the top of the customer dashboard (the accepted demo
// case: what the repair waits on), the same line on the staff case page, and — once the company
// chooses to show outcomes — a rejection's date and the company's text on a new assessment, with its
// wording edited on the admin page and seen in the preview. 375 px, nb and en, axe-clean, keyboard.

const b = useBrowser();
const admin = DEMO_SIGN_INS[0];
const SHOTS = '/tmp/h/shots';
const OWN_TEXT = 'Les brevet vi sendte deg, og svar oss under Kommunikasjon.';

async function staffCookie(): Promise<string> {
  const login = await b.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: b.baseUrl },
    payload: { email: admin.email, password: admin.password },
  });
  expect(login.statusCode, login.body).toBe(200);
  return login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('"Hva skjer nå?" in Chromium at 375 px', () => {
  it('shows the next step to the customer and staff, and a rejection the company chose to show', async () => {
    const link = await demoCustomerLink(b.db, b.baseUrl);
    if (!link) throw new Error('no demo customer link');
    const page = await b.newPage(375);
    await page.goto(link);
    await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();
    const card = page.getByRole('region', { name: 'Hva skjer nå?' });
    await card.waitFor();
    await expect(card.innerText()).resolves.toMatch(/Venter på (oss|håndverkeren)/);
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/next-step-customer-nb.png` });

    // The claim is rejected; the company keeps outcomes internal: only "a decision was made".
    const cookie = await staffCookie();
    const kase = await b.db
      .selectFrom('cases')
      .select('id')
      .where('claim_number', '=', DEMO_CUSTOMER_CASE)
      .executeTakeFirstOrThrow();
    const decided = await b.app.inject({
      method: 'POST',
      url: `/api/cases/${kase.id}/claim-decision`,
      headers: { cookie, origin: b.baseUrl },
      payload: { decision: 'rejected' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    await page.reload();
    await card.getByText('Det er tatt en beslutning i saken. Saksbehandleren tar kontakt med deg.').waitFor();
    await expect(page.getByRole('region', { name: 'Avgjørelse i saken' }).count()).resolves.toBe(0);

    // The admin shows outcomes and writes the company's own text, by keyboard, seeing it in the preview.
    const staff = await b.newPage(375);
    await signInStaff(staff, b.baseUrl, admin);
    await staff.goto(`${b.baseUrl}/admin/customer-page`);
    const outcome = staff.getByRole('checkbox', { name: /Vis avslag og behov for tilleggsopplysninger/ });
    await outcome.focus();
    await staff.keyboard.press('Space');
    await expect(outcome.isChecked()).resolves.toBe(true);
    await staff.getByRole('textbox', { name: /ny vurdering eller klager \(Norsk\)/ }).focus();
    await staff.keyboard.type(OWN_TEXT);
    const summary = staff.getByText('Egen ordlyd for «Hva skjer nå?»');
    await summary.focus();
    await staff.keyboard.press('Enter');
    const rejectedNb = staff
      .getByRole('group', { name: 'Avvist (når utfallet vises)' })
      .getByRole('textbox', {
        name: 'Norsk',
      });
    await rejectedNb.focus();
    await staff.keyboard.type('Vi har sagt nei til kravet ditt.');
    await staff.getByRole('button', { name: 'Forhåndsvis sida' }).click();
    await staff
      .getByRole('combobox', { name: '«Hva skjer nå?» i forhåndsvisningen' })
      .selectOption('rejected');
    const preview = staff.getByTestId('customer-page-preview');
    await preview.getByText('Vi har sagt nei til kravet ditt.').waitFor();
    await preview.getByText(OWN_TEXT).waitFor();
    expect(await fitsViewport(staff)).toBe(true);
    await expectNoAxeViolations(staff);
    await staff
      .getByRole('region', { name: '«Hva skjer nå?» og erstatningsbeslutning' })
      .screenshot({ path: `${SHOTS}/next-step-admin-nb.png` });
    await preview.scrollIntoViewIfNeeded();
    await staff.screenshot({ path: `${SHOTS}/next-step-preview-nb.png` });
    await staff.getByRole('button', { name: 'Lagre innstillingene' }).click();
    await staff.getByText('Innstillingene er lagret.').waitFor();

    // The customer sees the decision's date and the company's text (nb), the default in English.
    await page.reload();
    const notice = page.getByRole('region', { name: 'Avgjørelse i saken' });
    await notice.getByText(OWN_TEXT).waitFor();
    await expect(notice.innerText()).resolves.toMatch(/Kravet ble avslått \d{2}\.\d{2}\.\d{4}/);
    await card.getByText('Vi har sagt nei til kravet ditt.').waitFor();
    await expect(card.innerText()).resolves.toContain('Venter på deg');
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/next-step-rejected-nb.png`, fullPage: true });
    await page.getByRole('button', { name: /english/i }).click();
    const noticeEn = page.getByRole('region', { name: 'Decision on the claim' });
    await noticeEn.getByText(/^If you disagree with the decision/).waitFor();
    await page.getByRole('region', { name: 'What happens next?' }).getByText('Waiting for you').waitFor();
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/next-step-rejected-en.png`, fullPage: true });
    await page.close();

    // Staff see the same rule's line on the case page.
    await staff.goto(`${b.baseUrl}/cases/${kase.id}`);
    const line = staff.getByTestId('staff-next-step');
    await line.waitFor();
    await expect(line.innerText()).resolves.toMatch(
      /Hva skjer nå\?\s*Saken er avslått.*\(Venter på kunden\)/s,
    );
    expect(await fitsViewport(staff)).toBe(true);
    await expectNoAxeViolations(staff);
    await line.scrollIntoViewIfNeeded();
    await staff.screenshot({ path: `${SHOTS}/next-step-staff-nb.png` });
    await staff.close();
  });
});
