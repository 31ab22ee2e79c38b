import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, settled, signInStaff, useBrowser } from '../support/browser.ts';

// Invoices and quote requests of a case (issue 16, item 2) in Chromium: a level-1 case handler
// registers a quote request and an invoice (kroner typed the Norwegian way) and sees no approve
// button but who may approve; the invoice banner and the dashboard's number lead to the tab, where
// a level-6 user approves through a confirmation naming partner and amount. In nb and en, at 375
// and 1280 px, by keyboard alone (Tab, Enter, arrow keys), with axe-core on every view.

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;
const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });

type Language = 'nb' | 'en';

const texts = {
  nb: {
    tab: 'Faktura og tilbud',
    newQuote: 'Ny forespørsel om tilbud',
    newInvoice: 'Registrer faktura',
    register: 'Registrer',
    partner: 'Partner',
    asked: 'Hva gjelder forespørselen?',
    deadline: 'Svarfrist',
    description: 'Beskrivelse',
    amount: 'Beløp',
    dueDate: 'Forfallsdato',
    quoteSaved: 'Forespørselen om tilbud er registrert.',
    invoiceSaved: 'Fakturaen er registrert og venter på godkjenning.',
    pending: 'Venter på svar',
    awaiting: 'Venter på godkjenning',
    needsLevel: 'Fakturaer godkjennes av brukere med autorisasjonsnivå 4 eller høyere.',
    invalidAmount: 'Beløpet er ikke et gyldig kronebeløp.',
    banner: 'Ny faktura venter på godkjenning (1)',
    approve: /^Godkjenn fakturaen fra /,
    approveTitle: 'Godkjenne fakturaen?',
    approveConfirm: 'Ja, godkjenn fakturaen',
    approvedBy: 'Godkjent av Ada Admin',
    markAnswered: /^Marker forespørselen /,
    answered: /Besvart \d/,
    dashboardRow: /Saker med faktura som venter på godkjenning, I dag/,
  },
  en: {
    tab: 'Invoices and quotes',
    newQuote: 'New quote request',
    newInvoice: 'Register invoice',
    register: 'Register',
    partner: 'Partner',
    asked: 'What is the request about?',
    deadline: 'Answer by',
    description: 'Description',
    amount: 'Amount',
    dueDate: 'Due date',
    quoteSaved: 'The quote request has been registered.',
    invoiceSaved: 'The invoice has been registered and awaits approval.',
    pending: 'Awaiting answer',
    awaiting: 'Awaiting approval',
    needsLevel: 'Invoices are approved by users with authorization level 4 or higher.',
    invalidAmount: 'The amount is not a valid amount in kroner.',
    banner: 'New invoice awaiting approval (1)',
    approve: /^Approve the invoice from /,
    approveTitle: 'Approve the invoice?',
    approveConfirm: 'Yes, approve the invoice',
    approvedBy: 'Approved by Ada Admin',
    markAnswered: /^Mark the request /,
    answered: /Answered \d/,
    dashboardRow: /Cases with an invoice awaiting approval, Today/,
  },
} as const;

/** Text with every kind of space (the non-breaking ones of nb-NO amounts) as a plain space. */
const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

async function shot(page: Page, name: string) {
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  // The tab alone too, large enough to read at 375 px.
  const panel = page.getByRole('tabpanel');
  if (await panel.isVisible()) await panel.screenshot({ path: `${SHOTS}/${name}-tab.png` });
  const dialog = page.getByRole('dialog');
  if (await dialog.isVisible()) await dialog.screenshot({ path: `${SHOTS}/${name}-dialog.png` });
}

/** axe-core, no sideways scrolling, and a screenshot to look at. */
async function check(page: Page, name: string) {
  await settled(page);
  await expectNoAxeViolations(page);
  expect(await fitsViewport(page), name).toBe(true);
  await shot(page, name);
}

