import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { reissueCustomerLinkToken } from '../../src/server/customer-access/reissue-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { formatAmount } from '../../src/web/shared/format.ts';
import { expectNoAxeViolations, fitsViewport, settled, signInStaff, useBrowser } from '../support/browser.ts';
import { saveSettings } from '../support/customer.ts';
import { flatText, pdfText } from '../support/pdf-text.ts';

// Cost control and the customer settlement of a case (issue 20) in Chromium, from the budget to the
// customer reading the generated report: a budget line and an invoice over it show in the cost
// control (over budget said in words); the settlement is typed with the keyboard alone, its figures
// computed while typing; it is saved, approved through a confirmation and locked; the customer's
// phone shows the settlement report (the "Vis kundeoppgjørsrapport" rule on), whose PDF text says the
// payout the staff screen showed. At 1280 and 375 px, nb and en, axe-core on every view.

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;
const SHOTS = '/tmp/h/shots';
mkdirSync(SHOTS, { recursive: true });

/** Text with every kind of space (the no-break ones of nb-NO amounts) as a plain space. */
const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

async function shot(page: Page, name: string) {
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/setui-${name}.png`, fullPage: true });
  // The tab alone too, large enough to read.
  const panel = page.getByRole('tabpanel');
  if (await panel.isVisible()) await panel.screenshot({ path: `${SHOTS}/setui-${name}-tab.png` });
}

/** axe-core, no sideways scrolling, and a screenshot to look at. */
async function check(page: Page, name: string) {
  await settled(page);
  await expectNoAxeViolations(page);
  expect(await fitsViewport(page), name).toBe(true);
  await shot(page, name);
}

/** The focused element's name: its label (a form field), else its aria-label, else its text. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as
      (HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }) | null;
    const label = element?.labels?.[0]?.textContent;
    return (label ?? element?.getAttribute('aria-label') ?? element?.textContent ?? '')
      .replace(/\s+/g, ' ')
      .trim();
  });

/** Presses Tab until the focused element's name matches (keyboard only; fails after `max` presses). */
async function tabTo(page: Page, name: string | RegExp, max = 80): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (matches(await focusedName(page))) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

/** Replaces the focused field's text by typing. */
async function typeOver(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

/** The same-origin API as the signed-in user (the fetch passes the CSRF check); its JSON answer. */
async function apiCall(page: Page, method: string, url: string, body?: unknown): Promise<unknown> {
  return page.evaluate(
    async ([m, u, payload]) => {
      const response = await fetch(u, {
        method: m,
        ...(payload !== undefined && {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        }),
      });
      if (!response.ok) throw new Error(`${m} ${u}: ${response.status} ${await response.text()}`);
      return (await response.json()) as unknown;
    },
    [method, url, body] as const,
  );
}

describe('cost control and the customer settlement', () => {
  it('budget → cost control → settlement by keyboard → approval → the customer reads the report', async () => {
    const demo = await b.db
      .selectFrom('cases')
      .select(['id', 'company_id'])
      .where('claim_number', '=', DEMO_CUSTOMER_CASE)
      .executeTakeFirstOrThrow();
    // The company shares the settlement report as soon as there is one.
    await saveSettings(b.db, demo.company_id, { showSettlementReport: 'case_created' });

    // ---- Cost control (nb, 1280): the budget becomes 10 000 kr, an invoice of 12 500 kr comes in
    // outside the system, on top of the demo case's own invoices.
    const staff = await b.newPage(1280);
    await signInStaff(staff, b.baseUrl, admin);
    const today = await staff.evaluate(() =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date()),
    );
    const before = (await apiCall(staff, 'GET', `/api/cases/${demo.id}/cost-control`)) as {
      totals: { invoicedOre: number };
    };
    await apiCall(staff, 'PUT', `/api/cases/${demo.id}/budget`, {
      lines: [{ description: 'Tørking og riving', amountOre: 1_000_000 }],
    });
    await apiCall(staff, 'POST', `/api/cases/${demo.id}/invoices`, {
      description: 'Riving av gulv',
      amountOre: 1_250_000,
      dueOn: today,
    });
    const invoiced = before.totals.invoicedOre + 1_250_000;
    const kr = (ore: number) => plain(formatAmount(ore));
    await staff.goto(`${b.baseUrl}/cases/${demo.id}?tab=cost-control`);
    const panel = staff.getByRole('tabpanel');
    const budget = panel.locator('section', {
      has: staff.getByRole('heading', { name: 'Budsjett mot fakturaer' }),
    });
    await budget.waitFor();
    const figures = plain(await budget.textContent());
    expect(figures).toContain(`Budsjett${kr(1_000_000)}`);
    expect(figures).toContain(`Fakturert${kr(invoiced)}`);
    expect(figures).toContain(`Avvik (fakturert − budsjett)${kr(invoiced - 1_000_000)}`);
    // Over budget in words (and a sign), not by colour alone.
    expect(plain(await panel.getByTestId('over-budget').textContent())).toBe(
      `⚠ Over budsjett med ${kr(invoiced - 1_000_000)}`,
    );
    await panel.getByRole('row', { name: /^Utenfor systemet/ }).waitFor();
    const sum = panel.getByRole('row', { name: /^Sum/ });
    expect(plain(await sum.textContent())).toContain(kr(invoiced));
    await check(staff, 'cost-control-1280');

    // On a phone: a card per office, each figure under its heading (en).
    const phone = await b.newPage(375);
    await signInStaff(phone, b.baseUrl, admin, 'en');
    await phone.goto(`${b.baseUrl}/cases/${demo.id}?tab=cost-control`);
    await phone.getByText(`⚠ Over budget by ${kr(invoiced - 1_000_000)}`).waitFor();
    await check(phone, 'cost-control-375');

    // ---- The settlement, by keyboard alone (nb, 1280).
    await staff.goto(`${b.baseUrl}/cases/${demo.id}?tab=settlement`);
    await panel.getByText('Saken har ikke noe kundeoppgjør ennå.').waitFor();
    await tabTo(staff, 'Lag kundeoppgjør');
    await staff.keyboard.press('Enter');
    // The form opens with the focus on the first line's kind (repair by a contractor).
    await expect.poll(() => focusedName(staff)).toBe('Type');
    await staff.keyboard.press('Tab');
    await staff.keyboard.type('Nytt parkettgulv i stuen');
    await staff.keyboard.press('Tab');
    await staff.keyboard.type('50 000');
    await staff.keyboard.press('Tab');
    expect(await focusedName(staff)).toBe('Avskrivning (%)');
    await typeOver(staff, '20');
    await staff.keyboard.press('Tab');
    await staff.keyboard.type('Gulvet var ti år gammelt');
    // A contractor's repair covers VAT: the box is ticked.
    await staff.keyboard.press('Tab');
    expect(await focusedName(staff)).toBe('Merverdiavgift dekkes');
    expect(await staff.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);
    // 50 000 − 20 % = 40 000 to pay, computed as it was typed.
    const form = staff.getByRole('form', { name: 'Rediger kundeoppgjøret' });
    expect(plain(await form.getByTestId('line-payable').first().textContent())).toBe('40 000,00 kr');

    // A second line: a cash settlement, VAT not covered by the company's default.
    await tabTo(staff, 'Legg til linje', 5);
    await staff.keyboard.press('Enter');
    await expect.poll(() => focusedName(staff)).toBe('Type');
    await staff.keyboard.press('ArrowDown');
    expect(await staff.evaluate(() => (document.activeElement as HTMLSelectElement).value)).toBe(
      'cash_settlement',
    );
    await staff.keyboard.press('Tab');
    await staff.keyboard.type('Maling, kontantoppgjør');
    await staff.keyboard.press('Tab');
    await staff.keyboard.type('10 000');
    await tabTo(staff, 'Merverdiavgift dekkes', 3);
    expect(await staff.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(false);
    // 10 000 without VAT: 8 000 to pay.
    expect(plain(await form.getByTestId('line-payable').nth(1).textContent())).toBe('8 000,00 kr');
    await tabTo(staff, 'Egenandel', 5);
    await staff.keyboard.type('8 000');
    // 40 000 + 8 000 − 8 000 deductible = 40 000 to the customer.
    expect(plain(await form.getByTestId('settlement-payout').textContent())).toBe('40 000,00 kr');
    await check(staff, 'settlement-form-1280');
    await tabTo(staff, 'Lagre', 3);
    await staff.keyboard.press('Enter');
    await panel.getByText('Kundeoppgjøret er lagret.').waitFor();
    await expect.poll(() => focusedName(staff)).toBe('Rediger kundeoppgjøret');
    expect(plain(await panel.getByTestId('settlement-payout').textContent())).toBe('40 000,00 kr');
    await check(staff, 'settlement-draft-1280');

    // Approve through the confirmation, which names version and payout.
    await tabTo(staff, 'Godkjenn kundeoppgjøret', 5);
    await staff.keyboard.press('Enter');
    const dialog = staff.getByRole('dialog', { name: 'Godkjenne kundeoppgjøret?' });
    await dialog.waitFor();
    expect(plain(await dialog.textContent())).toContain(
      'Vil du godkjenne versjon 1 med 40 000,00 kr til utbetaling?',
    );
    await expectNoAxeViolations(staff);
    await staff.screenshot({ path: `${SHOTS}/setui-settlement-confirm-1280.png` });
    await tabTo(staff, 'Ja, godkjenn', 5);
    await staff.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await panel.getByText('Kundeoppgjøret er godkjent.').waitFor();
    await panel.getByText(/^Godkjent av Ada Admin, \d\d\.\d\d\.\d{4}/).waitFor();
    // Locked: no editing, a new version instead.
    expect(await panel.getByRole('button', { name: 'Rediger kundeoppgjøret' }).count()).toBe(0);
    await panel.getByRole('button', { name: 'Ny versjon' }).waitFor();
    const payout = plain(await panel.getByTestId('settlement-payout').textContent());
    expect(payout).toBe('40 000,00 kr');
    await check(staff, 'settlement-approved-1280');

    // A level-1 handler on a phone (en) reads it, locked, and may not make a new version.
    const reader = await b.newPage(375);
    await signInStaff(reader, b.baseUrl, handler, 'en');
    await reader.goto(`${b.baseUrl}/cases/${demo.id}?tab=settlement`);
    await reader
      .getByText('Approved and locked. Make a new version to change it.', { exact: false })
      .waitFor();
    expect(plain(await reader.getByTestId('settlement-payout').textContent())).toBe(payout);
    expect(await reader.getByRole('button', { name: 'New version' }).count()).toBe(0);
    await check(reader, 'settlement-approved-375');

    // ---- The customer's phone: the generated report under "Rapporter"; its PDF says the payout.
    const token = await reissueCustomerLinkToken(b.db, demo.company_id, demo.id);
    if (!token) throw new Error('the demo customer has no active grant');
    const customer = await b.newPage(375);
    await customer.goto(`${b.baseUrl}/k/${token}`);
    await customer.waitForURL(`${b.baseUrl}/k/`);
    const menu = customer.getByRole('navigation', { name: 'Meny' });
    await menu.getByRole('button', { name: 'Dokumenter', exact: true }).click();
    await customer.getByRole('heading', { name: 'Rapporter', level: 3 }).waitFor();
    const row = customer
      .locator('li.cp-item')
      .filter({ has: customer.getByText('Kundeoppgjørsrapport', { exact: true }) });
    const link = row.getByRole('link');
    await link.waitFor();
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'customer-report-375');
    const href = await link.getAttribute('href');
    if (!href) throw new Error('the report link has no address');
    const download = await customer.request.get(new URL(href, customer.url()).toString());
    expect(download.status()).toBe(200);
    const text = flatText((await pdfText(await download.body())).join('\n'));
    expect(text).toContain(payout);
    expect(text).toContain('Nytt parkettgulv i stuen');

    // ---- A new version: a draft copy; the approved one stays what the customer sees, in the history.
    await panel.getByRole('button', { name: 'Ny versjon' }).focus();
    await staff.keyboard.press('Enter');
    await panel.getByText('Versjon 2 er laget som utkast.').waitFor();
    await panel.getByText('Kunden ser den godkjente versjonen til denne er godkjent.').waitFor();
    const history = panel.locator('section', {
      has: staff.getByRole('heading', { name: 'Tidligere versjoner' }),
    });
    expect(plain(await history.textContent())).toContain('Versjon 1 – Godkjent – 40 000,00 kr');
    await check(staff, 'settlement-new-version-1280');

    // The new draft edited on a phone (en, level 6): the form fits 375 px, its figures computed.
    await phone.goto(`${b.baseUrl}/cases/${demo.id}?tab=settlement`);
    await phone.getByRole('button', { name: 'Edit the customer settlement' }).click();
    const phoneForm = phone.getByRole('form', { name: 'Edit the customer settlement' });
    expect(plain(await phoneForm.getByTestId('settlement-payout').textContent())).toBe(payout);
    await check(phone, 'settlement-form-375');

    // The company's setting (en, phone): cash settlements cover VAT from now on — a new cash line
    // of the settlement starts with the box ticked.
    await phone.goto(`${b.baseUrl}/company`);
    const cashVat = phone.getByLabel('Cash settlements cover VAT');
    expect(await cashVat.isChecked()).toBe(false);
    await cashVat.focus();
    await phone.keyboard.press('Space');
    await phone.getByRole('button', { name: 'Save', exact: true }).first().click();
    await phone.getByText('The company has been saved.').waitFor();
    await check(phone, 'company-cash-vat-375');
    await phone.goto(`${b.baseUrl}/cases/${demo.id}?tab=settlement`);
    await phone.getByRole('button', { name: 'Edit the customer settlement' }).click();
    await phone.getByRole('button', { name: 'Add a line' }).click();
    await phone.keyboard.press('ArrowDown');
    expect(await phone.getByLabel('Kind').nth(2).inputValue()).toBe('cash_settlement');
    expect(await phone.getByLabel('VAT is covered').nth(2).isChecked()).toBe(true);

    for (const page of [staff, phone, reader, customer]) await page.context().close();
  }, 240_000);
});
