import { describe, expect, it } from 'vitest';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, SHOTS, signInStaff, useBrowser } from '../support/browser.ts';

// Issue 19 item 4: once the case is closed, its customer page asks how satisfied the customer is
// (1–5, an optional comment), once; the handler reads the answer on the case, and level 4+ sees the
// company's results per handler. All at 375 px, by keyboard, axe-clean.

const b = useBrowser();
const admin = DEMO_SIGN_INS[0];
const COMMENT = 'Rask hjelp – men det tok tid før snekkeren kom.';

async function closeDemoCase(): Promise<string> {
  const kase = await b.db
    .selectFrom('cases')
    .select('id')
    .where('claim_number', '=', DEMO_CUSTOMER_CASE)
    .executeTakeFirstOrThrow();
  const login = await b.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: b.baseUrl },
    payload: { email: admin.email, password: admin.password },
  });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const closed = await b.app.inject({
    method: 'POST',
    url: `/api/cases/${kase.id}/close`,
    headers: { cookie, origin: b.baseUrl },
    payload: {},
  });
  expect(closed.statusCode, closed.body).toBe(200);
  return kase.id;
}

describe('satisfaction after closing, in Chromium at 375 px', () => {
  it('asks the customer on the closed case (en), refuses no choice, takes the answer once (nb)', async () => {
    const link = await demoCustomerLink(b.db, b.baseUrl);
    if (!link) throw new Error('no demo customer link');
    const page = await b.newPage(375);
    await page.goto(link);
    await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();
    // Open case: no question.
    await expect(page.getByRole('heading', { name: 'Hvordan opplevde du saken?' }).count()).resolves.toBe(0);

    await closeDemoCase();
    await page.reload();
    await page.getByRole('button', { name: /english/i }).click();
    const question = page.getByRole('group', {
      name: 'How satisfied are you with how your case was handled?',
    });
    await question.waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/satisfaction-question-en.png`, fullPage: true });

    // Sending without a choice: the alert says why and the first choice takes the focus.
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose an answer from 1 to 5.' }).waitFor();
    await expect(
      page.getByRole('radio', { name: /Very dissatisfied/ }).evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);

    // By keyboard: arrows move through the choices, Tab to the comment, Enter on the button.
    for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: /^4\s*Satisfied/ }).isChecked()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type(COMMENT);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const thanks = page.getByText('Thank you for your answer! You gave 4 out of 5.');
    await thanks.waitFor();
    await page.waitForFunction(() =>
      document.activeElement?.textContent?.startsWith('Thank you for your answer'),
    );
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/satisfaction-thanks-en.png` });

    // Norwegian, after a reload: the answer is kept, the question is not asked again.
    await page.getByRole('button', { name: /norsk/i }).click();
    await page.getByText('Takk for svaret! Du ga 4 av 5.').waitFor();
    await page.reload();
    await page.getByText('Takk for svaret! Du ga 4 av 5.').waitFor();
    await expect(page.getByRole('button', { name: 'Send svar' }).count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/satisfaction-thanks-nb.png` });
    await page.close();

    // Staff: the company's results (level 6 ≥ 4) and the answer on the case.
    const staff = await b.newPage(375);
    await signInStaff(staff, b.baseUrl, admin);
    await staff.getByRole('link', { name: 'Kundetilfredshet' }).first().click();
    await staff.getByRole('heading', { name: 'Kundetilfredshet', level: 1 }).waitFor();
    const companyRow = staff.getByRole('row', { name: /Hele selskapet/ });
    await expect(companyRow.innerText()).resolves.toMatch(/1\s+4,0/);
    await staff.getByText(COMMENT).waitFor();
    expect(await fitsViewport(staff)).toBe(true);
    await expectNoAxeViolations(staff);
    await staff.screenshot({ path: `${SHOTS}/satisfaction-results-nb.png`, fullPage: true });

    await staff.getByRole('link', { name: DEMO_CUSTOMER_CASE }).click();
    await staff.getByRole('heading', { name: 'Kundetilfredshet', level: 3 }).waitFor();
    await staff.getByText('4 av 5').first().waitFor();
    await staff.getByText(COMMENT).waitFor();
    await expectNoAxeViolations(staff);
    await staff.screenshot({ path: `${SHOTS}/satisfaction-case-nb.png`, fullPage: true });
    await staff.close();
  });
});