/** What the focused element is called: its aria-label, else its text. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return (element?.getAttribute('aria-label') ?? element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  });

const focusedTag = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? '');

/** Presses Tab until the focused element's name matches (keyboard only; fails after `max` presses). */
async function tabTo(page: Page, name: string | RegExp, max = 120): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (matches(await focusedName(page))) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

/** The Oslo date today as 'YYYY-MM-DD', and a week later. */
async function osloDates(page: Page): Promise<{ today: string; nextWeek: string }> {
  return page.evaluate(() => {
    const oslo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' });
    return { today: oslo.format(new Date()), nextWeek: oslo.format(new Date(Date.now() + 7 * 86_400_000)) };
  });
}

/** A new case, opened through the API as the signed-in user (same-origin fetch passes the CSRF check). */
async function createCaseByApi(page: Page, claimNumber: string): Promise<string> {
  return page.evaluate(async (claim) => {
    const response = await fetch('/api/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        claimNumber: claim,
        address: { street: 'Strandgaten 12', postalCode: '5013', city: 'Bergen' },
        customer: { name: 'Siri Dahl', phone: '+4798765400', email: 'siri@example.com' },
      }),
    });
    if (!response.ok) throw new Error(`create case: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  }, claimNumber);
}

/** The section of the tab under a heading ("Fakturaer", "Forespørsler om tilbud"). */
const section = (page: Page, heading: RegExp) =>
  page.getByRole('tabpanel').locator('section', { has: page.getByRole('heading', { name: heading }) });

async function expectText(locator: Locator, text: string | RegExp) {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** Registers a quote request and an invoice in the open tab by keyboard; returns the partner chosen. */
async function registerByKeyboard(
  page: Page,
  language: Language,
  dates: { today: string; nextWeek: string },
) {
  const x = texts[language];
  // A quote request to the first partner office of the list.
  await tabTo(page, x.newQuote);
  await page.keyboard.press('Enter');
  const quoteDialog = page.getByRole('dialog', { name: x.newQuote });
  await quoteDialog.waitFor();
  // The focus is in the dialog (on its close button); the next stop is the partner.
  await page.keyboard.press('Tab');
  expect(await focusedTag(page)).toBe('SELECT');
  await page.keyboard.press('ArrowDown');
  const partner = plain(
    await quoteDialog
      .getByLabel(x.partner)
      .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text ?? ''),
  );
  expect(partner).not.toBe('');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Tilbud på nytt tak etter stormen');
  await page.keyboard.press('Tab');
  await quoteDialog.getByLabel(x.deadline).fill(dates.nextWeek);
  await expectNoAxeViolations(page);
  // A date input has a Tab stop per part (day, month, year): Tab on to the button.
  await tabTo(page, x.register, 4);
  await page.keyboard.press('Enter');
  await quoteDialog.waitFor({ state: 'detached' });
  const quotes = section(page, /^(Forespørsler om tilbud|Quote requests)$/);
  await expectText(quotes, x.quoteSaved);
  const quote = quotes.locator('li', { hasText: 'Tilbud på nytt tak etter stormen' });
  expect(plain(await quote.textContent())).toContain(partner);
  expect(plain(await quote.textContent())).toContain(x.pending);

  // An invoice: a wrong amount is refused in the form, "12 500,50" is 12 500,50 kr.
  await tabTo(page, x.newInvoice);
  await page.keyboard.press('Enter');
  const invoiceDialog = page.getByRole('dialog', { name: x.newInvoice });
  await invoiceDialog.waitFor();
  await page.keyboard.press('Tab');
  expect(await focusedTag(page)).toBe('SELECT');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Taktekking, første del');
  await page.keyboard.press('Tab');
  await page.keyboard.type('12 500,505');
  await page.keyboard.press('Tab');
  await invoiceDialog.getByLabel(x.dueDate).fill(dates.today);
  await tabTo(page, x.register, 4);
  await page.keyboard.press('Enter');
  await expectText(invoiceDialog, x.invalidAmount);
  await check(page, `economy-invoice-form-${language}`);
  // Back (Shift+Tab, past the parts of the date) to the amount the form marked invalid.
  for (let i = 0; i < 5; i += 1) {
    await page.keyboard.press('Shift+Tab');
    if (await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid') === 'true')) break;
  }
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('12 500,50');
  await page.keyboard.press('Enter');
  await invoiceDialog.waitFor({ state: 'detached' });
  const invoices = section(page, /^(Fakturaer|Invoices)$/);
  await expectText(invoices, x.invoiceSaved);
  const invoice = invoices.locator('li', { hasText: 'Taktekking, første del' });
  const line = plain(await invoice.textContent());
  expect(line).toContain('12 500,50 kr');
  expect(line).toContain(x.awaiting);
  // The office chosen, with its partner: "Fjordbygg Drammen (Fjordbygg Entreprenør AS)".
  const shown = plain(await invoice.locator('.economy-item-head strong').first().textContent());
  expect(shown).toMatch(new RegExp(`^${partner} \\(.+\\)$`));
  return shown;
}

describe('invoices and quote requests of a case', () => {
  for (const [language, handlerWidth, adminWidth] of [
    ['nb', 1280, 375],
    ['en', 375, 1280],
  ] as const) {
    const x = texts[language];
    const claim = `SK-FAKTURA-${language.toUpperCase()}`;

    it(`a handler registers, a level-6 user approves through the confirmation (${language})`, async () => {
      // The level-1 case handler: registers both, sees who may approve instead of a button.
      const page = await b.newPage(handlerWidth);
      await signInStaff(page, b.baseUrl, handler, language);
      const dates = await osloDates(page);
      const id = await createCaseByApi(page, claim);
      await page.goto(`${b.baseUrl}/cases/${id}`);
      await page.getByRole('heading', { name: 'Strandgaten 12, 5013 Bergen' }).waitFor();
      // The tab by keyboard: Tab to the selected tab, arrow keys to "Faktura og tilbud".
      await tabTo(page, language === 'nb' ? 'Saksinformasjon' : 'Case information');
      for (let i = 0; i < 6 && (await focusedName(page)) !== x.tab; i += 1)
        await page.keyboard.press('ArrowRight');
      expect(await focusedName(page)).toBe(x.tab);
      await page.waitForURL(/\?tab=invoices$/);
      const partner = await registerByKeyboard(page, language, dates);
      const invoices = section(page, /^(Fakturaer|Invoices)$/);
      await expectText(invoices, x.needsLevel);
      expect(await page.getByRole('button', { name: x.approve }).count()).toBe(0);
      // The banner says an invoice waits, and is a link to this tab.
      await expectText(page.locator('.banner'), x.banner);
      await check(page, `economy-handler-${handlerWidth}-${language}`);

      // The quote came in: marked answered, by keyboard.
      const quotes = section(page, /^(Forespørsler om tilbud|Quote requests)$/);
      await quotes.getByRole('button', { name: x.markAnswered }).focus();
      await page.keyboard.press('Enter');
      await expectText(quotes.locator('li', { hasText: 'Tilbud på nytt tak etter stormen' }), x.answered);
      expect(await quotes.getByRole('button', { name: x.markAnswered }).count()).toBe(0);
      await expect
        .poll(() => focusedName(page))
        .toBe(language === 'nb' ? 'Forespørsler om tilbud' : 'Quote requests');

      // The level-6 user: from the dashboard's number, by keyboard, to the case's tab.
      const other = await b.newPage(adminWidth);
      await signInStaff(other, b.baseUrl, admin, language);
      await tabTo(other, x.dashboardRow);
      await other.keyboard.press('Enter');
      await other.waitForURL(/row=invoicesAwaitingApproval&column=today/);
      await tabTo(other, claim);
      await other.keyboard.press('Enter');
      await other.waitForURL(new RegExp(`/cases/${id}\\?tab=invoices$`));
      // The invoices' heading has the focus: the next Tab stops reach the approve button.
      await expect.poll(() => focusedName(other)).toBe(language === 'nb' ? 'Fakturaer' : 'Invoices');
      await check(other, `economy-approver-${adminWidth}-${language}`);
      await tabTo(other, x.approve, 10);
      expect(await focusedName(other)).toBe(
        language === 'nb'
          ? `Godkjenn fakturaen fra ${partner} på 12 500,50 kr`
          : `Approve the invoice from ${partner} for 12 500,50 kr`,
      );
      await other.keyboard.press('Enter');
      const dialog = other.getByRole('dialog', { name: x.approveTitle });
      await dialog.waitFor();
      // The confirmation names partner and amount; Escape leaves the invoice as it was.
      const question = plain(await dialog.textContent());
      expect(question).toContain(partner);
      expect(question).toContain('12 500,50 kr');
      await check(other, `economy-confirm-${adminWidth}-${language}`);
      await other.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await focusedName(other)).toMatch(x.approve);
      await other.keyboard.press('Enter');
      await dialog.waitFor();
      await tabTo(other, x.approveConfirm, 5);
      await other.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      const approved = section(other, /^(Fakturaer|Invoices)$/).locator('li', {
        hasText: 'Taktekking, første del',
      });
      await expectText(approved, x.approvedBy);
      expect(await other.getByRole('button', { name: x.approve }).count()).toBe(0);
      // The banner is gone with the last invoice waiting.
      await other.locator('.banner', { hasText: x.banner }).waitFor({ state: 'detached' });
      await expect.poll(() => focusedName(other)).toBe(language === 'nb' ? 'Fakturaer' : 'Invoices');
      await check(other, `economy-approved-${adminWidth}-${language}`);
      await page.context().close();
      await other.context().close();
    }, 240_000);

    it(`leads from the invoice banner and the dashboard's quote requests to the tab (${language})`, async () => {
      const page = await b.newPage(adminWidth);
      await signInStaff(page, b.baseUrl, admin, language);
      const dates = await osloDates(page);
      const id = await createCaseByApi(page, `${claim}-BANNER`);
      await page.evaluate(
        async ([caseId, dueOn]) => {
          const response = await fetch(`/api/cases/${caseId}/invoices`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ description: 'Strøm til byggtørker', amountOre: 123_456_78, dueOn }),
          });
          if (!response.ok) throw new Error(`invoice: ${response.status}`);
          const quote = await fetch(`/api/cases/${caseId}/quote-requests`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ description: 'Tilbud på tørking', deadlineOn: dueOn }),
          });
          if (!quote.ok) throw new Error(`quote request: ${quote.status}`);
        },
        [id, dates.nextWeek] as const,
      );
      await page.goto(`${b.baseUrl}/cases/${id}`);
      const banner = page.getByRole('link', { name: x.banner });
      await banner.waitFor();
      await banner.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\?tab=invoices$/);
      expect(await page.getByRole('tab', { name: x.tab }).getAttribute('aria-selected')).toBe('true');
      await expect.poll(() => focusedName(page)).toBe(language === 'nb' ? 'Fakturaer' : 'Invoices');
      const line = plain(
        await section(page, /^(Fakturaer|Invoices)$/)
          .locator('li', { hasText: 'Strøm til byggtørker' })
          .textContent(),
      );
      expect(line).toContain('123 456,78 kr');
      expect(line).toContain(language === 'nb' ? 'Utenfor systemet' : 'Outside the system');
      await check(page, `economy-banner-${adminWidth}-${language}`);

      // The dashboard's "pending quote requests, later" list leads to the tab's quote requests.
      await page.goto(`${b.baseUrl}/cases?row=quoteRequests&column=later`);
      const link = page.getByRole('link', { name: `${claim}-BANNER`, exact: true });
      await link.waitFor();
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/cases/${id}\\?tab=invoices$`));
      await expect
        .poll(() => focusedName(page))
        .toBe(language === 'nb' ? 'Forespørsler om tilbud' : 'Quote requests');
      await page.context().close();
    }, 120_000);
  }
});
