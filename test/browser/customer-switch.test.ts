import { describe, expect, it } from 'vitest';
import { reissueCustomerLinkToken } from '../../src/server/customer-access/reissue-link.ts';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_ORG_NUMBER } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, SHOTS, useBrowser } from '../support/browser.ts';

// Issue 15 item 8 in Chromium at 375 px: a link for another case, opened while the page shows the
// person's own case, asks before it switches; by keyboard alone, both answers, axe-clean.

const b = useBrowser();

/** A link to another demo case whose customer has access, and its claim number. */
async function otherCaseLink(): Promise<{ link: string; claimNumber: string }> {
  const other = await b.db
    .selectFrom('cases')
    .innerJoin('companies', 'companies.id', 'cases.company_id')
    .innerJoin('customer_access', 'customer_access.case_id', 'cases.id')
    .innerJoin('case_contacts', 'case_contacts.id', 'customer_access.contact_id')
    .select(['cases.id as caseId', 'cases.company_id as companyId', 'cases.claim_number as claimNumber'])
    .where('companies.org_number', '=', DEMO_ORG_NUMBER)
    .where('cases.claim_number', '!=', DEMO_CUSTOMER_CASE)
    .where('cases.status', 'in', ['open', 'on_hold'])
    .where('customer_access.state', '=', 'active')
    .where('case_contacts.role', '=', 'customer')
    .orderBy('cases.claim_number')
    .executeTakeFirstOrThrow();
  const token = await reissueCustomerLinkToken(b.db, other.companyId, other.caseId);
  if (!token) throw new Error('no link for the other demo case');
  return { link: `${b.baseUrl}/k/${token}`, claimNumber: other.claimNumber };
}

describe('a link for another case in Chromium at 375 px', () => {
  it('asks before switching: stay keeps the own case, switch opens the new one; keyboard only, axe-clean', async () => {
    const own = await demoCustomerLink(b.db, b.baseUrl);
    if (!own) throw new Error('no demo customer link');
    const other = await otherCaseLink();
    const page = await b.newPage(375);
    await page.goto(own);
    await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();

    // The other link, as a navigation from a mail or a foreign site would open it.
    await page.goto(other.link);
    await page.waitForURL(`${b.baseUrl}/k/`);
    const question = page.getByRole('heading', { name: 'Du har åpnet en lenke til en annen sak', level: 1 });
    await question.waitFor();
    await page.getByText(`Nå vises skadenummer ${DEMO_CUSTOMER_CASE}.`).waitFor();
    await expect(page.content()).resolves.not.toContain(other.claimNumber);
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/customer-switch-question-nb.png`, fullPage: true });

    // The first button is "stay": Tab reaches it from the focused heading.
    await expect(question.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Tab');
    const stay = page.getByRole('button', { name: 'Bli på saken jeg har' });
    await expect(stay.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();
    await page.reload();
    await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();

    // Opened again, and this time the person switches.
    await page.goto(other.link);
    await question.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const change = page.getByRole('button', { name: 'Bytt til den nye saken' });
    await expect(change.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText(`Skadenummer: ${other.claimNumber}`).waitFor();
    await expectNoAxeViolations(page);
    await page.close();
  });
});
